import type { Profile } from "../hardware/profile.js";
import type { RankHardware } from "../hardware/rankView.js";
import type { AttentionKernel, GradientReduce } from "../plan/schema.js";
import { DEFAULT_SOFTWARE, type ResolvedSoftware } from "../plan/softwareDefaults.js";
import type { WorkloadOperators } from "../workload/operators.js";
import { attentionWidths } from "../workload/shape.js";
import { meanAttendedKeys } from "../workload/slidingWindow.js";
import { type EagerExtras, eagerExtras } from "./eagerKernels.js";

/**
 * What does not change between the plans of one run: the workload's operators, the hardware as one
 * rank sees it, the fitted profile, and the per-run constants derived from them. Computed once per run
 * (prepareRun in run.ts), read by every evaluation.
 */
export interface Prepared {
  ops: WorkloadOperators;
  hw: RankHardware;
  profile: Profile;
  /** The software stack that runs the plan, every knob decided. */
  software: ResolvedSoftware;
  seqLen: number;
  hidden: number;
  /** Query/key head width (attention kernels slow down for narrow heads). */
  headDim: number;
  /** Width of the attention output per token (heads x value head width). */
  qWidth: number;
  /** Query heads (the attention kernel runs one tile grid per head). */
  queryHeads: number;
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
  /** Extra element-wise bytes of eager PyTorch kernels per fused byte (software.fusedNorm, fusedElementwise). */
  eager: EagerExtras;
  /** The MoE dispatcher copies token counts to the host in every MoE layer (dispatchSyncSecondsPerExpert). */
  dispatcherSyncs: boolean;
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
  /** Achieved bandwidths (link or HBM peak times the profile's efficiency), bytes/s per rank. */
  scaleUpBw: number;
  scaleOutBw: number;
  memBw: number;
}

export function prepare(
  ops: WorkloadOperators,
  hw: RankHardware,
  profile: Profile,
  software: ResolvedSoftware = DEFAULT_SOFTWARE,
): Prepared {
  const m = ops.model;
  const { attentionKernel, gradientReduce } = software;
  const widths = attentionWidths(m);
  return {
    attentionKernel,
    attendedKeys: meanAttendedKeys(m, ops.seqLen),
    // Korthikanti et al. 2022, eq. 1: scores (2 bytes), softmax output (2) and dropout mask (1) per score.
    unfusedScoreBytes: attentionKernel === "unfused" ? 5 * m.heads * ops.seqLen : 0,
    alternatingAttention: m.slidingWindow?.layers === "alternate",
    eager: eagerExtras(software),
    dispatcherSyncs:
      (software.moeDispatcher === "alltoall" || software.moeDispatcher === "allgather") &&
      software.expertCapacityFactor == null,
    gradientReduce,
    gradBytes: gradientReduce === "bf16" ? 2 : 4,
    attentionKernelFactor: attentionKernel === "flash2" ? profile.flash2AttentionRatio : 1,
    ops,
    hw,
    profile,
    software,
    seqLen: ops.seqLen,
    hidden: m.hidden,
    kvHeads: widths.kvHeads,
    kvWidth: widths.kvWidth,
    qWidth: widths.outputWidth,
    queryHeads: m.heads,
    headDim: widths.qkHeadDim,
    vocab: m.vocab,
    layers: m.layers,
    denseLayers: ops.denseLayers,
    moeLayers: ops.moeLayers,
    mtpLayers: ops.mtpLayers,
    scaleUpBw: hw.scaleUpBytesPerSecond * profile.scaleUpBusEfficiency,
    scaleOutBw: hw.scaleOutBytesPerSecond * profile.scaleOutBusEfficiency,
    memBw: hw.hbmBytesPerSecond * profile.memoryEfficiency,
  };
}

/** The same run under another profile (calibration tries many on one prepared run). */
export function withProfile(p: Prepared, profile: Profile): Prepared {
  return prepare(p.ops, p.hw, profile, p.software);
}
