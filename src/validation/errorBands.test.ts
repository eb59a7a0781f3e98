import { describe, expect, it } from "vitest";
import { type BandResidual, bandClass, errorBands } from "./errorBands.js";

const residuals = (source: string, moe: boolean, errors: number[]): BandResidual[] =>
  errors.map((errorPct) => ({ errorPct, moe, chipSeen: true, source }));

describe("error bands", () => {
  it("hold the central 80% of measured/predicted ratios of a class, unwidened", () => {
    const rs = residuals("a", false, [-20, -10, -5, 0, 0, 0, 5, 10, 25, 100]);
    const band = errorBands(rs, 1)[bandClass(false, true)];
    // ratio = 1 / (1 + error): +100% over-prediction is a ratio of 0.5, the low end.
    expect(band.low).toBeGreaterThan(0.5);
    expect(band.low).toBeLessThan(0.9);
    expect(band.high).toBeGreaterThan(1);
    expect(band.high).toBeLessThan(1.25);
    expect(band.cases).toBe(10);
  });

  it("borrow the kind's band when a class has too few runs", () => {
    const rs = [
      ...residuals("a", true, [0, 5, 10, 15, 20, 25, 30, 35]),
      { errorPct: 50, moe: true, chipSeen: false, source: "b" },
    ];
    expect(errorBands(rs, 1)[bandClass(true, false)].from).toBe("moe");
  });

  it("widen until bands built without a source hold 80% of its runs", () => {
    // Each source biased its own way: pooled bands understate the spread a new source shows.
    const rs = [
      ...residuals("a", false, [10, 12, 14, 16, 18]),
      ...residuals("b", false, [-10, -12, -14, -16, -18]),
      ...residuals("c", false, [0, 1, 2, 3, 4]),
      ...residuals("d", false, [20, 22, 24, 26, 28]),
    ];
    const unwidened = errorBands(rs, 1)[bandClass(false, true)];
    const widened = errorBands(rs)[bandClass(false, true)];
    expect(widened.high / widened.low).toBeGreaterThan(unwidened.high / unwidened.low);
  });
});
