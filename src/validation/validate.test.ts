import { describe, expect, it } from "vitest";
import shipped from "../../data/profiles.json" with { type: "json" };
import validationSet from "../../data/validation/dev.json" with { type: "json" };
import type { ProfileFile } from "../hardware/profile.js";
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

  it("counts a measurement inside its prediction's band as covered, from the band each case carries", () => {
    const banded = report.cases.filter((c) => c.band);
    expect(banded.length).toBe(report.cases.length);
    for (const c of banded) {
      expect(c.band!.low).toBeLessThan(c.predicted);
      expect(c.band!.high).toBeGreaterThan(c.predicted);
      expect(c.band!.inside).toBe(c.measured >= c.band!.low && c.measured <= c.band!.high);
    }
    expect(report.summary.bandCoverage).toEqual({
      covered: banded.filter((c) => c.band!.inside).length,
      cases: banded.length,
    });
  });

  it("leaves out of the band count a case whose profiles carry no bands", () => {
    const { bands: _bands, bandCoverage: _coverage, ...withoutBands } = shipped;
    const bare = validateCases(loaded.cases.slice(0, 3), { profiles: withoutBands as ProfileFile });
    expect(bare.cases.every((c) => c.band === undefined)).toBe(true);
    expect(bare.summary.bandCoverage).toEqual({ covered: 0, cases: 0 });
  });
});
