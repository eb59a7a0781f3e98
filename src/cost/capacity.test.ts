import { describe, expect, it } from "vitest";
import { capacityPlan } from "./capacity.js";

const chips = [
  { chipId: "trn2", year: 2024, usdPerChipHour: 2.0, priceYear: 2025, tokensPerSecondPerChip: 1000 },
  { chipId: "trn3", year: 2026, usdPerChipHour: 3.0, priceYear: 2026, tokensPerSecondPerChip: 2000 },
];

describe("capacityPlan", () => {
  it("spends an even ramp and buys chipHours = budget / price each year", () => {
    const p = capacityPlan({ budgetUsd: 30e6, years: 3, startYear: 2025, chips, priceDeclinePctPerYear: 10 });
    expect(p.years.map((y) => y.budgetUsd)).toEqual([10e6, 10e6, 10e6]);
    for (const y of p.years) {
      expect(y.chipHours).toBeCloseTo(y.budgetUsd / y.usdPerChipHour, 6);
      expect(y.sustainedChips).toBeCloseTo(y.chipHours / 8760, 9);
    }
    expect(p.chipHours).toBeCloseTo(
      p.years.reduce((s, y) => s + y.chipHours, 0),
      6,
    );
  });

  it("moves to the newest generation once it is available and cheaper per token", () => {
    const p = capacityPlan({ budgetUsd: 30e6, years: 3, startYear: 2025, chips, priceDeclinePctPerYear: 10 });
    expect(p.years.map((y) => y.chipId)).toEqual(["trn2", "trn3", "trn3"]);
    // trn2 quoted in 2025; trn3 quoted in 2026, then 10% lower in 2027.
    expect(p.years[0].usdPerChipHour).toBe(2.0);
    expect(p.years[1].usdPerChipHour).toBe(3.0);
    expect(p.years[2].usdPerChipHour).toBeCloseTo(2.7, 12);
  });

  it("applies the decline from the year the price was quoted, not the start year", () => {
    const one = [
      { chipId: "h100", year: 2023, usdPerChipHour: 4, priceYear: 2026, tokensPerSecondPerChip: 1 },
    ];
    const p = capacityPlan({
      budgetUsd: 1e6,
      years: 2,
      startYear: 2030,
      chips: one,
      priceDeclinePctPerYear: 10,
    });
    // A 2026 price bought in 2030 has fallen four years: 4 × 0.9^4; 2031: 4 × 0.9^5.
    expect(p.years[0].usdPerChipHour).toBeCloseTo(4 * 0.9 ** 4, 12);
    expect(p.years[1].usdPerChipHour).toBeCloseTo(4 * 0.9 ** 5, 12);
  });

  it("counts how many runs of each workload the deal covers", () => {
    const p = capacityPlan({
      budgetUsd: 10e6,
      years: 1,
      startYear: 2026,
      chips,
      priceDeclinePctPerYear: 0,
      runs: [{ model: "llama3-70b", tokens: 1e12 }],
      tokensPerSecond: { trn3: { "llama3-70b": 500 } },
    });
    // 10e6 / 3 $/h = 3.333e6 chip-hours × 3600 s × 500 tok/s = 6e12 tokens → 6 runs.
    expect(p.runs[0].count).toBeCloseTo(6, 9);
    expect(p.runs[0].wholeRuns).toBe(6);
  });

  it("accepts a throughput function and follows the ramp", () => {
    const p = capacityPlan({
      budgetUsd: 1e6,
      years: 2,
      startYear: 2026,
      chips,
      ramp: [0.25, 0.75],
      runs: [{ model: "m", tokens: 1e9 }],
      tokensPerSecond: (chipId) => (chipId === "trn3" ? 100 : 50),
    });
    expect(p.years.map((y) => y.budgetUsd)).toEqual([250_000, 750_000]);
    expect(p.runs[0].count).toBeGreaterThan(0);
  });

  it("buys more chip-hours for the same budget when prices fall faster", () => {
    const slow = capacityPlan({
      budgetUsd: 1e6,
      years: 4,
      startYear: 2026,
      chips,
      priceDeclinePctPerYear: 5,
    });
    const fast = capacityPlan({
      budgetUsd: 1e6,
      years: 4,
      startYear: 2026,
      chips,
      priceDeclinePctPerYear: 30,
    });
    expect(fast.chipHours).toBeGreaterThan(slow.chipHours);
  });

  it("rejects bad ramps, missing throughput and years with no chip", () => {
    const base = { budgetUsd: 1e6, years: 2, startYear: 2026, chips };
    expect(() => capacityPlan({ ...base, ramp: [0.5, 0.4] })).toThrowError(/ramp/);
    expect(() => capacityPlan({ ...base, ramp: [1] })).toThrowError(/ramp/);
    expect(() => capacityPlan({ ...base, startYear: 2020 })).toThrowError(/year <= 2020/);
    expect(() => capacityPlan({ ...base, budgetUsd: 0 })).toThrowError(/budgetUsd/);
    expect(() =>
      capacityPlan({ ...base, runs: [{ model: "x", tokens: 1 }], tokensPerSecond: {} }),
    ).toThrowError(/tokensPerSecond\[trn3\]\[x\]/);
  });
});
