import type { Profile } from "../hardware/profile.js";
import type { RankHardware } from "../hardware/rankView.js";
import { allGatherSeconds, allReduceSeconds, allToAllSeconds, sendSeconds } from "../time/collectives.js";
import { backwardGemmSeconds, type GemmRates, gemmSeconds } from "../time/gemm.js";
import {
  GROUP_ROUTED_EXPERT,
  type LayerOperators,
  SPLIT_COLUMN,
  SPLIT_NONE,
  SPLIT_ROW,
  type WorkloadOperators,
} from "../workload/operators.js";
import { meanAttendedKeys } from "../workload/slidingWindow.js";

/**
 * The engine's one evaluation of a (workload, hardware, plan): memory per rank and step time with
 * its breakdown. It is the hot path of the plan search, so it allocates nothing: inputs are numbers,
 * outputs go into a caller-owned Float64Array at the OUT_* slots. `simulate` turns the same numbers
 * into a readable result, so the search and the simulator cannot disagree.
 *
 * Structure of a step (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU
 * Clusters Using Megatron-LM", sections 2-3):
 *   step = m · t_microbatch + bubble + exposed pipeline p2p + exposed data-parallel + optimizer
 *   bubble = (pp - 1) / vpp · t_microbatch  (1F1B, interleaved when vpp > 1; their eq. 1-2)
 * where t_microbatch is one stage's forward+backward(+recompute) time for one micro-batch,
 * including the tensor-, context- and expert-parallel communication that compute does not hide.
 */

export const RECOMPUTE_NONE = 0;
export const RECOMPUTE_SELECTIVE = 1;
export const RECOMPUTE_FULL = 2;
/** Activations offloaded to host memory (no recomputation): see offloadSeconds. */
export const RECOMPUTE_OFFLOAD = 3;

/** Step-time components, seconds per step; they sum to OUT_STEP. */
export const OUT_GEMM = 0;
export const OUT_ATTENTION = 1;
export const OUT_ELEMENTWISE = 2;
export const OUT_KERNEL_OVERHEAD = 3;
export const OUT_RECOMPUTE = 4;
export const OUT_TP_COMM = 5;
export const OUT_CP_COMM = 6;
export const OUT_EP_COMM = 7;
export const OUT_PP_COMM = 8;
export const OUT_DP_COMM = 9;
export const OUT_BUBBLE = 10;
export const OUT_OPTIMIZER = 11;
export const OUT_STEP = 12;
/** Memory per rank, bytes (the most loaded pipeline stage). */
export const OUT_MEM_WEIGHTS = 13;
export const OUT_MEM_GRADS = 14;
export const OUT_MEM_OPTIMIZER = 15;
export const OUT_MEM_ACTIVATIONS = 16;
export const OUT_MEM_LOGITS = 17;
export const OUT_MEM_RESERVED = 18;
export const OUT_MEM_TOTAL = 19;
/** Derived. */
export const OUT_MICROBATCHES = 20;
export const OUT_TOKENS_PER_SECOND_PER_RANK = 21;
/** Total (not exposed) communication time per step, for reports. */
export const OUT_TP_TOTAL = 22;
export const OUT_DP_TOTAL = 23;
export const OUT_EP_TOTAL = 24;
/** Exposed activation offloading (host transfers not hidden behind compute), seconds per step. */
export const OUT_OFFLOAD = 25;
export const OUT_SIZE = 26;

export const STEP_COMPONENTS: ReadonlyArray<[number, string]> = [
  [OUT_GEMM, "compute.matmul"],
  [OUT_ATTENTION, "compute.attention"],
  [OUT_ELEMENTWISE, "compute.elementwise"],
  [OUT_KERNEL_OVERHEAD, "compute.launchBound"],
  [OUT_RECOMPUTE, "recompute"],
  [OUT_OFFLOAD, "comm.activationOffload"],
  [OUT_TP_COMM, "comm.tensorParallel"],
  [OUT_CP_COMM, "comm.contextParallel"],
  [OUT_EP_COMM, "comm.expertParallel"],
  [OUT_PP_COMM, "comm.pipelineP2p"],
  [OUT_DP_COMM, "comm.dataParallel"],
  [OUT_BUBBLE, "pipelineBubble"],
  [OUT_OPTIMIZER, "optimizer"],
];

/**
 * Allowance for what the model does not itemise: CUDA/Neuron runtime context, communication
 * buffers and library workspaces (a fixed amount), and allocator fragmentation (a share of the rest).
 * PyTorch's caching allocator typically leaves 5-10% of reserved memory unusable
 * (PyTorch docs, "CUDA memory management"); NCCL and cuBLAS workspaces take 1-3 GiB.
 */
export const RESERVED_BYTES = 2 * 1024 ** 3;
export const FRAGMENTATION = 0.05;

/** Precision codes in the hot path. */
export const PRECISION_BF16 = 0;
export const PRECISION_FP8 = 1;

/** What does not change between plans of one search: workload, rank hardware and profile. */
export interface Prepared {
  ops: WorkloadOperators;
  hw: RankHardware;
  profile: Profile;
  seqLen: number;
  hidden: number;
  /** Query/key head width (attention kernels slow down for narrow heads). */
  headDim: number;
  /** Width of the attention output per token (heads x value head width). */
  qWidth: number;
  kvHeads: number;
  /** Key+value width per token (elements) exchanged by context parallelism. */
  kvWidth: number;
  /** Which attention kernel generation runs, and its speed relative to the fused one. */
  attentionKernel: AttentionKernel;
  attentionKernelFactor: number;
  /** Bytes per token per layer of materialized attention scores kept for backward (unfused kernel only). */
  unfusedScoreBytes: number;
  /** Keys a query attends on average over the layers (causal; fewer with sliding windows). */
  attendedKeys: number;
  /** Layers alternate attention configurations (windowed and full), see attentionSwitchSeconds. */
  alternatingAttention: boolean;
  /** Precision of the data-parallel gradient buffers and their reduction, and its bytes per element. */
  gradientReduce: GradientReduce;
  gradBytes: number;
  vocab: number;
  layers: number;
  denseLayers: number;
  moeLayers: number;
  /** MTP modules counted as extra layers of the MoE kind (or dense), each with its own head. */
  mtpLayers: number;
  scaleUpBw: number;
  scaleOutBw: number;
  memBw: number;
}

/**
 * Attention kernel generation: "fused" (cuDNN / FlashAttention-3 class), "flash2" (FlashAttention-2), or
 * "unfused": the pre-FlashAttention path (scores materialized, fused scale-mask-softmax, dropout, then
 * the value product), as Megatron-LM ran in 2021-2022.
 */
export type AttentionKernel = "fused" | "flash2" | "unfused";

/** Precision of the gradient buffers that data parallelism reduces. */
export type GradientReduce = "fp32" | "bf16";

export function prepare(
  ops: WorkloadOperators,
  hw: RankHardware,
  profile: Profile,
  attentionKernel: AttentionKernel = "fused",
  gradientReduce: GradientReduce = "fp32",
): Prepared {
  return {
    attentionKernel,
    attendedKeys: meanAttendedKeys(ops.model, ops.seqLen),
    // Korthikanti et al. 2022, eq. 1: scores (2 bytes), softmax output (2) and dropout mask (1) per score.
    unfusedScoreBytes: attentionKernel === "unfused" ? 5 * ops.model.heads * ops.seqLen : 0,
    alternatingAttention: ops.model.slidingWindow?.layers === "alternate",
    gradientReduce,
    gradBytes: gradientReduce === "bf16" ? 2 : 4,
    attentionKernelFactor: attentionKernel === "flash2" ? profile.flash2AttentionRatio : 1,
    ops,
    hw,
    profile,
    seqLen: ops.seqLen,
    hidden: ops.model.hidden,
    kvHeads: ops.model.mla ? ops.model.heads : (ops.model.kvHeads ?? ops.model.heads),
    kvWidth: kvWidthOf(ops.model),
    qWidth:
      ops.model.heads *
      (ops.model.mla ? ops.model.mla.vHeadDim : (ops.model.headDim ?? ops.model.hidden / ops.model.heads)),
    headDim: ops.model.mla
      ? ops.model.mla.qkNopeHeadDim + ops.model.mla.qkRopeHeadDim
      : (ops.model.headDim ?? ops.model.hidden / ops.model.heads),
    vocab: ops.model.vocab,
    layers: ops.model.layers,
    denseLayers: ops.denseLayers,
    moeLayers: ops.moeLayers,
    mtpLayers: ops.mtpLayers,
    scaleUpBw: hw.scaleUpBytesPerSecond * profile.scaleUpBusEfficiency,
    scaleOutBw: hw.scaleOutBytesPerSecond * profile.scaleOutBusEfficiency,
    memBw: hw.hbmBytesPerSecond * profile.memoryEfficiency,
  };
}

// What sets a GEMM's time, refilled per call (module-level: no allocation per evaluation).
const ratesScratch: GemmRates = {
  peakFlops: 0,
  efficiency: 0,
  fixedSeconds: 0,
  bytesPerElement: 0,
  memBytesPerSecond: 0,
  gradBytes: 0,
};

/** The GEMM rates of a prepared run at one precision (efficiency scaled by `efficiencyRatio`). */
function gemmRates(
  p: Prepared,
  peakFlops: number,
  efficiencyRatio: number,
  bytesPerElement: number,
): GemmRates {
  const r = ratesScratch;
  r.peakFlops = peakFlops;
  r.efficiency = p.profile.gemmEfficiency * efficiencyRatio;
  r.fixedSeconds = p.profile.gemmFixedSeconds;
  r.bytesPerElement = bytesPerElement;
  r.memBytesPerSecond = p.memBw;
  r.gradBytes = p.gradBytes;
  return r;
}

// Scratch for per-layer partial results (module-level: no allocation per evaluation).
const layerScratch = new Float64Array(9);
const L_GEMM = 0;
const L_ATTN = 1;
const L_ELEM = 2;
const L_KERNEL = 3;
const L_TP_FWD = 4; // forward TP communication, seconds
const L_EP = 5; // all EP all-to-all (fwd + bwd)
const L_RECOMPUTE_SELECTIVE = 6; // forward time that selective recomputation repeats
const L_CP = 7; // total CP exchange
const L_GEMM_BWD = 8; // backward GEMMs (data and weight gradients)

/**
 * Forward-pass costs of one layer for one micro-batch of `tokens` tokens on one rank.
 * Backward costs are derived by the caller (2x GEMMs and element-wise, 2.5x flash attention).
 */
function layerForward(
  p: Prepared,
  lo: LayerOperators,
  tokens: number,
  tp: number,
  cp: number,
  ep: number,
  sp: number,
  fp8: number,
): void {
  const prof = p.profile;
  const hw = p.hw;
  const rates = gemmRates(
    p,
    fp8 ? hw.peakFlopsFp8 : hw.peakFlopsBf16,
    fp8 ? prof.fp8EfficiencyRatio : 1,
    fp8 ? 1 : 2,
  );
  const etp = ep > 1 ? 1 : tp; // Megatron-Core: experts are tensor-parallel only without expert parallelism
  let gemm = 0;
  let gemmBwd = 0;
  let castBytes = 0;
  const gemms = lo.gemms;
  for (let i = 0; i < gemms.length; i++) {
    const g = gemms[i];
    let m = tokens;
    let k = g.k;
    let n = g.n;
    let count = 1;
    let split = g.split;
    if (g.group === GROUP_ROUTED_EXPERT) {
      // Balanced routing: each of the E/ep local experts sees tokens·topK·ep/(E·tp/etp) rows.
      count = lo.experts / ep;
      m = (tokens * lo.topK * ep) / (lo.experts * (tp / etp));
      if (etp === 1) split = SPLIT_NONE;
      if (split === SPLIT_COLUMN) n /= etp;
      else if (split === SPLIT_ROW) k /= etp;
    } else if (split === SPLIT_COLUMN) n /= tp;
    else if (split === SPLIT_ROW) k /= tp;
    gemm += gemmSeconds(m, n, k, rates, count);
    gemmBwd += backwardGemmSeconds(m, n, k, rates, count);
    // FP8 recipes cast each GEMM input from bf16 (read 2 bytes, write 1) in forward and backward.
    if (fp8) castBytes += count * 3 * m * k;
  }
  const seqShare = sp ? tp : 1;
  const attnFlops = (tokens * p.attendedKeys * lo.attentionFlopsPerTokenPerKey) / tp;
  // Each context-parallel rank runs attention on its own 1/cp of the sequence.
  const chunk = p.seqLen / cp;
  const attnEff =
    prof.attentionEfficiency *
    (chunk / (chunk + prof.attentionSeqHalf)) *
    (p.headDim / (p.headDim + prof.attentionHeadDimHalf)) *
    p.attentionKernelFactor;
  const attn =
    p.attentionKernel === "unfused"
      ? unfusedAttentionSeconds(p, tokens, tp, lo)
      : attnFlops / (hw.peakFlopsBf16 * attnEff);
  // Ring attention over cp ranks runs cp partial attentions and folds each into the fp32 output with
  // its log-sum-exp: every fold after the first reads the accumulator and the new part and writes back.
  const cpMergeBytes = cp > 1 ? (cp - 1) * 3 * 4 * tokens * (p.qWidth / tp) : 0;
  const elemBytesTotal =
    tokens * (lo.elementwiseSeqBytes / seqShare + lo.elementwiseTpBytes / tp) + castBytes + cpMergeBytes;
  const elem = elemBytesTotal / p.memBw;
  let kernels = lo.kernelsForward + 2 * (cp - 1); // a partial attention and a fold per extra ring step
  if (lo.isMoe) kernels += (lo.experts / ep) * lo.kernelsPerLocalExpert * (fp8 ? 2 : 1);
  const kernel = kernels * prof.launchSeconds;
  // Tensor parallel: per block one all-reduce (or all-gather + reduce-scatter with sequence
  // parallelism, the same bytes) of the tokens x hidden activations (Korthikanti et al. 2022, sec. 4.2.2).
  // With fp8 and sequence parallelism, Transformer Engine all-gathers the activations already cast
  // to fp8 (1 byte) while the reduce-scatter stays bf16: 3/4 of the bf16 bytes.
  let tpFwd = 0;
  if (tp > 1) {
    const bytesPerElement = fp8 && sp ? 1.5 : 2;
    tpFwd =
      lo.tpCollectivesForward *
      allReduceSeconds(tokens * p.hidden * bytesPerElement, tp, ringBandwidth(p, tp, 1), ringAlpha(p, tp, 1));
  }
  let epAll = 0;
  if (lo.isMoe && ep > 1) {
    // Dispatch and combine, forward and backward: four all-to-alls of the routed copies.
    // With sequence parallelism each tp rank routes its 1/tp of the tokens; without, all of them.
    const bytes = (tokens / (sp ? tp : 1)) * lo.topK * p.hidden * 2;
    const domain = hw.scaleUpDomainRanks;
    const alpha = ep <= domain ? prof.scaleUpLatencySeconds : prof.scaleOutLatencySeconds;
    epAll = 4 * allToAllSeconds(bytes, ep, domain, p.scaleUpBw, p.scaleOutBw, alpha);
  }
  let cpAll = 0;
  if (cp > 1) {
    // Ring attention (Liu et al. 2023; Megatron-Core context parallel): each rank receives the other
    // cp-1 chunks' keys and values in forward, and keys, values and their gradients in backward.
    // Key-value heads are split over tp, down to one head per rank (replicated beyond that).
    const kvBytes = (tokens * p.kvWidth * 2) / Math.min(tp, p.kvHeads);
    cpAll = 3 * (cp - 1) * sendSeconds(kvBytes, ringBandwidth(p, cp, tp), ringAlpha(p, cp, tp));
  }
  // The host issues ~3x the forward kernels per layer (forward + backward); when that takes longer
  // than the GPU work they launch, the layer is launch-bound and the difference is exposed.
  const gpu = gemm + gemmBwd + 3.5 * attn + 3 * elem;
  const host = 3 * kernel;
  layerScratch[L_GEMM] = gemm;
  layerScratch[L_GEMM_BWD] = gemmBwd;
  layerScratch[L_ATTN] = attn;
  layerScratch[L_ELEM] = elem;
  // Layers that alternate attention configurations pay a host-side cost per layer forward that no
  // GPU work hides (profile attentionSwitchSeconds; charged as a third of it per pass, x3 below).
  const switchCost = p.alternatingAttention ? prof.attentionSwitchSeconds : 0;
  layerScratch[L_KERNEL] = (host > gpu ? (host - gpu) / 3 : 0) + switchCost / 3;
  layerScratch[L_TP_FWD] = tpFwd;
  layerScratch[L_EP] = epAll;
  layerScratch[L_RECOMPUTE_SELECTIVE] = attn + (tokens * lo.selectiveSavedTpBytes) / tp / p.memBw;
  layerScratch[L_CP] = cpAll;
}

/**
 * Forward time of unfused attention, scaled so that the engine's 3.5x forward-plus-backward gives the
 * unfused path's 3x: the two score products run as batched GEMMs over the whole s x s square (the causal
 * mask is applied after), and each score element is written, softmaxed, dropped out and read back,
 * about 10 bytes forward and 20 backward (Korthikanti et al. 2022, section 4.1, table 1).
 */
function unfusedAttentionSeconds(p: Prepared, tokens: number, tp: number, lo: LayerOperators): number {
  const flops = (tokens * p.seqLen * lo.attentionFlopsPerTokenPerKey) / tp;
  const gemm = flops / (p.hw.peakFlopsBf16 * p.profile.gemmEfficiency);
  const scores = (tokens * p.ops.model.heads * p.seqLen) / tp;
  const traffic = (scores * 10) / p.memBw;
  return ((gemm + traffic) * 3) / 3.5;
}

/**
 * Achieved bandwidth per rank of a ring collective over a group of `g` ranks spaced `stride` apart
 * (Megatron rank order: tp innermost, then cp, dp, pp). Inside one scale-up domain it is the
 * NVLink/NeuronLink bandwidth. Across domains NCCL runs one ring per NIC: with k group members per
 * domain, k NICs carry the inter-domain traffic in parallel, so the group sees k x the per-chip
 * scale-out bandwidth, up to the scale-up bandwidth that feeds them (NCCL tests' "bus bandwidth").
 */
export function ringBandwidth(p: Prepared, g: number, stride: number): number {
  const domain = p.hw.scaleUpDomainRanks;
  if (g * stride <= domain) return p.scaleUpBw;
  const perDomain = Math.max(1, Math.min(g, Math.floor(domain / stride)));
  const bw = perDomain * p.scaleOutBw;
  return Math.min(bw, p.scaleUpBw);
}

function ringAlpha(p: Prepared, g: number, stride: number): number {
  return g * stride <= p.hw.scaleUpDomainRanks
    ? p.profile.scaleUpLatencySeconds
    : p.profile.scaleOutLatencySeconds;
}

/** Key+value width per token (elements) exchanged by context parallelism. */
function kvWidthOf(m: WorkloadOperators["model"]): number {
  if (m.mla) return m.heads * (m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim + m.mla.vHeadDim);
  const d = m.headDim ?? m.hidden / m.heads;
  return 2 * (m.kvHeads ?? m.heads) * d;
}

/** Stored activations of one layer for one micro-batch (Korthikanti et al. 2022, table 2 generalised). */
function layerActivationBytes(
  lo: LayerOperators,
  tokens: number,
  hidden: number,
  tp: number,
  seqShare: number,
  recompute: number,
  unfusedScoreBytes: number,
  fp8: number,
): number {
  if (recompute === RECOMPUTE_FULL) return (tokens * 2 * hidden) / seqShare;
  // Selective recomputation drops the attention core's stored tensors, scores included (Korthikanti
  // et al. 2022, section 5); without it an unfused kernel keeps 5·a·s bytes per token. Under fp8 the
  // GEMM inputs kept for backward are 1-byte copies.
  let tpBytes = lo.activationTpBytes + unfusedScoreBytes - fp8 * lo.fp8SavedTpBytes;
  if (recompute === RECOMPUTE_SELECTIVE) {
    tpBytes -= lo.selectiveSavedTpBytes - fp8 * lo.fp8SavedSelectiveTpBytes + unfusedScoreBytes;
  }
  const seqBytes = lo.activationSeqBytes - fp8 * lo.fp8SavedSeqBytes;
  return tokens * (seqBytes / seqShare + tpBytes / tp);
}

const stageScratch = new Float64Array(3);

/**
 * Weights, gradients and optimizer states of one stage's rank, into stageScratch; returns their sum.
 * Mixed-precision Adam as Megatron-LM's distributed optimizer counts it: bf16 weights (2 bytes), fp32
 * gradients (4, or 2 when gradients are kept and reduced in bf16), fp32 master weights + two moments
 * (12); ZeRO-1 shards the 12, ZeRO-2 also the gradients
 * (Rajbhandari et al. 2020, ZeRO, section 5; their 16 bytes assume fp16 gradients).
 */
function stageMemory(
  gradBytes: number,
  dense: number,
  expert: number,
  dp: number,
  cp: number,
  tp: number,
  ep: number,
  etp: number,
  zero: number,
  layersPerStage: number,
): number {
  const dpGroup = dp * cp;
  const edpGroup = (dp * cp * tp) / (ep * etp);
  const params = dense + expert;
  const sharded = dense / dpGroup + expert / edpGroup;
  let weights = 2 * params;
  let grads = gradBytes * params;
  let optimizer = 12 * params;
  if (zero >= 1) optimizer = 12 * sharded;
  if (zero >= 2) grads = gradBytes * sharded;
  if (zero >= 3) {
    // FSDP keeps only the sharded fp32 master (counted with the optimizer states) and gathers bf16
    // weights about two layers at a time, the current one and the prefetched next (Zhao et al. 2023, sec. 3.3).
    weights = (2 * 2 * params) / Math.max(1, layersPerStage + 2);
  }
  stageScratch[0] = weights;
  stageScratch[1] = grads;
  stageScratch[2] = optimizer;
  return weights + grads + optimizer;
}

/**
 * Memory per rank for the most loaded stage: the first (embedding, most micro-batches in flight) or
 * the last (output head, MTP modules, logits). Writes OUT_MEM_* and returns the total in bytes.
 * Weights, gradients and optimizer states as in stageMemory; activations follow Korthikanti et al.
 * 2022 (section 4, eq. 2-5) with flash attention.
 */
export function evaluateMemory(
  p: Prepared,
  tp: number,
  pp: number,
  vpp: number,
  dp: number,
  cp: number,
  ep: number,
  microBatch: number,
  microBatches: number,
  recompute: number,
  zero: number,
  sp: number,
  fp8: number,
  out: Float64Array,
): number {
  const ops = p.ops;
  const etp = ep > 1 ? 1 : tp;
  const layersPerStage = Math.ceil(p.layers / pp);
  const moeShare = p.layers > 0 ? p.moeLayers / p.layers : 0;
  const moeOnStage = Math.min(p.moeLayers, Math.ceil(moeShare * layersPerStage));
  const denseOnStage = layersPerStage - moeOnStage;
  const d = ops.dense;
  const mo = ops.moe;
  const mtp = p.mtpLayers;
  const h = p.hidden;
  // Per-rank parameters of a layer of each kind (experts split over ep, the rest over tp).
  const denseLayerParams = d.paramsReplicated + d.paramsTpSplit / tp;
  const moeLayerParams = mo ? mo.paramsReplicated + mo.paramsTpSplit / tp : 0;
  const moeLayerExperts = mo ? mo.paramsExperts / (ep * etp) : 0;
  // The first stage holds the embedding; the last holds the output head and the multi-token-
  // prediction modules (each a layer plus a 2h x h projection). With pp = 1 one stage holds all.
  const stageDense = denseOnStage * denseLayerParams + moeOnStage * moeLayerParams;
  const stageExpert = moeOnStage * moeLayerExperts;
  const mtpDense = mtp * ((mo ? moeLayerParams : denseLayerParams) + (2 * h * h) / tp);
  const mtpExpert = mo ? mtp * moeLayerExperts : 0;
  const headParams = ops.outputHeadParams / tp;
  const firstDense = stageDense + ops.embeddingParams / tp + (pp === 1 ? headParams + mtpDense : 0);
  const firstExpert = stageExpert + (pp === 1 ? mtpExpert : 0);
  const lastDense = pp === 1 ? firstDense : stageDense + headParams + mtpDense;
  const lastExpert = pp === 1 ? firstExpert : stageExpert + mtpExpert;
  // Activations of one micro-batch for one layer of each kind.
  const tokens = (microBatch * p.seqLen) / cp;
  const seqShare = sp ? tp : 1;
  const actDense = layerActivationBytes(d, tokens, h, tp, seqShare, recompute, p.unfusedScoreBytes, fp8);
  const actMoe = mo
    ? layerActivationBytes(mo, tokens, h, tp, seqShare, recompute, p.unfusedScoreBytes, fp8)
    : 0;
  const stageAct = denseOnStage * actDense + moeOnStage * actMoe;
  const mtpAct = mtp * (mo ? actMoe : actDense);
  // With offloading every layer's activations go to host memory as the forward pass leaves the layer
  // and come back ahead of its backward: the device holds the layer computing and the one in transfer,
  // whatever is in flight.
  const offloaded = recompute === RECOMPUTE_OFFLOAD ? 2 * Math.max(actDense, actMoe) : -1;
  // 1F1B keeps min(m, pp) micro-batches in flight on the first stage; interleaving adds
  // (pp-1)/(pp·vpp) (Korthikanti et al. 2022, eq. 5 and section 4.2.3). The last stage keeps one,
  // plus, when interleaved, the earlier virtual chunks it also runs.
  const filled = Math.min(microBatches, pp);
  const firstInFlight = filled * (vpp > 1 ? 1 + (pp - 1) / (pp * vpp) : 1);
  const lastInFlight = vpp > 1 ? 1 + ((filled - 1) * (vpp - 1)) / vpp : 1;
  let working = 0;
  if (recompute === RECOMPUTE_FULL) {
    // One layer's full working set is rebuilt during its backward pass.
    working = tokens * (d.activationSeqBytes / seqShare + d.activationTpBytes / tp);
    if (mo)
      working = Math.max(working, tokens * (mo.activationSeqBytes / seqShare + mo.activationTpBytes / tp));
  }
  // Output head(s): bf16 logits plus the fp32 softmax of the loss, one micro-batch at a time.
  const logitBytes = ((1 + mtp) * tokens * p.vocab * 6) / tp;
  const first = stageMemory(p.gradBytes, firstDense, firstExpert, dp, cp, tp, ep, etp, zero, layersPerStage);
  const firstAct =
    offloaded >= 0 ? offloaded : firstInFlight * (stageAct + (pp === 1 ? mtpAct : 0)) + working;
  const firstLogits = pp === 1 ? logitBytes : 0;
  const firstTotal = first + firstAct + firstLogits;
  let weights = stageScratch[0];
  let grads = stageScratch[1];
  let optimizer = stageScratch[2];
  let activations = firstAct;
  let logits = firstLogits;
  if (pp > 1) {
    const last = stageMemory(p.gradBytes, lastDense, lastExpert, dp, cp, tp, ep, etp, zero, layersPerStage);
    const lastAct = offloaded >= 0 ? offloaded : lastInFlight * (stageAct + mtpAct) + working;
    if (last + lastAct + logitBytes > firstTotal) {
      weights = stageScratch[0];
      grads = stageScratch[1];
      optimizer = stageScratch[2];
      activations = lastAct;
      logits = logitBytes;
    }
  }
  const dynamic = weights + grads + optimizer + activations + logits;
  const reserved = RESERVED_BYTES / p.hw.ranksPerChip + FRAGMENTATION * dynamic;
  const total = dynamic + reserved;
  out[OUT_MEM_WEIGHTS] = weights;
  out[OUT_MEM_GRADS] = grads;
  out[OUT_MEM_OPTIMIZER] = optimizer;
  out[OUT_MEM_ACTIVATIONS] = activations;
  out[OUT_MEM_LOGITS] = logits;
  out[OUT_MEM_RESERVED] = reserved;
  out[OUT_MEM_TOTAL] = total;
  return total;
}

/** Slots of the per-micro-batch cost vector (all layers of the model, forward pass, seconds). */
export const C_GEMM = 0;
export const C_ATTN = 1;
export const C_ELEM = 2;
export const C_LAUNCH = 3;
export const C_TP_FWD = 4;
export const C_EP_ALL = 5;
export const C_CP_ALL = 6;
export const C_SELECTIVE = 7;
export const C_HEAD_GEMM = 8;
export const C_HEAD_ELEM = 9;
export const C_GEMM_BWD = 10;
/** Activations one micro-batch stores through all layers without recomputation, bytes (for offloading). */
export const C_ACTIVATION_BYTES = 11;
export const C_SIZE = 12;

/**
 * Forward costs of one micro-batch through every layer and the output head, for the sizes that
 * shape the kernels (tokens per rank, tp, cp, ep, sequence parallelism, precision). The search
 * computes this once and reuses it for every pipeline, ZeRO and recomputation choice.
 */
export function microBatchCosts(
  p: Prepared,
  tokens: number,
  tp: number,
  cp: number,
  ep: number,
  sp: number,
  fp8: number,
  c: Float64Array,
): void {
  const ops = p.ops;
  c.fill(0);
  const moeLayers = p.moeLayers + (ops.moe ? p.mtpLayers : 0);
  const denseLayers = p.denseLayers + (ops.moe ? 0 : p.mtpLayers);
  if (denseLayers > 0) addLayers(p, ops.dense, denseLayers, tokens, tp, cp, ep, sp, fp8, c);
  if (moeLayers > 0 && ops.moe) addLayers(p, ops.moe, moeLayers, tokens, tp, cp, ep, sp, fp8, c);
  // Output head(s) in bf16 (fp8 recipes keep the first and last layers in higher precision).
  const heads = 1 + p.mtpLayers;
  const lg = ops.logitsGemm;
  const hw = p.hw;
  const head = gemmRates(p, hw.peakFlopsBf16, 1, 2);
  c[C_HEAD_GEMM] = heads * gemmSeconds(tokens, lg.n / tp, lg.k, head);
  c[C_HEAD_ELEM] = (heads * tokens * ops.logitsElementwiseBytesPerToken) / tp / p.memBw;
  c[C_GEMM] += c[C_HEAD_GEMM];
  c[C_GEMM_BWD] += heads * backwardGemmSeconds(tokens, lg.n / tp, lg.k, head);
  c[C_ELEM] += c[C_HEAD_ELEM];
}

function addLayers(
  p: Prepared,
  lo: LayerOperators,
  count: number,
  tokens: number,
  tp: number,
  cp: number,
  ep: number,
  sp: number,
  fp8: number,
  c: Float64Array,
): void {
  layerForward(p, lo, tokens, tp, cp, ep, sp, fp8);
  c[C_GEMM] += count * layerScratch[L_GEMM];
  c[C_GEMM_BWD] += count * layerScratch[L_GEMM_BWD];
  c[C_ATTN] += count * layerScratch[L_ATTN];
  c[C_ELEM] += count * layerScratch[L_ELEM];
  c[C_LAUNCH] += count * layerScratch[L_KERNEL];
  c[C_TP_FWD] += count * layerScratch[L_TP_FWD];
  c[C_EP_ALL] += count * layerScratch[L_EP];
  c[C_CP_ALL] += count * layerScratch[L_CP];
  c[C_SELECTIVE] += count * layerScratch[L_RECOMPUTE_SELECTIVE];
  const seqShare = sp ? tp : 1;
  c[C_ACTIVATION_BYTES] +=
    count *
    layerActivationBytes(lo, tokens, p.hidden, tp, seqShare, RECOMPUTE_NONE, p.unfusedScoreBytes, fp8);
}

const costScratch = new Float64Array(C_SIZE);

/**
 * Step time for one plan. Writes the OUT_* components (which sum to OUT_STEP) and returns the step
 * seconds. `globalBatch` is in sequences.
 */
export function evaluateTime(
  p: Prepared,
  tp: number,
  pp: number,
  vpp: number,
  dp: number,
  cp: number,
  ep: number,
  microBatch: number,
  recompute: number,
  zero: number,
  sp: number,
  fp8: number,
  globalBatch: number,
  out: Float64Array,
): number {
  microBatchCosts(p, (microBatch * p.seqLen) / cp, tp, cp, ep, sp, fp8, costScratch);
  return assembleStep(
    p,
    costScratch,
    tp,
    pp,
    vpp,
    dp,
    cp,
    ep,
    microBatch,
    recompute,
    zero,
    sp,
    globalBatch,
    out,
  );
}

/**
 * How much longer the heaviest pipeline chunk is than the average one: with `pp x vpp` chunks that do
 * not divide the layers, some chunks hold one layer more, and every stage waits for them in steady
 * state. When the layers plus the embedding and loss (each a layer's slot, Megatron-LM
 * --account-for-embedding/loss-in-pipeline-split) divide evenly, the split is balanced.
 */
export function pipelineImbalance(layers: number, pp: number, vpp: number): number {
  const chunks = pp * vpp;
  if (chunks <= 1 || layers % chunks === 0 || (layers + 2) % chunks === 0) return 1;
  return (Math.ceil(layers / chunks) * chunks) / layers;
}

/** Step time from precomputed micro-batch costs (see microBatchCosts). */
export function assembleStep(
  p: Prepared,
  c: Float64Array,
  tp: number,
  pp: number,
  vpp: number,
  dp: number,
  cp: number,
  ep: number,
  microBatch: number,
  recompute: number,
  zero: number,
  sp: number,
  globalBatch: number,
  out: Float64Array,
): number {
  const prof = p.profile;
  const tokens = (microBatch * p.seqLen) / cp;
  const m = globalBatch / (dp * microBatch);
  const ops = p.ops;
  const gemmF = c[C_GEMM];
  const attnF = c[C_ATTN];
  const elemF = c[C_ELEM];
  const kernF = c[C_LAUNCH];
  const tpF = c[C_TP_FWD];
  const epAll = c[C_EP_ALL];
  const cpAll = c[C_CP_ALL];
  const selective = c[C_SELECTIVE];
  const headGemm = c[C_HEAD_GEMM];
  const headElem = c[C_HEAD_ELEM];
  // Backward: data and weight gradient per forward GEMM (backwardGemmSeconds), flash-attention
  // backward ~2.5x its forward (Dao 2023, FlashAttention-2, section 3.1.2: five matmuls against
  // two), element-wise ~2x.
  const gemmMb = gemmF + c[C_GEMM_BWD];
  const attnMb = 3.5 * attnF;
  const elemMb = 3 * elemF;
  const kernMb = 3 * kernF;
  let recomputeMb = 0;
  let tpTotalMb = 2 * tpF;
  if (recompute === RECOMPUTE_FULL) {
    recomputeMb = gemmF - headGemm + attnF + elemF - headElem + kernF;
    tpTotalMb += tpF;
  } else if (recompute === RECOMPUTE_SELECTIVE) {
    recomputeMb = selective;
  }
  const tpExposedMb = tpTotalMb * (1 - prof.tpOverlap);
  // Context-parallel exchange overlaps with the attention it feeds.
  const cpExposedMb = Math.max(0, cpAll - attnMb);
  const epExposedMb = epAll * (1 - prof.epOverlap);

  // Activation offloading (Megatron-Core cpu_offloading): each layer's activations cross the host link
  // out during its forward and back before its backward, on their own stream; what the forward and
  // backward compute of the micro-batch on the stage cannot hide is exposed.
  let offloadMb = 0;
  if (recompute === RECOMPUTE_OFFLOAD && p.hw.hostLinkBytesPerSecond > 0) {
    const transfer = c[C_ACTIVATION_BYTES] / pp / p.hw.hostLinkBytesPerSecond;
    const forward = (gemmF + attnF + elemF + kernF) / pp;
    const backward = (gemmMb + attnMb + elemMb + kernMb) / pp - forward;
    offloadMb = Math.max(0, transfer - forward) + Math.max(0, transfer - backward);
  }
  const balancedMb =
    (gemmMb + attnMb + elemMb + kernMb + recomputeMb + tpExposedMb + cpExposedMb + epExposedMb) / pp +
    offloadMb;
  const stageMb = balancedMb * pipelineImbalance(p.layers, pp, vpp);
  // Idle time: pipeline fill and drain (Narayanan et al. 2021, eq. 1-2), plus every micro-batch's wait for
  // the heaviest chunk of an uneven split; the compute components below count the balanced share.
  const bubble = (pp > 1 ? ((pp - 1) / vpp) * stageMb : 0) + m * (stageMb - balancedMb);

  // Pipeline p2p: fill and drain expose one send per hop; steady-state sends overlap compute.
  let ppComm = 0;
  if (pp > 1) {
    const bytes = (tokens * p.hidden * 2) / (sp ? tp : 1);
    const stride = tp * cp * dp;
    ppComm = 2 * (pp * vpp - 1) * sendSeconds(bytes, ringBandwidth(p, pp, stride), ringAlpha(p, pp, stride));
  }

  // Data parallel gradient reduction and parameter gathering (the dp x cp group holds replicas).
  const etp = ep > 1 ? 1 : tp;
  const mo = ops.moe;
  const layersPerStage = p.layers / pp;
  const moeOnStage = p.layers > 0 ? (p.moeLayers / p.layers) * layersPerStage : 0;
  const denseOnStage = layersPerStage - moeOnStage;
  let dense =
    denseOnStage * (ops.dense.paramsReplicated + ops.dense.paramsTpSplit / tp) +
    (ops.embeddingParams + ops.outputHeadParams) / (tp * pp);
  let expert = 0;
  if (mo) {
    dense += moeOnStage * (mo.paramsReplicated + mo.paramsTpSplit / tp);
    expert = (moeOnStage * mo.paramsExperts) / (ep * etp);
  }
  if (p.mtpLayers > 0) {
    // Multi-token-prediction modules: a layer and a 2h x h projection each, spread over the stages.
    const lo = mo ?? ops.dense;
    dense += (p.mtpLayers * (lo.paramsReplicated + (lo.paramsTpSplit + 2 * p.hidden * p.hidden) / tp)) / pp;
    if (mo) expert += (p.mtpLayers * mo.paramsExperts) / (ep * etp * pp);
  }
  const dpGroup = dp * cp;
  const edpGroup = (dp * cp * tp) / (ep * etp);
  const dpBw = ringBandwidth(p, dpGroup, tp);
  const dpAlpha = ringAlpha(p, dpGroup, tp);
  // Expert weights are replicated over the expert-data-parallel group, whose members sit ep x etp
  // ranks apart (Megatron-Core expert rank order etp, ep, edp, pp): often one per node.
  const edpBw = ringBandwidth(p, edpGroup, ep * etp);
  const edpAlpha = ringAlpha(p, edpGroup, ep * etp);
  const fwdMbStage = (gemmF + attnF + elemF + kernF + tpF) / pp;
  const bwdMbStage = stageMb - fwdMbStage;
  let dpTotal = 0;
  let dpExposed = 0;
  const g = p.gradBytes;
  if (zero >= 3) {
    // FSDP: every micro-batch gathers bf16 weights for forward and backward and reduce-scatters
    // gradients, overlapped with that micro-batch's compute (Zhao et al. 2023, PyTorch FSDP, sec. 3.3).
    const perMb =
      2 *
        (allGatherSeconds(2 * dense, dpGroup, dpBw, dpAlpha) +
          allGatherSeconds(2 * expert, edpGroup, edpBw, edpAlpha)) +
      allGatherSeconds(g * dense, dpGroup, dpBw, dpAlpha) +
      allGatherSeconds(g * expert, edpGroup, edpBw, edpAlpha);
    dpTotal = m * perMb;
    dpExposed = m * Math.max(0, perMb - prof.dpOverlap * stageMb);
  } else {
    // Gradients (fp32, or bf16 where the recipe says so) are reduced while the last micro-batch's
    // backward runs; with a sharded optimizer the updated bf16 weights are all-gathered while the
    // next step's first forward runs.
    const reduce =
      zero === 0
        ? allReduceSeconds(g * dense, dpGroup, dpBw, dpAlpha) +
          allReduceSeconds(g * expert, edpGroup, edpBw, edpAlpha)
        : allGatherSeconds(g * dense, dpGroup, dpBw, dpAlpha) +
          allGatherSeconds(g * expert, edpGroup, edpBw, edpAlpha);
    const gather =
      zero === 0
        ? 0
        : allGatherSeconds(2 * dense, dpGroup, dpBw, dpAlpha) +
          allGatherSeconds(2 * expert, edpGroup, edpBw, edpAlpha);
    dpTotal = reduce + gather;
    dpExposed =
      Math.max(0, reduce - prof.dpOverlap * bwdMbStage) + Math.max(0, gather - prof.dpOverlap * fwdMbStage);
  }

  // Adam step: read fp32 master, moments and gradient, write them back and the bf16 copy: 30 bytes/param.
  const optParams = zero >= 1 ? dense / dpGroup + expert / edpGroup : dense + expert;
  const optimizer = (30 * optParams) / p.memBw;

  const step = m * balancedMb + bubble + ppComm + dpExposed + optimizer;
  out[OUT_GEMM] = (m * gemmMb) / pp;
  out[OUT_ATTENTION] = (m * attnMb) / pp;
  out[OUT_ELEMENTWISE] = (m * elemMb) / pp;
  out[OUT_KERNEL_OVERHEAD] = (m * kernMb) / pp;
  out[OUT_RECOMPUTE] = (m * recomputeMb) / pp;
  out[OUT_OFFLOAD] = m * offloadMb;
  out[OUT_TP_COMM] = (m * tpExposedMb) / pp;
  out[OUT_CP_COMM] = (m * cpExposedMb) / pp;
  out[OUT_EP_COMM] = (m * epExposedMb) / pp;
  out[OUT_PP_COMM] = ppComm;
  out[OUT_DP_COMM] = dpExposed;
  out[OUT_BUBBLE] = bubble;
  out[OUT_OPTIMIZER] = optimizer;
  out[OUT_STEP] = step;
  out[OUT_MICROBATCHES] = m;
  out[OUT_TOKENS_PER_SECOND_PER_RANK] = (globalBatch * p.seqLen) / (step * tp * pp * dp * cp);
  out[OUT_TP_TOTAL] = (m * tpTotalMb) / pp;
  out[OUT_DP_TOTAL] = dpTotal;
  out[OUT_EP_TOTAL] = (m * epAll) / pp;
  return step;
}
