import { sendSeconds } from "../time/collectives.js";
import {
  MODULE_CORE_ATTN,
  MODULE_LAYERNORM,
  MODULE_MLA_UP_PROJ,
  MODULE_MLP,
  MODULE_MOE_ACT,
  RECOMPUTE_FULL,
  RECOMPUTE_OFFLOAD,
  RECOMPUTE_SELECTIVE,
  RECOMPUTE_SELECTIVE_OP,
} from "./codes.js";
import { dataParallelStep } from "./dataParallel.js";
import type { StageLayout } from "./layout.js";
import {
  C_ACTIVATION_BYTES,
  C_ATTN,
  C_CP_ALL,
  C_ELEM,
  C_EP_ALL,
  C_GEMM,
  C_GEMM_BWD,
  C_HEAD_ELEM,
  C_HEAD_GEMM,
  C_LAUNCH,
  C_OP_SELECTIVE,
  C_RECOMPUTE_LAYERNORM,
  C_RECOMPUTE_MLA_UP,
  C_RECOMPUTE_MLP,
  C_RECOMPUTE_MLP_TP,
  C_RECOMPUTE_MOE_ACT,
  C_SELECTIVE,
  C_SIZE,
  C_TP_FWD,
  microBatchCosts,
  microBatchTokens,
} from "./microBatch.js";
import type { PlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";
import { type StageRecompute, stageRecompute } from "./recompute.js";
import {
  OUT_ATTENTION,
  OUT_BUBBLE,
  OUT_CP_COMM,
  OUT_DP_COMM,
  OUT_DP_TOTAL,
  OUT_ELEMENTWISE,
  OUT_EP_COMM,
  OUT_EP_TOTAL,
  OUT_GEMM,
  OUT_KERNEL_OVERHEAD,
  OUT_MICROBATCHES,
  OUT_OFFLOAD,
  OUT_OPTIMIZER,
  OUT_PP_COMM,
  OUT_RECOMPUTE,
  OUT_STEP,
  OUT_TOKENS_PER_SECOND_PER_RANK,
  OUT_TP_COMM,
  OUT_TP_TOTAL,
} from "./slots.js";

/**
 * The step of one plan, assembled from one micro-batch's costs (microBatch.ts). Structure of a step
 * (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters Using
 * Megatron-LM", sections 2-3):
 *   step = m · t_microbatch + bubble + exposed pipeline p2p + exposed data-parallel + optimizer
 *   bubble = (pp - 1) / vpp · t_microbatch  (1F1B, interleaved when vpp > 1; their eq. 1-2)
 * where t_microbatch is one stage's forward+backward(+recompute) time for one micro-batch,
 * including the tensor-, context- and expert-parallel communication that compute does not hide.
 */

const costScratch = new Float64Array(C_SIZE);

/** Step time for one plan: writes the OUT_* components (which sum to OUT_STEP) and returns the step seconds. */
export function evaluateTime(p: Prepared, plan: PlanRecord, layout: StageLayout, out: Float64Array): number {
  microBatchCosts(p, plan, costScratch);
  return assembleStep(p, costScratch, plan, layout, out);
}

/** One micro-batch on the whole model (all stages), seconds, by component (stageTimes fills it). */
interface MicroBatchTimes {
  gemm: number;
  attention: number;
  elementwise: number;
  launch: number;
  recompute: number;
  tpTotal: number;
  tpExposed: number;
  cpExposed: number;
  epExposed: number;
}

const mb: MicroBatchTimes = {
  gemm: 0,
  attention: 0,
  elementwise: 0,
  launch: 0,
  recompute: 0,
  tpTotal: 0,
  tpExposed: 0,
  cpExposed: 0,
  epExposed: 0,
};

/**
 * Forward plus backward of one micro-batch from its forward costs. Backward: data and weight gradient
 * per forward GEMM (backwardGemmSeconds), flash-attention backward ~2.5x its forward (Dao 2023,
 * FlashAttention-2, section 3.1.2: five matmuls against two), element-wise ~2x. Recomputation repeats
 * forward work (recompute.ts): full recomputation every layer's forward on the share of layers it
 * covers, with its tensor-parallel collectives; selective recomputation what its Megatron modules
 * rerun (core_attn, Korthikanti's selective, the attention core);
 * per-operator checkpointing the ops it did not save, with the all-gathers (sequence parallel) or
 * all-reduces it did not save.
 */
function microBatchTimes(p: Prepared, c: Float64Array, plan: PlanRecord, r: StageRecompute): MicroBatchTimes {
  const prof = p.profile;
  const tpF = c[C_TP_FWD];
  mb.gemm = c[C_GEMM] + c[C_GEMM_BWD];
  mb.attention = 3.5 * c[C_ATTN];
  mb.elementwise = 3 * c[C_ELEM];
  mb.launch = 3 * c[C_LAUNCH];
  mb.recompute = 0;
  mb.tpTotal = 2 * tpF;
  if (r.policy === RECOMPUTE_FULL) {
    const forward = c[C_GEMM] - c[C_HEAD_GEMM] + c[C_ATTN] + c[C_ELEM] - c[C_HEAD_ELEM] + c[C_LAUNCH];
    mb.recompute = r.share * forward;
    mb.tpTotal += r.share * tpF;
  } else if (r.policy === RECOMPUTE_SELECTIVE) {
    const m = r.modules;
    if (m & MODULE_CORE_ATTN) mb.recompute += c[C_SELECTIVE];
    if (m & MODULE_LAYERNORM) mb.recompute += c[C_RECOMPUTE_LAYERNORM];
    if (m & MODULE_MLA_UP_PROJ) mb.recompute += c[C_RECOMPUTE_MLA_UP];
    if (m & MODULE_MOE_ACT) mb.recompute += c[C_RECOMPUTE_MOE_ACT];
    if (m & MODULE_MLP) {
      mb.recompute += c[C_RECOMPUTE_MLP];
      mb.tpTotal += c[C_RECOMPUTE_MLP_TP];
    }
  } else if (r.policy === RECOMPUTE_SELECTIVE_OP) {
    mb.recompute = c[C_OP_SELECTIVE];
    mb.tpTotal += plan.sp ? tpF / 2 : tpF;
  }
  // Tensor-parallel collectives: the share asynchronous kernels hide by themselves (tpOverlap), or,
  // with Transformer Engine's userbuffers overlap (software.tpCommOverlap), all the GEMMs they
  // are split into can hide.
  mb.tpExposed = mb.tpTotal * (1 - prof.tpOverlap);
  if (p.software.tpCommOverlap) mb.tpExposed = Math.min(mb.tpExposed, Math.max(0, mb.tpTotal - mb.gemm));
  mb.tpExposed += prof.overlapInterference * (mb.tpTotal - mb.tpExposed);
  // Context-parallel exchange overlaps with the attention it feeds.
  mb.cpExposed = Math.max(0, c[C_CP_ALL] - mb.attention);
  // Expert all-to-alls: the share hidden without help (epOverlap), or, when the stack overlaps them
  // with the other micro-batch's compute (Megatron's overlap_moe_expert_parallel_comm, DualPipe),
  // what that compute cannot cover.
  mb.epExposed = c[C_EP_ALL] * (1 - prof.epOverlap);
  if (p.software.expertCommOverlap) {
    const window = mb.gemm + mb.attention + mb.elementwise;
    mb.epExposed = Math.min(mb.epExposed, Math.max(0, c[C_EP_ALL] - window));
  }
  // What is hidden still slows the compute it shares the chip with.
  mb.epExposed += prof.overlapInterference * (c[C_EP_ALL] - mb.epExposed);
  return mb;
}

/** Forward compute of one micro-batch on the whole model (the window that hides forward transfers). */
function forwardCompute(c: Float64Array): number {
  return c[C_GEMM] + c[C_ATTN] + c[C_ELEM] + c[C_LAUNCH];
}

/**
 * Activation offloading (Megatron-Core cpu_offloading): each layer's activations cross the host link
 * out during its forward and back before its backward, on their own stream; what the forward and
 * backward compute of the micro-batch on the stage cannot hide is exposed, seconds per micro-batch.
 */
function offloadSeconds(p: Prepared, c: Float64Array, plan: PlanRecord, t: MicroBatchTimes): number {
  if (plan.recompute !== RECOMPUTE_OFFLOAD || p.hw.hostLinkBytesPerSecond <= 0) return 0;
  const pp = plan.pp;
  const transfer = c[C_ACTIVATION_BYTES] / pp / p.hw.hostLinkBytesPerSecond;
  const forward = forwardCompute(c) / pp;
  const backward = (t.gemm + t.attention + t.elementwise + t.launch) / pp - forward;
  return Math.max(0, transfer - forward) + Math.max(0, transfer - backward);
}

/**
 * Pipeline p2p: fill and drain expose one send per hop. In steady state each stage sends a micro-batch's
 * activations forward and its gradients back once per chunk; stacks that wait on those sends
 * (software.blockingP2p: Megatron's non-interleaved 1F1B, DeepSpeed's pipeline engine) expose them too.
 */
function pipelineP2pSeconds(p: Prepared, plan: PlanRecord, layout: StageLayout): number {
  const { tp, pp, vpp } = plan;
  if (pp <= 1) return 0;
  const bytes = (microBatchTokens(p, plan) * p.hidden * 2) / (plan.sp ? tp : 1);
  const send = sendSeconds(bytes, layout.p2pBw, layout.p2pAlpha);
  const blocking = p.software.blockingP2p ?? vpp === 1;
  return 2 * (pp * vpp - 1) * send + (blocking ? 2 * plan.microBatches * vpp * send : 0);
}

/** Step time from precomputed micro-batch costs (microBatchCosts); writes OUT_* and returns the step. */
export function assembleStep(
  p: Prepared,
  c: Float64Array,
  plan: PlanRecord,
  layout: StageLayout,
  out: Float64Array,
): number {
  const { pp, vpp } = plan;
  const m = plan.microBatches;
  const t = microBatchTimes(p, c, plan, stageRecompute(plan.recompute, layout.layersOnStage, vpp));
  const offloadMb = offloadSeconds(p, c, plan, t);
  const balancedMb =
    (t.gemm +
      t.attention +
      t.elementwise +
      t.launch +
      t.recompute +
      t.tpExposed +
      t.cpExposed +
      t.epExposed) /
      pp +
    offloadMb;
  const stageMb = balancedMb * layout.imbalance;
  // Idle time: pipeline fill and drain (Narayanan et al. 2021, eq. 1-2), plus every micro-batch's wait for
  // the heaviest chunk of an uneven split; the compute components below count the balanced share.
  const bubble = (pp > 1 ? ((pp - 1) / vpp) * stageMb : 0) + m * (stageMb - balancedMb);
  const ppComm = pipelineP2pSeconds(p, plan, layout);
  const forwardMb = (forwardCompute(c) + c[C_TP_FWD]) / pp;
  const dpStep = dataParallelStep(p, plan, layout, stageMb, forwardMb, stageMb - forwardMb);

  const step = m * balancedMb + bubble + ppComm + dpStep.exposed + dpStep.optimizer;
  out[OUT_GEMM] = (m * t.gemm) / pp;
  out[OUT_ATTENTION] = (m * t.attention) / pp;
  out[OUT_ELEMENTWISE] = (m * t.elementwise) / pp;
  out[OUT_KERNEL_OVERHEAD] = (m * t.launch) / pp;
  out[OUT_RECOMPUTE] = (m * t.recompute) / pp;
  out[OUT_OFFLOAD] = m * offloadMb;
  out[OUT_TP_COMM] = (m * t.tpExposed) / pp;
  out[OUT_CP_COMM] = (m * t.cpExposed) / pp;
  out[OUT_EP_COMM] = (m * t.epExposed) / pp;
  out[OUT_PP_COMM] = ppComm;
  out[OUT_DP_COMM] = dpStep.exposed;
  out[OUT_BUBBLE] = bubble;
  out[OUT_OPTIMIZER] = dpStep.optimizer;
  out[OUT_STEP] = step;
  out[OUT_MICROBATCHES] = m;
  out[OUT_TOKENS_PER_SECOND_PER_RANK] =
    (plan.globalBatch * p.seqLen) / (step * plan.tp * pp * plan.dp * plan.cp);
  out[OUT_TP_TOTAL] = (m * t.tpTotal) / pp;
  out[OUT_DP_TOTAL] = dpStep.total;
  out[OUT_EP_TOTAL] = (m * c[C_EP_ALL]) / pp;
  return step;
}
