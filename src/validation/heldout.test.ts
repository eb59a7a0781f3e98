import { describe, expect, it } from "vitest";
import heldout from "../../data/validation/heldout-mbridge-2602.json" with { type: "json" };
import cards from "../../data/validation/heldout-mbridge-cards.json" with { type: "json" };
import neuron from "../../data/validation/heldout-neuron-2.24.json" with { type: "json" };
import torchtitan from "../../data/validation/heldout-torchtitan-a100.json" with { type: "json" };
import { runSoftware } from "../engine/run.js";
import { loadCases } from "./cases.js";
import { validateCases } from "./validate.js";

// Megatron-Bridge 26.02.01 rows collected after the fit (README, "held out"): never used to fit or tune.
// These tests guard the file's format and that the engine keeps beating the naive baseline on it,
// even with the baseline's MFU fitted to these very cases.
describe("validation on the held-out Megatron-Bridge 26.02.01 rows", () => {
  const loaded = loadCases(heldout);
  const report = validateCases(loaded.cases);

  it("reads every case (bf16 gradient reduction inferred from the source)", () => {
    expect(loaded.rejected).toEqual([]);
    expect(loaded.cases.length).toBe(heldout.length);
    for (const c of loaded.cases) expect(runSoftware(c.input).gradientReduce, c.id).toBe("bf16");
  });

  it("has a lower median error than the naive 6N-at-one-MFU baseline fitted to the same cases", () => {
    expect(report.summary.overall.medianAbsErrorPct).toBeLessThan(
      report.summary.baseline.overall.medianAbsErrorPct,
    );
  });
});

// Megatron-Bridge model verification cards (pretrain_performance entries, recipe knobs read at each
// entry's bridge_commit), collected after the fit and never used to fit or tune.
describe("validation on the held-out Megatron-Bridge verification-card rows", () => {
  const loaded = loadCases(cards);
  const report = validateCases(loaded.cases);

  it("reads every case as a Megatron-Bridge run with bf16 gradient reduction", () => {
    expect(loaded.rejected).toEqual([]);
    expect(loaded.cases.length).toBe(cards.length);
    for (const c of loaded.cases) {
      const stack = runSoftware(c.input);
      expect(stack.framework, c.id).toBe("megatron-bridge");
      expect(stack.gradientReduce, c.id).toBe("bf16");
    }
  });

  it("has a lower median error than the naive 6N-at-one-MFU baseline fitted to the same cases", () => {
    expect(report.summary.overall.medianAbsErrorPct).toBeLessThan(
      report.summary.baseline.overall.medianAbsErrorPct,
    );
  });
});

describe("the held-out Neuron 2.24 Trn1 rows", () => {
  it("read as NeuronCore layouts on trn1 and are predicted better than the naive baseline", () => {
    const loaded = loadCases(neuron);
    expect(loaded.rejected).toEqual([]);
    for (const c of loaded.cases) expect(c.input.unit, c.id).toBe("neuroncore");
    const report = validateCases(loaded.cases);
    expect(report.summary.overall.medianAbsErrorPct).toBeLessThan(
      report.summary.baseline.overall.medianAbsErrorPct,
    );
  });
});

describe("the held-out torchtitan A100 rows (docs/performance.md of 2024-04)", () => {
  it("read as torchtitan runs: eager element-wise kernels by default, the norm as each config names it", () => {
    const loaded = loadCases(torchtitan);
    expect(loaded.rejected).toEqual([]);
    expect(loaded.cases.length).toBe(torchtitan.length);
    for (const c of loaded.cases) {
      const stack = runSoftware(c.input);
      expect(stack.framework, c.id).toBe("torchtitan");
      expect(stack.fusedElementwise, c.id).toBe(false);
      expect(stack.fusedNorm, c.id).toBe(!/70b/.test(c.id));
    }
  });
});
