import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { findModelPreset } from "../workload/presets.js";
import { capacityForBudget } from "./capacityForBudget.js";

const model = findModelPreset("llama3-8b")!.model;

describe("capacityForBudget", () => {
  const chips = ["h100-sxm", "trn2", "gb200"].map((id) => findChip(id)!);
  const r = capacityForBudget({
    budgetUsd: 1e9,
    years: 3,
    startYear: 2026,
    chips,
    priceDeclinePctPerYear: 10,
    runs: [{ name: "llama3-8b", model, tokens: 15e12 }],
  });

  it("spends the whole budget and counts runs from the same chip-hours", () => {
    expect(r.years.reduce((s, y) => s + y.budgetUsd, 0)).toBeCloseTo(1e9, 0);
    for (const y of r.years) expect(y.chipHours * y.usdPerChipHour).toBeCloseTo(y.budgetUsd, 0);
    expect(r.years[1].usdPerChipHour / r.years[0].usdPerChipHour).toBeCloseTo(0.9, 9);
    const run = r.runs[0];
    expect(run.count * run.tokens).toBeCloseTo(r.tokens, -6);
    expect(run.cumulativeByYear.at(-1)!.count).toBeCloseTo(run.count, 9);
    expect(run.firstCompleteYear).toBe(2026);
  });

  it("leaves out a chip with no price and says how to give one", () => {
    expect(r.chips.map((c) => c.chipId).sort()).toEqual(["h100-sxm", "trn2"]);
    expect(r.excluded).toEqual([{ chip: "gb200", reason: expect.stringContaining("--price gb200=") }]);
  });

  it("uses effective tokens/s (throughput x goodput) at the size compare picks", () => {
    for (const c of r.chips) {
      const ref = c.reference[0];
      expect(ref.effectiveTokensPerSecondPerChip).toBeCloseTo(ref.tokensPerSecondPerChip * ref.goodput, 9);
      expect(ref.chips).toBeGreaterThanOrEqual(8);
    }
  });
});
