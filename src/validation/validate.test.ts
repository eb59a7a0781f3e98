import { describe, expect, it } from "vitest";
import validationSet from "../../data/validation/dev.json" with { type: "json" };
import { loadCases } from "./cases.js";
import { validateCases } from "./validate.js";

const loaded = loadCases(validationSet);
const report = validateCases(loaded.cases);

describe("validation on the dev set (measured, not typed in)", () => {
  it("reads every case", () => {
    expect(loaded.rejected).toEqual([]);
    expect(loaded.cases.length).toBe((validationSet as unknown[]).length);
  });

  it("keeps the median absolute error at most 10% and every chip family under 15%", () => {
    expect(report.summary.overall.medianAbsErrorPct).toBeLessThanOrEqual(10);
    for (const s of Object.values(report.summary.perChip)) expect(s.medianAbsErrorPct).toBeLessThan(15);
  });

  it("beats the naive 6N-at-fixed-MFU baseline", () => {
    expect(report.summary.overall.medianAbsErrorPct).toBeLessThan(
      report.summary.baseline.overall.medianAbsErrorPct,
    );
    expect(report.summary.overall.worstAbsErrorPct).toBeLessThan(
      report.summary.baseline.overall.worstAbsErrorPct,
    );
  });

  it("computes every error from prediction and measurement", () => {
    for (const c of report.cases) {
      expect(Number.isFinite(c.predicted)).toBe(true);
      expect(c.errorPct).toBeCloseTo((100 * (c.predicted - c.measured)) / c.measured, 9);
    }
  });
});
