import { describe, expect, it } from "vitest";
import validationSet from "../../data/validation/dev.json" with { type: "json" };
import { calibrate } from "./calibrate.js";
import { loadCases } from "./cases.js";
import { measuredPrior } from "./prior.js";

// A small, fast set: the Korthikanti et al. A100 runs and the Neuron Trn1 runs (two chips).
const cases = loadCases(validationSet).cases.filter((c) => /^(korthikanti|neuron)-/.test(c.id));
const prior = measuredPrior().profile;

describe("calibrate", () => {
  it("runs coordinate descent until the parameters settle, not a fixed number of rounds", () => {
    const settled = calibrate(cases, { prior });
    // Allowed far more rounds, it stops at the same place: it stopped because nothing moved.
    const longer = calibrate(cases, { prior, rounds: 500 });
    expect(longer.profiles).toEqual(settled.profiles);
    // One round is not settled yet, and fits worse.
    expect(settled.settled).toBe(true);
    expect(longer.rounds).toBe(settled.rounds);
    const oneRound = calibrate(cases, { prior, rounds: 1 });
    expect(oneRound.settled).toBe(false);
    expect(oneRound.profiles).not.toEqual(settled.profiles);
    expect(settled.loss).toBeLessThan(oneRound.loss);
  });

  it("fits every chip that has cases, within each parameter's bounds", () => {
    const fit = calibrate(cases, { prior });
    expect(Object.keys(fit.profiles).sort()).toEqual(["a100-80gb-sxm", "trn1"]);
    for (const p of Object.values(fit.profiles)) {
      expect(p.gemmEfficiency).toBeGreaterThanOrEqual(0.3);
      expect(p.gemmEfficiency).toBeLessThanOrEqual(0.85);
      expect(p.memoryEfficiency).toBeGreaterThanOrEqual(0.3);
    }
  });
});
