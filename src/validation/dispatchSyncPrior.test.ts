import { describe, expect, it } from "vitest";
import published from "../../data/measurements/megatron-bridge-ep-overlap.json" with { type: "json" };
import { simulate } from "../engine/simulate.js";
import { InputError } from "../errors.js";
import { loadCases } from "./cases.js";
import { dispatchSyncFromRuns } from "./dispatchSyncPrior.js";
import { measuredPrior } from "./prior.js";

describe("the alltoall dispatcher's host time per local expert, read from published runs", () => {
  const prior = measuredPrior().profile;
  const estimate = dispatchSyncFromRuns(published.runs, prior);

  it("counts one expert sync per local expert, MoE layer and micro-batch on the critical path", () => {
    // Qwen3-30B-A3B on 16 H100 at expert parallelism 16: 8 local experts, 48 MoE layers, 64
    // micro-batches per step, no pipeline.
    for (const r of estimate.readings) expect(r.expertSyncsPerStep, r.id).toBeCloseTo(8 * 48 * 64, 6);
  });

  it("gives a prior that, charged, makes the engine's step the measured one on average", () => {
    const { cases } = loadCases(published.runs);
    const gap = (c: (typeof cases)[number]) => {
      const predicted = simulate(c.input, { profile: prior }).step.seconds;
      const measured =
        (c.input.globalBatch * c.input.model.seqLen) / (c.measuredTokensPerSecondPerChip * c.input.chipCount);
      return predicted - measured;
    };
    const gaps = cases.map(gap);
    expect(Math.abs(gaps[0] + gaps[1])).toBeLessThan(1e-6 * cases[0].input.globalBatch);
    expect(prior.dispatchSyncSecondsPerExpert).toBe(estimate.secondsPerExpert);
  });

  it("reads more host time from a slower run", () => {
    const slower = structuredClone(published.runs);
    for (const r of slower) r.measured.tokensPerSecondPerChip *= 0.9;
    expect(dispatchSyncFromRuns(slower, prior).secondsPerExpert).toBeGreaterThan(estimate.secondsPerExpert);
  });

  it("refuses a run on a dispatcher charged no host sync (HybridEP), naming it", () => {
    const hybrid = structuredClone(published.runs);
    hybrid[1].software.moeDispatcher = "hybridep";
    expect(() => dispatchSyncFromRuns(hybrid, prior)).toThrow(/overlap-16g\]\.software\.moeDispatcher/);
  });

  it("refuses a run faster than the engine without any expert host time", () => {
    const fast = structuredClone(published.runs);
    fast[0].measured.tokensPerSecondPerChip *= 3;
    expect(() => dispatchSyncFromRuns(fast, prior)).toThrow(InputError);
    expect(() => dispatchSyncFromRuns(fast, prior)).toThrow(/measured\.tokensPerSecondPerChip/);
  });

  it("refuses a reading beyond the range the fit searches", () => {
    const slow = structuredClone(published.runs);
    slow[0].measured.tokensPerSecondPerChip /= 100;
    expect(() => dispatchSyncFromRuns(slow, prior)).toThrow(/at most 0\.02 s per expert sync/);
  });

  it("refuses runs without MoE layers to read it from", () => {
    const dense = structuredClone(published.runs).slice(0, 1);
    Object.assign(dense[0].model, { moe: null, ffnHidden: 6144 });
    dense[0].parallelism.ep = 1;
    expect(() => dispatchSyncFromRuns(dense, prior)).toThrow(/does not move/);
  });
});
