import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import { findModelPreset } from "../workload/presets.js";
import { breakEven, breakEvensFromRows, usdPerMillionTokensAt } from "./breakEven.js";
import { compareChips } from "./compareChips.js";
import { runEconomics } from "./economics.js";

const model = findModelPreset("llama3-8b")!.model;
const tokens = 1e12;
const h100 = findChip("h100-sxm") as Chip;
const trn2 = findChip("trn2") as Chip;

/** Relative difference |x - y| / y. */
const rel = (x: number, y: number) => Math.abs(x - y) / y;

describe("breakEven on a real comparison", () => {
  const base = compareChips({ model, tokens, chips: [trn2, h100], chipCounts: [64] });
  const [outcome] = breakEvensFromRows(base.rows, [{ chip: "trn2", against: "h100-sxm" }]);
  const rowOf = (r: typeof base, chip: string) => r.rows.find((x) => x.chip === chip)!;

  it("at the break-even price Trainium2's run costs what H100's does, within 0.5% (re-priced through compare)", () => {
    expect(outcome.kind).toBe("break-even");
    if (outcome.kind !== "break-even") return;
    const price = outcome.usdPerChipHour!;
    const repriced = compareChips({
      model,
      tokens,
      chips: [trn2, h100],
      chipCounts: [64],
      priceOverrides: { chips: { trn2: price }, instances: {} },
    });
    const a = rowOf(repriced, "trn2").costUsd!;
    const b = rowOf(repriced, "h100-sxm").costUsd!;
    expect(rel(a, b)).toBeLessThan(0.005);
    // And the price differs from today's, so the test is not satisfied by leaving the price as it was.
    expect(rel(price, rowOf(base, "trn2").usdPerChipHour!)).toBeGreaterThan(0.01);
  });

  it("at the MFU it needs, Trainium2 at today's price costs what H100 costs, within 0.5% (re-run through runEconomics)", () => {
    if (outcome.kind !== "break-even") throw new Error("expected a break-even");
    const row = rowOf(base, "trn2");
    const plan = row.plan!;
    const factor = outcome.mfuNeeded! / plan.throughput.mfu;
    const faster = {
      ...plan,
      throughput: {
        ...plan.throughput,
        tokensPerSecondPerChip: plan.throughput.tokensPerSecondPerChip * factor,
        tokensPerSecond: plan.throughput.tokensPerSecond * factor,
        mfu: outcome.mfuNeeded!,
      },
    };
    const econ = runEconomics({ plan: faster, chip: trn2, tokens, model });
    expect(rel(econ.costUsd!, rowOf(base, "h100-sxm").costUsd!)).toBeLessThan(0.005);
    expect(Math.abs(factor - 1)).toBeGreaterThan(0.01);
  });

  it("says why there is no break-even when a chip has no plan", () => {
    const rows = [{ chip: "trn2", chipHours: null, usdPerChipHour: 5, plan: null }, ...base.rows];
    const [o] = breakEvensFromRows(rows, [{ chip: "trn2", against: "h100-sxm" }]);
    expect(o).toEqual({
      kind: "no-plan",
      chip: "trn2",
      against: "h100-sxm",
      reason: "trn2 has no plan for this run, so no break-even",
    });
  });
});

describe("breakEven", () => {
  const a = { chip: "a", chipHours: 2000, usdPerChipHour: 3, mfu: 0.3 };
  const b = { chip: "b", chipHours: 1000, usdPerChipHour: 4, mfu: 0.5 };

  it("gives the price at which A's cost equals B's and the MFU A needs at its own price", () => {
    const r = breakEven(a, b);
    expect(r.priceRatio).toBe(0.5);
    expect(r.usdPerChipHour).toBe(2);
    expect(r.usdPerChipHour! * a.chipHours).toBe(b.usdPerChipHour * b.chipHours);
    // A costs 6000 against B's 4000: it must be 1.5x faster, at 0.45 MFU.
    expect(r.costRatio).toBe(1.5);
    expect(r.mfuNeeded).toBeCloseTo(0.45, 12);
    expect(r.bands).toBeNull();
    expect(r.missing).toEqual([]);
  });

  it("still gives the price ratio when the reference chip has no price, and says what is missing", () => {
    const r = breakEven({ ...a, usdPerChipHour: null }, { ...b, usdPerChipHour: null });
    expect(r.priceRatio).toBe(0.5);
    expect(r.usdPerChipHour).toBeNull();
    expect(r.mfuNeeded).toBeNull();
    expect(r.missing).toEqual([
      "b has no price: the break-even is 0.500 x its price per chip-hour",
      "a has no price: the MFU it needs is unknown until one is given",
    ]);
  });

  it("widens to a range over both throughput bands: price by A's band over B's, needed MFU by B's band only", () => {
    const r = breakEven({ ...a, band: { low: 0.8, high: 1.1 } }, { ...b, band: { low: 0.9, high: 1.2 } });
    expect(r.bands!.usdPerChipHour!.low).toBeCloseTo((2 * 0.8) / 1.2, 12);
    expect(r.bands!.usdPerChipHour!.high).toBeCloseTo((2 * 1.1) / 0.9, 12);
    expect(r.bands!.mfuNeeded!.low).toBeCloseTo(0.45 * 0.9, 12);
    expect(r.bands!.mfuNeeded!.high).toBeCloseTo(0.45 * 1.2, 12);
    // The point value lies inside its range.
    expect(r.bands!.priceRatio.low).toBeLessThan(r.priceRatio);
    expect(r.bands!.priceRatio.high).toBeGreaterThan(r.priceRatio);
  });

  it("rejects an inverted band and non-positive chip-hours", () => {
    expect(() => breakEven({ ...a, band: { low: 1.2, high: 1.1 } }, b)).toThrow(/a band must satisfy/);
    expect(() => breakEven({ ...a, chipHours: 0 }, b)).toThrow(/a chipHours/);
  });

  it("puts both chips at the same cost per million tokens at the break-even price", () => {
    const r = breakEven(a, b);
    expect(usdPerMillionTokensAt(a, 1e9, r.usdPerChipHour!)).toBeCloseTo(
      usdPerMillionTokensAt(b, 1e9, b.usdPerChipHour),
      12,
    );
  });
});
