import { describe, expect, it } from "vitest";
import moeGuide from "../../data/measurements/megatron-bridge-moe-guide.json" with { type: "json" };
import { InputError } from "../errors.js";
import { dispatchSyncFromPair } from "./dispatchSyncPrior.js";
import { measuredPrior } from "./prior.js";

describe("the alltoall dispatcher's host time, read from a published pair of runs", () => {
  const prior = measuredPrior().profile;
  const estimate = dispatchSyncFromPair(moeGuide.runs, prior);

  it("puts what the engine leaves unexplained on each local expert of every sync", () => {
    // Qwen3-30B-A3B on 16 H100 at expert parallelism 16: 8 local experts, 48 MoE layers, 64
    // micro-batches per step, no pipeline: 8 x 48 x 64 expert syncs on the critical path.
    expect(estimate.expertSyncsPerStep).toBeCloseTo(8 * 48 * 64, 6);
    expect(estimate.fromSyncingRun).toBeGreaterThan(0);
    expect(estimate.fromDispatcherSwap).toBeGreaterThan(0);
  });

  it("takes the midpoint of its two readings as the prior", () => {
    const { fromSyncingRun, fromDispatcherSwap } = estimate;
    expect(estimate.secondsPerExpert).toBeCloseTo((fromSyncingRun + fromDispatcherSwap) / 2, 12);
    expect(prior.dispatchSyncSecondsPerExpert).toBe(estimate.secondsPerExpert);
  });

  it("grows with the measured slowdown of the alltoall run", () => {
    const slower = structuredClone(moeGuide.runs);
    const alltoall = slower.find((r) => r.software.moeDispatcher === "alltoall")!;
    alltoall.measured.tokensPerSecondPerChip *= 0.9;
    expect(dispatchSyncFromPair(slower, prior).secondsPerExpert).toBeGreaterThan(estimate.secondsPerExpert);
  });

  it("refuses a pair without exactly one syncing dispatcher", () => {
    const both = structuredClone(moeGuide.runs);
    for (const r of both) r.software.moeDispatcher = "hybridep";
    expect(() => dispatchSyncFromPair(both, prior)).toThrow(InputError);
    expect(() => dispatchSyncFromPair(moeGuide.runs.slice(0, 1), prior)).toThrow(/Two runs/);
  });

  it("refuses a pair whose syncing run is not the slower", () => {
    const swapped = structuredClone(moeGuide.runs);
    const [a, b] = swapped;
    [a.measured.tokensPerSecondPerChip, b.measured.tokensPerSecondPerChip] = [
      b.measured.tokensPerSecondPerChip,
      a.measured.tokensPerSecondPerChip,
    ];
    expect(() => dispatchSyncFromPair(swapped, prior)).toThrow(/the slower/);
  });
});
