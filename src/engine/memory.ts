import type { LayerOperators } from "../workload/operators.js";
import {
  MODULE_CORE_ATTN,
  MODULE_LAYERNORM,
  MODULE_MLA_UP_PROJ,
  MODULE_MLP,
  MODULE_MOE_ACT,
  RECOMPUTE_FULL,
  RECOMPUTE_NONE,
  RECOMPUTE_OFFLOAD,
  RECOMPUTE_SELECTIVE,
  RECOMPUTE_SELECTIVE_OP,
  ZERO_1,
  ZERO_2,
  ZERO_3,
} from "./codes.js";
import { fsdpGathersPerMicroBatch, fsdpReshardsAfterForward } from "./dataParallel.js";
import type { StageLayout } from "./layout.js";
import type { PlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";
import { type StageRecompute, stageRecompute } from "./recompute.js";
import {
  OUT_MEM_ACTIVATIONS,
  OUT_MEM_GRADS,
  OUT_MEM_LOGITS,
  OUT_MEM_OPTIMIZER,
  OUT_MEM_RESERVED,
  OUT_MEM_TOTAL,
  OUT_MEM_WEIGHTS,
} from "./slots.js";

/**
 * Allowance for what the model does not itemise: CUDA/Neuron runtime context, communication
 * buffers and library workspaces (a fixed amount), and allocator fragmentation (a share of the rest).
 * PyTorch's caching allocator typically leaves 5-10% of reserved memory unusable
 * (PyTorch docs, "CUDA memory management"); NCCL and cuBLAS workspaces take 1-3 GiB.
 */
export const RESERVED_BYTES = 2 * 1024 ** 3;
export const FRAGMENTATION = 0.05;

/**
 * Stored activations of one layer for one micro-batch (Korthikanti et al. 2022, table 2 generalised).
 * Under RECOMPUTE_SELECTIVE, `modules` is the mask of Megatron's recompute modules in force
 * (codes.ts MODULE_*; "selective" is core_attn alone): each drops its tensors (ModuleRecomputeTable).
 */
export function layerActivationBytes(
  p: Prepared,
  lo: LayerOperators,
  tokens: number,
  plan: PlanRecord,
  recompute: number,
  modules = recompute === RECOMPUTE_SELECTIVE ? MODULE_CORE_ATTN : 0,
): number {
  const seqShare = plan.sp ? plan.tp : 1;
  if (recompute === RECOMPUTE_FULL) return (tokens * 2 * p.hidden) / seqShare;
  if (recompute === RECOMPUTE_SELECTIVE_OP) return opCheckpointBytes(lo, tokens, plan);
  // Under fp8 the GEMM inputs kept for backward are 1-byte copies; an unfused kernel keeps its scores,
  // 5·a·s bytes per token (Korthikanti et al. 2022, section 5), unless core_attn drops them.
  const fp8 = plan.fp8;
  const tpBytes = lo.activationTpBytes - fp8 * lo.fp8SavedTpBytes + p.unfusedScoreBytes;
  const seqBytes = lo.activationSeqBytes - fp8 * lo.fp8SavedSeqBytes;
  const kept = tokens * (seqBytes / seqShare + tpBytes / plan.tp);
  return recompute === RECOMPUTE_SELECTIVE ? kept - moduleDroppedBytes(p, lo, tokens, plan, modules) : kept;
}

/** What Megatron's recompute modules in `modules` drop from one layer's stored activations (ModuleRecomputeTable). */
function moduleDroppedBytes(
  p: Prepared,
  lo: LayerOperators,
  tokens: number,
  plan: PlanRecord,
  modules: number,
) {
  const m = lo.modules;
  const fp8 = plan.fp8;
  let tpBytes = 0;
  let seqBytes = 0;
  if (modules & MODULE_CORE_ATTN) tpBytes += p.unfusedScoreBytes;
  if (modules & MODULE_MOE_ACT) tpBytes += m.expertActTpBytes - fp8 * m.expertActFp8TpBytes;
  if (modules & MODULE_MLA_UP_PROJ) tpBytes += m.mlaQkvTpBytes;
  if (modules & MODULE_LAYERNORM) seqBytes += m.normOutputSeqBytes - fp8 * m.normOutputFp8SeqBytes;
  if (modules & MODULE_MLP) {
    tpBytes += m.denseMlpTpBytes - fp8 * m.denseMlpFp8TpBytes;
    seqBytes += m.denseMlpSeqBytes - fp8 * m.denseMlpFp8SeqBytes;
  }
  return tokens * (seqBytes / (plan.sp ? plan.tp : 1) + tpBytes / plan.tp);
}

/**
 * What torchtitan's per-operator checkpointing keeps of one layer (workload/opCheckpoint.ts): the
 * block's input, the saved matmul and attention outputs, the reduce-scatter outputs where tensor
 * parallelism reduces by scatter (sequence parallelism), the all-to-all outputs where experts are
 * spread over ranks.
 */
function opCheckpointBytes(lo: LayerOperators, tokens: number, plan: PlanRecord): number {
  const o = lo.opCheckpoint;
  const { tp, sp } = plan;
  const seqShare = sp ? tp : 1;
  const scattered = tp > 1 && sp ? o.savedReduceScatterBytes / tp : 0;
  const dispatched = plan.ep > 1 ? o.savedDispatchBytes / seqShare : 0;
  return (
    tokens * (o.savedSeqBytes / seqShare + o.savedTpBytes / tp + o.savedFullBytes + scattered + dispatched)
  );
}

/**
 * One layer's stored activations on a stage under its recomputation: the policy's bytes, or under
 * full recomputation of part of the layers (or in units of layers) the kept inputs plus everything
 * the layers left alone keep.
 */
function stageLayerBytes(
  p: Prepared,
  lo: LayerOperators,
  tokens: number,
  plan: PlanRecord,
  r: StageRecompute,
): number {
  if (r.policy !== RECOMPUTE_FULL || (r.share === 1 && r.checkpoints === 1)) {
    return layerActivationBytes(p, lo, tokens, plan, r.policy, r.modules);
  }
  const kept = r.share < 1 ? (1 - r.share) * layerActivationBytes(p, lo, tokens, plan, RECOMPUTE_NONE) : 0;
  return r.checkpoints * layerActivationBytes(p, lo, tokens, plan, RECOMPUTE_FULL) + kept;
}

// Weights, gradients and optimizer states of one stage (stageMemory), refilled per call.
const stage = { weights: 0, grads: 0, optimizer: 0 };

/**
 * Weights, gradients and optimizer states of one stage's rank, into `stage`; returns their sum.
 * Mixed-precision Adam as Megatron-LM's distributed optimizer counts it: bf16 weights (2 bytes), fp32
 * gradients (4, or 2 when gradients are kept and reduced in bf16), fp32 master weights + two moments
 * (12); ZeRO-1 shards the 12, ZeRO-2 also the gradients
 * (Rajbhandari et al. 2020, ZeRO, section 5; their 16 bytes assume fp16 gradients).
 */
function stageMemory(
  p: Prepared,
  plan: PlanRecord,
  layout: StageLayout,
  dense: number,
  expert: number,
): number {
  const params = dense + expert;
  const sharded = dense / layout.dpGroup + expert / layout.edpGroup;
  let weights = 2 * params;
  let grads = p.gradBytes * params;
  let optimizer = 12 * params;
  if (plan.zero >= ZERO_1) optimizer = 12 * sharded;
  if (plan.zero >= ZERO_2) grads = p.gradBytes * sharded;
  if (plan.zero >= ZERO_3) {
    // FSDP keeps only the sharded fp32 master (counted with the optimizer states) and gathers bf16
    // weights about two layers at a time, the current one and the prefetched next (Zhao et al. 2023,
    // sec. 3.3). Weights kept gathered after forward are all resident by the end of it; under
    // pipelining they stay so for the step, with unsharded gradients accumulating until its last
    // micro-batch (dataParallel.ts).
    if (fsdpReshardsAfterForward(p, plan)) weights = (2 * 2 * params) / Math.max(1, layout.layersOnStage + 2);
    if (!fsdpGathersPerMicroBatch(p, plan)) grads = p.gradBytes * params;
  }
  stage.weights = weights;
  stage.grads = grads;
  stage.optimizer = optimizer;
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
  plan: PlanRecord,
  layout: StageLayout,
  out: Float64Array,
): number {
  const ops = p.ops;
  const { tp, pp, vpp, cp, microBatch, recompute } = plan;
  const { moeOnStage, denseOnStage } = layout;
  const d = ops.dense;
  const mo = ops.moe;
  // Activations of one micro-batch for one layer of each kind.
  const tokens = (microBatch * p.seqLen) / cp;
  const r = stageRecompute(recompute, layout.layersOnStage, vpp);
  const actDense = stageLayerBytes(p, d, tokens, plan, r);
  const actMoe = mo ? stageLayerBytes(p, mo, tokens, plan, r) : 0;
  const stageAct = denseOnStage * actDense + moeOnStage * actMoe;
  const mtpAct = p.mtpLayers * (mo ? actMoe : actDense);
  // With offloading every layer's activations go to host memory as the forward pass leaves the layer
  // and come back ahead of its backward: the device holds the layer computing and the one in transfer,
  // whatever is in flight.
  const offloaded = recompute === RECOMPUTE_OFFLOAD ? 2 * Math.max(actDense, actMoe) : -1;
  // 1F1B keeps min(m, pp) micro-batches in flight on the first stage; interleaving adds
  // (pp-1)/(pp·vpp) (Korthikanti et al. 2022, eq. 5 and section 4.2.3). The last stage keeps one,
  // plus, when interleaved, the earlier virtual chunks it also runs.
  const filled = Math.min(plan.microBatches, pp);
  const firstInFlight = filled * (vpp > 1 ? 1 + (pp - 1) / (pp * vpp) : 1);
  const lastInFlight = vpp > 1 ? 1 + ((filled - 1) * (vpp - 1)) / vpp : 1;
  const working = recomputeWorkingSet(p, plan, tokens, r);
  // Output head(s): bf16 logits plus the fp32 softmax of the loss, one micro-batch at a time.
  const logitBytes = ((1 + p.mtpLayers) * tokens * p.vocab * 6) / tp;
  const first = stageMemory(p, plan, layout, layout.firstDense, layout.firstExpert);
  const firstAct =
    offloaded >= 0 ? offloaded : firstInFlight * (stageAct + (pp === 1 ? mtpAct : 0)) + working;
  const firstLogits = pp === 1 ? logitBytes : 0;
  let weights = stage.weights;
  let grads = stage.grads;
  let optimizer = stage.optimizer;
  let activations = firstAct;
  let logits = firstLogits;
  if (pp > 1) {
    const last = stageMemory(p, plan, layout, layout.lastDense, layout.lastExpert);
    const lastAct = offloaded >= 0 ? offloaded : lastInFlight * (stageAct + mtpAct) + working;
    if (last + lastAct + logitBytes > first + firstAct + firstLogits) {
      weights = stage.weights;
      grads = stage.grads;
      optimizer = stage.optimizer;
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

/**
 * What a layer's backward holds while it recomputes: full recomputation rebuilds the whole working
 * set of the layers it recomputes at once; selective and per-operator checkpointing what the layer
 * did not keep.
 */
function recomputeWorkingSet(p: Prepared, plan: PlanRecord, tokens: number, r: StageRecompute): number {
  if (r.policy === RECOMPUTE_FULL)
    return r.share > 0 ? r.rebuilt * fullRecomputeWorkingSet(p, plan, tokens) : 0;
  const mo = p.ops.moe;
  // What the layer dropped is rebuilt before its backward needs it: Megatron's modules restore their
  // outputs in place (tensor_parallel/random.py), per-operator checkpointing reruns what it did not save.
  if (r.policy === RECOMPUTE_SELECTIVE) {
    const dense = moduleDroppedBytes(p, p.ops.dense, tokens, plan, r.modules);
    return mo ? Math.max(dense, moduleDroppedBytes(p, mo, tokens, plan, r.modules)) : dense;
  }
  if (r.policy !== RECOMPUTE_SELECTIVE_OP) return 0;
  const rebuilt = (lo: LayerOperators) =>
    layerActivationBytes(p, lo, tokens, plan, RECOMPUTE_NONE) - opCheckpointBytes(lo, tokens, plan);
  return Math.max(0, rebuilt(p.ops.dense), mo ? rebuilt(mo) : 0);
}

/** Full recomputation rebuilds one layer's whole working set during its backward pass. */
function fullRecomputeWorkingSet(p: Prepared, plan: PlanRecord, tokens: number): number {
  const seqShare = plan.sp ? plan.tp : 1;
  const d = p.ops.dense;
  const mo = p.ops.moe;
  const dense = tokens * (d.activationSeqBytes / seqShare + d.activationTpBytes / plan.tp);
  if (!mo) return dense;
  return Math.max(dense, tokens * (mo.activationSeqBytes / seqShare + mo.activationTpBytes / plan.tp));
}
