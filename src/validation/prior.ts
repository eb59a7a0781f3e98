import derived from "../../data/measurements/derived.json" with { type: "json" };
import epOverlapRuns from "../../data/measurements/megatron-bridge-ep-overlap.json" with { type: "json" };
import measured from "../../data/measurements/summary.json" with { type: "json" };
import { DISPATCHER_HOST_SECONDS_ESTIMATE, type Profile } from "../hardware/profile.js";
import { dispatchSyncFromRuns } from "./dispatchSyncPrior.js";

/**
 * The starting point (and ridge target) of calibration: what one H200 measured for each parameter
 * the device can show (data/measurements/summary.json, scripts/device/measure_gpu.py), and stated
 * engineering values for what a single GPU cannot show (collectives and overlap).
 */
export function measuredPrior(): { profile: Profile; notes: string[] } {
  // Asymptotic forward+backward efficiency of cuDNN causal attention, from its fitted shape law.
  const attention = derived.attention.efficiency;
  const elementwise = measured.hbmCopyFraction.value * measured.elementwiseFractionOfCopy.siluMul;
  const profile: Profile = {
    gemmEfficiency: measured.gemmBf16SustainedFraction.value,
    fp8EfficiencyRatio:
      measured.gemmFp8PeakFraction.withoutFastAccum.value / measured.gemmBf16SustainedFraction.value,
    gemmFixedSeconds: derived.gemm.fixedSeconds,
    attentionEfficiency: attention,
    attentionSeqHalf: derived.attention.seqHalf,
    attentionHeadDimHalf: derived.attention.headDimHalf,
    attentionTilesHalf: derived.attention.tilesHalf,
    flash2AttentionRatio: derived.attention.flash2Ratio,
    memoryEfficiency: elementwise,
    launchSeconds: measured.launchOverheadSeconds.value,
    // NCCL all-reduce bus bandwidth reaches ~80% of NVLink and ~70-90% of InfiniBand line rate in
    // nccl-tests on DGX H100 (NVIDIA DGX SuperPOD reference architecture); not measurable on one GPU.
    scaleUpBusEfficiency: 0.8,
    scaleOutBusEfficiency: 0.75,
    scaleUpLatencySeconds: 5e-6,
    scaleOutLatencySeconds: 15e-6,
    dpOverlap: 0.8,
    tpOverlap: 0.2,
    epOverlap: 0.2,
    // DeepEP's kernels hold ~20 of 132 SMs while they run (DeepSeek-V3 report, sec. 3.2.2): a hidden
    // second of communication costs the compute about 0.15 s.
    overlapInterference: 0.15,
    // A Python pass over the attention-backend rules with a cuDNN support query: about a millisecond
    // (engineering estimate; no published measurement, see attentionSwitchSeconds).
    attentionSwitchSeconds: 1e-3,
    dispatcherHostSeconds: DISPATCHER_HOST_SECONDS_ESTIMATE,
    // Read from published runs below (dispatchSyncFromRuns); nothing is charged per expert while it is read.
    dispatchSyncSecondsPerExpert: 0,
  };
  // After the device-to-host copy of the token counts the drained GPU waits while the host issues the
  // rest of the forward MoE block, each local expert's GEMMs in turn. Megatron-Bridge published two runs
  // of Qwen3-30B-A3B on 16 H100 on the alltoall dispatcher, one table of one day, with and without
  // expert overlap (data/measurements/megatron-bridge-ep-overlap.json): what the engine, timing them with
  // this prior, leaves unexplained is put on their experts' host time (docs/model.md, "The dispatcher's
  // host time, read from published runs").
  const sync = dispatchSyncFromRuns(epOverlapRuns.runs, profile);
  profile.dispatchSyncSecondsPerExpert = sync.secondsPerExpert;
  const notes = [
    `gemmEfficiency ${profile.gemmEfficiency.toFixed(3)}: sustained bf16 8192^3 GEMM on ${measured.device}, ${measured.date}`,
    `fp8EfficiencyRatio ${profile.fp8EfficiencyRatio.toFixed(3)}: torch._scaled_mm e4m3 (no fast accumulation) against sustained bf16`,
    `gemmFixedSeconds ${derived.gemm.fixedSeconds.toExponential(2)}: GEMM shape law fitted to ${derived.gemm.points} shapes`,
    `attentionEfficiency ${attention.toFixed(3)} x s/(s+${derived.attention.seqHalf}) x d/(d+${derived.attention.headDimHalf}) x u/(u+${derived.attention.tilesHalf}) (u: query tiles): causal cuDNN attention, ${derived.attention.points} shapes`,
    `memoryEfficiency ${elementwise.toFixed(3)}: SiLU x mul at ${measured.elementwiseFractionOfCopy.siluMul} of a ${measured.hbmCopyFraction.value} copy`,
    `launchSeconds ${profile.launchSeconds}: eager PyTorch kernel launch`,
    `dispatcherHostSeconds ${(profile.dispatcherHostSeconds * 1e3).toFixed(2)} ms: the dispatcher's calls after its sync (estimate from the code)`,
    `dispatchSyncSecondsPerExpert ${(sync.secondsPerExpert * 1e3).toFixed(3)} ms per local expert: mean of ${sync.readings.map((r) => `${(r.secondsPerExpert * 1e3).toFixed(3)} ms`).join(" and ")}, Megatron-Bridge's Qwen3-30B-A3B on 16 H100 on the alltoall dispatcher, without and with expert overlap`,
  ];
  return { profile, notes };
}
