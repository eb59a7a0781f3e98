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

  it("brackets the runs covered by each bought chip's throughput band, the chip-hours held", () => {
    const run = r.runs[0];
    const bought = new Set(r.years.filter((y) => y.chipHours > 0).map((y) => y.chipId));
    expect(bought.size).toBe(1);
    const ref = r.chips.find((c) => bought.has(c.chipId))!.reference[0];
    expect(ref.band).not.toBeNull();
    expect(run.countBand!.low).toBeCloseTo((run.count * ref.band!.low) / ref.tokensPerSecondPerChip, 6);
    expect(run.countBand!.high).toBeCloseTo((run.count * ref.band!.high) / ref.tokensPerSecondPerChip, 6);
    expect(run.countBand!.low).toBeLessThan(run.countBand!.high);
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

describe("capacityForBudget price years", () => {
  const h100 = [findChip("h100-sxm")!];
  const runs = [{ name: "llama3-8b", model, tokens: 1e12 }];
  const at = (extra: object) =>
    capacityForBudget({ budgetUsd: 1e8, years: 1, chips: h100, priceDeclinePctPerYear: 10, runs, ...extra });

  it("lets a 2026 catalog price fall four years by a 2030 start", () => {
    const r = at({ startYear: 2030 });
    const quoted = r.chips[0].usdPerChipHour;
    expect(r.chips[0].priceYear).toBe(2026);
    expect(r.years[0].usdPerChipHour).toBeCloseTo(quoted * 0.9 ** 4, 9);
  });

  it("lets a user price fall from the year given as now", () => {
    const r = at({
      startYear: 2030,
      userPriceYear: 2028,
      priceOverrides: { chips: { "h100-sxm": 2 }, instances: {} },
    });
    expect(r.chips[0].priceYear).toBe(2028);
    expect(r.years[0].usdPerChipHour).toBeCloseTo(2 * 0.9 ** 2, 9);
  });

  it("starts in the catalog's price year by default and says so", () => {
    const r = at({});
    expect(r.startYear).toBe(2026);
    expect(r.years[0].usdPerChipHour).toBeCloseTo(r.chips[0].usdPerChipHour, 9);
    expect(r.assumptions.join("\n")).toContain("start year 2026: the year of the catalog prices");
  });
});

describe("capacityForBudget refuses what the CLI refuses (found by the property suite)", () => {
  const base = {
    budgetUsd: 1e9,
    years: 2,
    startYear: 2026,
    chips: [findChip("h100-sxm")!],
    runs: [{ name: "llama3-8b", model, tokens: 1e12 }],
  };

  it("refuses a budget below $1 (1e-320 lost its digits by year) and a deal of 1e300 years (Invalid array length)", () => {
    expect(() => capacityForBudget({ ...base, budgetUsd: 1e-320 })).toThrowError(
      /^Invalid budgetUsd: got 1e-320\. A number from 1 to 10000000000000\.$/,
    );
    expect(() => capacityForBudget({ ...base, years: 1e300 })).toThrowError(/^Invalid years: got 1e\+300\./);
  });

  it("refuses a start year no chip on offer is available in, or one so far ahead that prices reach $0", () => {
    expect(() => capacityForBudget({ ...base, startYear: 1990 })).toThrowError(
      /^Invalid startYear: got 1990\. A whole year from 2022 \(the first year a chip on offer is available: h100-sxm\)/,
    );
    expect(() => capacityForBudget({ ...base, startYear: 1e9 })).toThrowError(
      /^Invalid startYear: got 1000000000\./,
    );
  });

  it("says a chip has no public price and how to give one, before searching", () => {
    expect(() => capacityForBudget({ ...base, chips: [findChip("gb200")!] })).toThrowError(
      /^Invalid chips: got "gb200"\. A chip with a price; gb200: no public price for gb200; pass --price gb200=/,
    );
  });
});
