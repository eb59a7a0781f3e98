import { describe, expect, it } from "vitest";
import { simulate } from "../engine/simulate.js";
import { findChip } from "../hardware/catalog.js";
import { findModelPreset } from "../workload/presets.js";
import { searchPlans, simulatePlan } from "./searchPlans.js";

const h100 = findChip("h100-sxm")!;
const llama70 = findModelPreset("llama3-70b")!.model;

describe("searchPlans", () => {
  const result = searchPlans({ model: llama70, chip: h100, chips: 64, globalBatch: 256, top: 5 });

  it("returns plans best first, each as simulate reports it", () => {
    expect(result.plans.length).toBe(5);
    for (let i = 1; i < result.plans.length; i++) {
      expect(result.plans[i].throughput.tokensPerSecondPerChip).toBeLessThanOrEqual(
        result.plans[i - 1].throughput.tokensPerSecondPerChip,
      );
    }
    const best = result.plans[0];
    const again = simulatePlan({ model: llama70, chip: h100, chips: 64, globalBatch: 256 }, best.parallelism);
    expect(again.throughput.tokensPerSecondPerChip).toBe(best.throughput.tokensPerSecondPerChip);
    expect(best.fits).toBe(true);
  });

  it("finds a plan at least as fast as hand-picked Megatron layouts", () => {
    const best = result.plans[0].throughput.tokensPerSecondPerChip;
    for (const [tp, pp, vpp] of [
      [4, 8, 5],
      [8, 4, 1],
      [8, 8, 2],
      [2, 4, 1],
    ]) {
      const r = simulate({
        model: llama70,
        chip: h100,
        chipCount: 64,
        precision: "fp8",
        parallelism: {
          tp,
          pp,
          vpp,
          cp: 1,
          ep: 1,
          recompute: "selective",
          zero: "zero1",
          sequenceParallel: true,
        },
        globalBatch: 256,
        microBatch: 1,
      });
      if (r.fits) expect(r.throughput.tokensPerSecondPerChip).toBeLessThanOrEqual(best);
    }
  });

  it("counts what it rejected, by reason", () => {
    expect(result.evaluated).toBeGreaterThan(1000);
    expect(result.rejected["does not fit in memory"]).toBeGreaterThan(0);
    expect(result.rejected["tp does not divide key-value heads"]).toBeGreaterThan(0); // tp 16+ vs 8 kv heads
  });

  it("says why nothing fits and the smallest chip count that does", () => {
    const r = searchPlans({
      model: findModelPreset("llama3-405b")!.model,
      chip: h100,
      chips: 8,
      globalBatch: 2048,
    });
    expect(r.plans).toHaveLength(0);
    expect(r.infeasible?.reason).toBe("memory");
    expect(r.infeasible?.smallestFittingChips).toBeGreaterThan(8);
    const check = searchPlans({
      model: findModelPreset("llama3-405b")!.model,
      chip: h100,
      chips: r.infeasible!.smallestFittingChips!,
      globalBatch: 2048,
      top: 1,
    });
    expect(check.plans.length).toBe(1);
  });

  it("searches Llama 3 405B on 16,384 H100 and times only the plans that fit (its speed: npm run bench)", () => {
    const r = searchPlans({
      model: findModelPreset("llama3-405b")!.model,
      chip: h100,
      chips: 16384,
      globalBatch: 2048,
    });
    expect(r.plans.length).toBeGreaterThan(0);
    expect(r.rejected["does not fit in memory"]).toBeGreaterThan(0);
    // `evaluated` counts every configuration examined: those that fit (and are timed), those that do
    // not, and those the step-time bound rules out unchecked (it used to equal `feasible`, while the
    // README's speed table counted the others too).
    const bounded = r.rejected["cannot enter the top plans (step-time lower bound)"] ?? 0;
    expect(r.evaluated).toBe(r.feasible + (r.rejected["does not fit in memory"] ?? 0) + bounded);
    expect(bounded).toBeGreaterThan(0);
    // Memory checks are counted one by one: fewer than the configurations examined.
    expect(r.memoryChecks).toBeGreaterThan(r.feasible);
    expect(r.memoryChecks).toBeLessThan(r.evaluated);
  });

  it("searches expert parallelism for mixture-of-experts models", () => {
    const r = searchPlans({
      model: findModelPreset("mixtral-8x7b")!.model,
      chip: h100,
      chips: 64,
      seqLen: 4096,
      globalBatch: 1024,
      top: 20,
    });
    expect(r.plans.some((p) => p.parallelism.ep > 1)).toBe(true);
  });
});
