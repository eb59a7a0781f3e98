import { allGatherSeconds, allReduceSeconds, allToAllSeconds, sendSeconds } from "../time/collectives.js";
import { backwardGemmSeconds, type GemmRates, gemmSeconds } from "../time/gemm.js";
import {
  GROUP_DENSE_MLP,
  GROUP_MLA_UP_PROJECTION,
  GROUP_ROUTED_EXPERT,
  type LayerOperators,
  SPLIT_COLUMN,
  SPLIT_NONE,
  SPLIT_ROW,
} from "../workload/operators.js";
import { ringAlpha, ringBandwidth } from "./groupBandwidth.js";
import { expertTp, type PlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";

/** Forward-pass costs of one layer for one micro-batch on one rank, seconds (layerForward writes them). */
export interface LayerCosts {
  gemm: number;
  /** Backward GEMMs (data and weight gradients). */
  gemmBackward: number;
  attention: number;
  elementwise: number;
  /** Launch-bound time the GPU work does not hide, and the attention-switch host cost, per pass. */
  launch: number;
  /** Forward tensor-parallel communication. */
  tpForward: number;
  /** All expert-parallel all-to-alls (forward and backward). */
  expertAllToAll: number;
  /** Forward time that selective recomputation (Megatron's core_attn) repeats: the attention core. */
  selectiveRecompute: number;
  /**
   * Forward time each other Megatron recompute module repeats (operators.ts ModuleRecomputeTable):
   * layernorm its norms, mla_up_proj the up-projection GEMMs and the rotary embedding, moe_act the
   * routed experts' activation kernel, mlp a dense MLP's GEMMs, norm and activation, and the MLP's
   * tensor-parallel collectives apart (mlpRecomputeTp).
   */
  layernormRecompute: number;
  mlaUpRecompute: number;
  moeActRecompute: number;
  mlpRecompute: number;
  mlpRecomputeTp: number;
  /** Forward time that torchtitan's per-operator checkpointing repeats (all but its saved ops). */
  opSelectiveRecompute: number;
  /** The whole context-parallel exchange. */
  contextExchange: number;
}

// Refilled per call (module-level: no allocation per evaluation).
const layer: LayerCosts = {
  gemm: 0,
  gemmBackward: 0,
  attention: 0,
  elementwise: 0,
  launch: 0,
  tpForward: 0,
  expertAllToAll: 0,
  selectiveRecompute: 0,
  layernormRecompute: 0,
  mlaUpRecompute: 0,
  moeActRecompute: 0,
  mlpRecompute: 0,
  mlpRecomputeTp: 0,
  opSelectiveRecompute: 0,
  contextExchange: 0,
};
const rates: GemmRates = {
  peakFlops: 0,
  efficiency: 0,
  fixedSeconds: 0,
  bytesPerElement: 0,
  memBytesPerSecond: 0,
  gradBytes: 0,
};

/** The GEMM rates of a prepared run at one precision (efficiency scaled by `efficiencyRatio`). */
export function gemmRates(
  p: Prepared,
  peakFlops: number,
  efficiencyRatio: number,
  bytesPerElement: number,
): GemmRates {
  rates.peakFlops = peakFlops;
  rates.efficiency = p.profile.gemmEfficiency * efficiencyRatio;
  rates.fixedSeconds = p.profile.gemmFixedSeconds;
  rates.bytesPerElement = bytesPerElement;
  rates.memBytesPerSecond = p.memBw;
  rates.gradBytes = p.gradBytes;
  return rates;
}

/**
 * Forward-pass costs of one layer for one micro-batch of `tokens` tokens on one rank (valid until the
 * next call). Backward costs are derived by the step (step.ts: 3.5x attention, 3x element-wise).
 */
export function layerForward(p: Prepared, lo: LayerOperators, tokens: number, plan: PlanRecord): LayerCosts {
  const prof = p.profile;
  const hw = p.hw;
  const { tp, cp, sp, fp8 } = plan;
  const gemm = layerGemms(p, lo, tokens, plan);
  const seqShare = sp ? tp : 1;
  const attnFlops = (tokens * p.attendedKeys * lo.attentionFlopsPerTokenPerKey) / tp;
  // Each context-parallel rank runs attention on its own 1/cp of the sequence.
  const chunk = p.seqLen / cp;
  // Query tiles of 128 rows the rank's kernel runs: few of them leave waves part-empty (derived.json).
  const tiles = (tokens * p.queryHeads) / (128 * tp);
  const attnEff =
    prof.attentionEfficiency *
    (chunk / (chunk + prof.attentionSeqHalf)) *
    (p.headDim / (p.headDim + prof.attentionHeadDimHalf)) *
    (tiles / (tiles + prof.attentionTilesHalf)) *
    p.attentionKernelFactor;
  const attn =
    p.attentionKernel === "unfused"
      ? unfusedAttentionSeconds(p, tokens, tp, lo)
      : attnFlops / (hw.peakFlopsBf16 * attnEff);
  // Ring attention over cp ranks runs cp partial attentions and folds each into the fp32 output with
  // its log-sum-exp: every fold after the first reads the accumulator and the new part and writes back.
  const cpMergeBytes = cp > 1 ? (cp - 1) * 3 * 4 * tokens * (p.qWidth / tp) : 0;
  // Eager PyTorch norms, rotary and activation move more bytes than fused kernels (eagerKernels.ts).
  const eager = p.eager;
  const seqBytes = lo.elementwiseSeqBytes + eager.norm * lo.normSeqBytes;
  const tpBytes =
    lo.elementwiseTpBytes +
    eager.rotary * lo.rotaryTpBytes +
    eager.gatedActivation * lo.gatedActivationTpBytes;
  const elemBytesTotal = tokens * (seqBytes / seqShare + tpBytes / tp) + gemm.castBytes + cpMergeBytes;
  const elem = elemBytesTotal / p.memBw;
  let kernels = lo.kernelsForward + 2 * (cp - 1); // a partial attention and a fold per extra ring step
  if (lo.isMoe) kernels += (lo.experts / plan.ep) * lo.kernelsPerLocalExpert * (fp8 ? 2 : 1);
  const kernel = kernels * prof.launchSeconds;
  // The host issues ~3x the forward kernels per layer (forward + backward); when that takes longer
  // than the GPU work they launch, the layer is launch-bound and the difference is exposed.
  const gpu = gemm.forward + gemm.backward + 3.5 * attn + 3 * elem;
  const host = 3 * kernel;
  // Layers that alternate attention configurations pay a host-side cost per layer forward that no
  // GPU work hides (profile attentionSwitchSeconds; charged as a third of it per pass, x3 by the step).
  const switchCost = p.alternatingAttention ? prof.attentionSwitchSeconds : 0;
  // The forward MoE block's host work: the dispatcher's own calls (dispatcherHostSeconds) and each local
  // expert's GEMM set-up and launches in turn (Transformer Engine's GroupedLinear;
  // dispatchSyncSecondsPerExpert). Megatron's alltoall and allgather dispatchers copy the per-expert
  // token counts to the host in every MoE layer and wait for them (token_dispatcher.py at core_v0.15.0:
  // before the expert all-to-all when ep > 1): the drained GPU then waits for all of it. DeepEP's normal
  // dispatch and HybridEP's blocking dispatch wait for the counts too (fused_a2a.py), but fuse the
  // permutations into their kernels and leave the host less to issue: charged the full wait, leave one
  // source out and the worst cases got worse (docs/model.md, "Fourth refit"). Padded to capacity
  // (software.expertCapacityFactor) the shapes are fixed and nothing is copied (token_dispatcher.py,
  // _maybe_dtoh_and_synchronize: nothing when drop_and_pad). Without the wait the host still issues the
  // same work, and it is exposed only where the host is slower than the GPU (launchBound below).
  const moeHost = lo.isMoe
    ? prof.dispatcherHostSeconds + (lo.experts / plan.ep) * prof.dispatchSyncSecondsPerExpert
    : 0;
  const syncCost = p.dispatcherSyncs ? moeHost : 0;
  const hostUnsynced = host + (p.dispatcherSyncs ? 0 : moeHost);
  layer.gemm = gemm.forward;
  layer.gemmBackward = gemm.backward;
  layer.attention = attn;
  layer.elementwise = elem;
  // Layers captured in CUDA graphs replay without a launch per kernel (software.cudaGraphs).
  const launchBound = p.software.cudaGraphs ? 0 : hostUnsynced > gpu ? (hostUnsynced - gpu) / 3 : 0;
  layer.launch = launchBound + (switchCost + syncCost) / 3;
  layer.tpForward = tensorParallelForward(p, lo, tokens, plan);
  layer.expertAllToAll = expertAllToAll(p, lo, tokens, plan);
  layer.selectiveRecompute = attn;
  moduleRecompute(p, lo, tokens, plan, gemm);
  // Per-operator checkpointing reruns the matmuls it did not save and every element-wise op and
  // launch; the saved host copy of the routing counts spares the dispatcher's sync.
  layer.opSelectiveRecompute = gemm.opRecomputed + elem + launchBound + switchCost / 3;
  layer.contextExchange = contextExchange(p, tokens, plan);
  return layer;
}

/**
 * What Megatron's output-discarding and MLP recompute modules rerun, into `layer`: the element-wise
 * kernels at the memory bandwidth (eager where the stack runs them eager, eagerKernels.ts), the GEMMs
 * as layerGemms timed them. mla_up_proj's q/kv latent norms and, under sequence parallelism, its
 * repeated all-gather are left out (small next to its GEMMs).
 */
function moduleRecompute(
  p: Prepared,
  lo: LayerOperators,
  tokens: number,
  plan: PlanRecord,
  gemm: typeof gemms,
) {
  const m = lo.modules;
  const tp = plan.tp;
  const seqShare = plan.sp ? tp : 1;
  const eager = p.eager;
  const bw = p.memBw;
  // A norm reads and writes its h values: twice the output it drops.
  layer.layernormRecompute = (tokens * 2 * m.normOutputSeqBytes * (1 + eager.norm)) / seqShare / bw;
  layer.mlaUpRecompute =
    m.mlaQkvTpBytes > 0 ? gemm.mlaUpForward + (tokens * lo.rotaryTpBytes * (1 + eager.rotary)) / tp / bw : 0;
  layer.moeActRecompute = (tokens * m.expertActTrafficTpBytes * (1 + eager.gatedActivation)) / tp / bw;
  const mlpTraffic =
    (m.denseMlpTrafficSeqBytes * (1 + eager.norm)) / seqShare +
    (m.denseMlpTrafficTpBytes + eager.gatedActivation * m.denseMlpGatedTpBytes) / tp;
  layer.mlpRecompute = gemm.denseMlpForward + (tokens * mlpTraffic) / bw;
  layer.mlpRecomputeTp = m.denseMlpTpBytes > 0 ? layer.tpForward / 2 : 0;
}

const gemms = { forward: 0, backward: 0, castBytes: 0, opRecomputed: 0, mlaUpForward: 0, denseMlpForward: 0 };

/**
 * The layer's GEMMs, forward and backward, the bytes fp8 recipes spend casting their inputs, and the
 * forward time per-operator checkpointing and the mla_up_proj and mlp recompute modules repeat.
 */
function layerGemms(p: Prepared, lo: LayerOperators, tokens: number, plan: PlanRecord): typeof gemms {
  const hw = p.hw;
  const { tp, ep, fp8 } = plan;
  const r = gemmRates(
    p,
    fp8 ? hw.peakFlopsFp8 : hw.peakFlopsBf16,
    fp8 ? p.profile.fp8EfficiencyRatio : 1,
    fp8 ? 1 : 2,
  );
  const etp = expertTp(plan);
  let forward = 0;
  let backward = 0;
  let castBytes = 0;
  let opRecomputed = 0;
  let mlaUpForward = 0;
  let denseMlpForward = 0;
  const recomputedShare = lo.opCheckpoint.recomputedShare;
  const list = lo.gemms;
  for (let i = 0; i < list.length; i++) {
    const g = list[i];
    let m = tokens;
    let k = g.k;
    let n = g.n;
    let count = 1;
    let split = g.split;
    if (g.group === GROUP_ROUTED_EXPERT) {
      // Balanced routing: each of the E/ep local experts sees tokens·topK·ep/(E·tp/etp) rows (times the
      // capacity factor where inputs are padded to capacity: expertRowsPerToken).
      count = lo.experts / ep;
      m = (tokens * lo.expertRowsPerToken * ep) / (lo.experts * (tp / etp));
      if (etp === 1) split = SPLIT_NONE;
      if (split === SPLIT_COLUMN) n /= etp;
      else if (split === SPLIT_ROW) k /= etp;
    } else if (split === SPLIT_COLUMN) n /= tp;
    else if (split === SPLIT_ROW) k /= tp;
    const seconds = gemmSeconds(m, n, k, r, count);
    forward += seconds;
    opRecomputed += recomputedShare[i] * seconds;
    if (g.group === GROUP_MLA_UP_PROJECTION) mlaUpForward += seconds;
    else if (g.group === GROUP_DENSE_MLP) denseMlpForward += seconds;
    backward += backwardGemmSeconds(m, n, k, r, count);
    // FP8 recipes cast each GEMM input from bf16 (read 2 bytes, write 1) in forward and backward.
    if (fp8) castBytes += count * 3 * m * k;
  }
  gemms.forward = forward;
  gemms.backward = backward;
  gemms.castBytes = castBytes;
  gemms.opRecomputed = opRecomputed;
  gemms.mlaUpForward = mlaUpForward;
  gemms.denseMlpForward = denseMlpForward;
  return gemms;
}

/**
 * Tensor parallel: per block one all-reduce (or all-gather + reduce-scatter with sequence
 * parallelism, the same bytes) of the tokens x hidden activations (Korthikanti et al. 2022, sec. 4.2.2).
 * With fp8 and sequence parallelism, Transformer Engine all-gathers the activations already cast
 * to fp8 (1 byte) while the reduce-scatter stays bf16: 3/4 of the bf16 bytes.
 */
function tensorParallelForward(p: Prepared, lo: LayerOperators, tokens: number, plan: PlanRecord): number {
  const tp = plan.tp;
  if (tp <= 1) return 0;
  const bytesPerElement = plan.fp8 && plan.sp ? 1.5 : 2;
  return (
    lo.tpCollectivesForward *
    allReduceSeconds(tokens * p.hidden * bytesPerElement, tp, ringBandwidth(p, tp, 1), ringAlpha(p, tp, 1))
  );
}

/**
 * Dispatch and combine, forward and backward: four all-to-alls of the routed copies. With sequence
 * parallelism each tp rank routes its 1/tp of the tokens; without, all of them. How copies travel is
 * the stack's dispatcher (software.moeDispatcher):
 * - "alltoall": one copy per routed expert, over whichever link reaches its rank.
 * - "deepep" / "hybridep": one copy per destination node over the network, fanned out to that node's
 *   experts over the scale-up links (DeepEP, "normal" kernels; DeepSeek-V3 report sec. 3.2.2).
 * - "allgather": every rank gathers the whole group's tokens and reduce-scatters the outputs.
 */
function expertAllToAll(p: Prepared, lo: LayerOperators, tokens: number, plan: PlanRecord): number {
  const ep = plan.ep;
  if (!lo.isMoe || ep <= 1) return 0;
  const routed = tokens / (plan.sp ? plan.tp : 1);
  const tokenBytes = p.hidden * 2;
  const domain = p.hw.scaleUpDomainRanks;
  const alpha = ep <= domain ? p.profile.scaleUpLatencySeconds : p.profile.scaleOutLatencySeconds;
  const dispatcher = p.software.moeDispatcher;
  if (dispatcher === "allgather") {
    const bw = ep <= domain ? p.scaleUpBw : p.scaleOutBw;
    return 4 * allGatherSeconds(routed * ep * tokenBytes, ep, bw, alpha);
  }
  if ((dispatcher === "deepep" || dispatcher === "hybridep") && ep > domain) {
    const nodes = ep / domain;
    const remote = (remoteNodesPerToken(p, lo, nodes) * routed * tokenBytes) / p.scaleOutBw;
    const local = (lo.topK * routed * tokenBytes * (domain - 1)) / domain / p.scaleUpBw;
    return 4 * (Math.max(remote, local) + Math.log2(ep) * alpha);
  }
  // Padded to capacity, the exchanged buffers are as long as the experts' inputs (expertRowsPerToken).
  const bytes = routed * lo.expertRowsPerToken * tokenBytes;
  return 4 * allToAllSeconds(bytes, ep, domain, p.scaleUpBw, p.scaleOutBw, alpha);
}

/**
 * Other nodes a token's topK copies reach, when experts are spread evenly over `nodes` nodes: the
 * expected number of distinct nodes among topK experts drawn without replacement, less its own,
 * capped by group-limited routing (a token's experts come from at most topKGroups of the
 * routingGroups groups, each spanning nodes/groups nodes, or sharing one).
 */
function remoteNodesPerToken(p: Prepared, lo: LayerOperators, nodes: number): number {
  const experts = lo.experts;
  const perNode = experts / nodes;
  let missesNode = 1;
  for (let i = 0; i < lo.topK; i++) missesNode *= Math.max(0, experts - perNode - i) / (experts - i);
  let reached = nodes * (1 - missesNode);
  const moe = p.ops.model.moe;
  if (moe?.routingGroups && moe.topKGroups) {
    reached = Math.min(reached, moe.topKGroups * Math.max(1, nodes / moe.routingGroups));
  }
  return (reached * (nodes - 1)) / nodes;
}

/**
 * Ring attention (Liu et al. 2023; Megatron-Core context parallel): each rank receives the other
 * cp-1 chunks' keys and values in forward, and keys, values and their gradients in backward.
 * Key-value heads are split over tp, down to one head per rank (replicated beyond that).
 */
function contextExchange(p: Prepared, tokens: number, plan: PlanRecord): number {
  const { tp, cp } = plan;
  if (cp <= 1) return 0;
  const kvBytes = (tokens * p.kvWidth * 2) / Math.min(tp, p.kvHeads);
  return 3 * (cp - 1) * sendSeconds(kvBytes, ringBandwidth(p, cp, tp), ringAlpha(p, cp, tp));
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
