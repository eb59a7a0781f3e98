import { describe, expect, it } from "vitest";
import { timeToTrain } from "./timeToTrain.js";

describe("timeToTrain", () => {
  it("satisfies days = tokens / (tokens/s per chip × chips × goodput) / 86400", () => {
    const input = { tokens: 15.6e12, tokensPerSecondPerChip: 1234.5, chips: 16_384, goodput: 0.91 };
    const t = timeToTrain(input);
    expect(t.days).toBe(input.tokens / (input.tokensPerSecondPerChip * input.chips * input.goodput) / 86400);
    expect(t.chipHours).toBeCloseTo(t.days * 24 * input.chips, 6);
  });

  it("takes longer with lower goodput", () => {
    const a = timeToTrain({ tokens: 1e12, tokensPerSecondPerChip: 1000, chips: 64, goodput: 1 });
    const b = timeToTrain({ tokens: 1e12, tokensPerSecondPerChip: 1000, chips: 64, goodput: 0.5 });
    expect(b.days).toBeCloseTo(2 * a.days, 12);
  });

  it("rejects zero or out-of-range inputs instead of returning Infinity", () => {
    expect(() => timeToTrain({ tokens: 1e12, tokensPerSecondPerChip: 0, chips: 8, goodput: 1 })).toThrowError(
      /tokensPerSecondPerChip/,
    );
    expect(() =>
      timeToTrain({ tokens: 1e12, tokensPerSecondPerChip: 10, chips: 8, goodput: 0 }),
    ).toThrowError(/goodput/);
    expect(() =>
      timeToTrain({ tokens: 1e12, tokensPerSecondPerChip: 10, chips: 8, goodput: 1.2 }),
    ).toThrowError(/goodput/);
    expect(() =>
      timeToTrain({ tokens: 1e12, tokensPerSecondPerChip: 10, chips: 1.5, goodput: 1 }),
    ).toThrowError(/chips/);
  });
});
