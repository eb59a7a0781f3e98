/**
 * The engine's output layout: one Float64Array of OUT_SIZE numbers per evaluation, written by
 * evaluateMemory (memory.ts) and evaluateTime / assembleStep (step.ts). The search reuses one such
 * array for every plan (nothing is allocated per configuration); simulate turns it into a readable result.
 */

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
