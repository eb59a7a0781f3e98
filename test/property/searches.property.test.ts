import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capacityForBudget } from "../../src/compare/capacityForBudget.js";
import { compareChips } from "../../src/compare/compareChips.js";
import { findChip } from "../../src/hardware/catalog.js";
import type { Chip } from "../../src/hardware/schema.js";
import { searchPlans } from "../../src/search/searchPlans.js";
import { assertFinite } from "../../src/report/format.js";
import { checkResult, peakOf, expectClose, memoizedSearch, orBad, refusedOr, smallModels } from "./arbitraries.js";

// Property suite, searches, comparisons and capacity (counts in docs/testing.md): every request is
// answered or refused with an InputError; plans come best first, fit, and pass every result check;
// a comparison's days, chip-hours and cost follow from its plan by the documented equations; a
// capacity deal's years add up to it.

/** Generated inputs per property, per run. */
export const SEARCH_RUNS = { searches: 1500, comparisons: 1000, capacity: 500 };

const chipsOnOffer: Chip[] = ["h100-sxm", "a100-80gb-sxm", "b200", "trn2", "gb200", "tpu-v5p"].map(
  (id) => findChip(id)!,
);

describe("plan searches, comparisons and capacity, on generated input", () => {
  it(`answers or refuses ${SEARCH_RUNS.searches.toLocaleString("en-US")} plan searches`, () => {
    const request = fc.record({
      model: fc.constantFrom(...smallModels),
      chip: fc.constantFrom(...chipsOnOffer),
      chips: orBad(fc.constantFrom(1, 2, 3, 4, 8, 16, 32, 1 << 21)),
      globalBatch: orBad(fc.oneof(fc.integer({ min: 1, max: 512 }), fc.constant(1 << 25))),
      precision: fc.constantFrom("bf16", "fp8", "auto", undefined, "int8"),
      top: fc.option(orBad(fc.integer({ min: 1, max: 7 })), { nil: undefined }),
      seqLen: fc.option(orBad(fc.constantFrom(64, 512, 4096, 1 << 23)), { nil: undefined }),
    });
    fc.assert(
      fc.property(request, (raw) => {
        // biome-ignore lint/suspicious/noExplicitAny: invalid requests are the point
        const req = raw as any;
        const r = refusedOr(() => searchPlans(req));
        if (r === undefined) return;
        assertFinite(r);
        expect(r.plans.length).toBeLessThanOrEqual(req.top ?? 5);
        expect(r.evaluated).toBeGreaterThanOrEqual(r.feasible);
        expect(r.infeasible === undefined).toBe(r.plans.length > 0);
        for (let i = 0; i < r.plans.length; i++) {
          const p = r.plans[i];
          expect(p.fits).toBe(true);
          checkResult(p, peakOf(req.chip, p.parallelism.precision));
          if (i > 0) {
            expect(p.throughput.tokensPerSecondPerChip).toBeLessThanOrEqual(
              r.plans[i - 1].throughput.tokensPerSecondPerChip,
            );
          }
        }
      }),
      { numRuns: SEARCH_RUNS.searches },
    );
  });

  it(`compares or refuses ${SEARCH_RUNS.comparisons.toLocaleString("en-US")} chip comparisons; their figures follow from the plan`, () => {
    const search = memoizedSearch();
    const input = fc.record({
      model: fc.constantFrom(...smallModels),
      tokens: orBad(fc.constantFrom(1e6, 1e9, 1e12, 1.5e13, 1e17)),
      chips: fc.subarray(chipsOnOffer, { minLength: 1, maxLength: 3 }),
      chipCounts: fc.constantFrom([8], [8, 16], [1, 4, 32], [3]),
      globalBatch: fc.option(orBad(fc.constantFrom(32, 64, 128)), { nil: undefined }),
      deadlineDays: fc.option(orBad(fc.constantFrom(1e-3, 1, 30, 1e4)), { nil: undefined }),
      failuresPerChipHour: fc.option(orBad(fc.constantFrom(1e-6, 1e-3, 0.5, 10)), { nil: undefined }),
      price: fc.option(orBad(fc.constantFrom(0.01, 2.5, 1e4)), { nil: undefined }),
      pue: fc.option(orBad(fc.constantFrom(1, 1.2, 3, 5)), { nil: undefined }),
    });
    fc.assert(
      fc.property(input, (g) => {
        const result = refusedOr(() =>
          compareChips({
            model: g.model,
            tokens: g.tokens as number,
            chips: g.chips,
            chipCounts: g.chipCounts,
            globalBatch: g.globalBatch as number | undefined,
            deadlineDays: g.deadlineDays as number | undefined,
            goodput: g.failuresPerChipHour === undefined ? {} : { failuresPerChipHour: g.failuresPerChipHour as number },
            priceOverrides: g.price === undefined ? undefined : { chips: { [g.chips[0].id]: g.price as number }, instances: {} },
            pue: g.pue as number | undefined,
            search,
          }),
        );
        if (result === undefined) return;
        assertFinite(result);
        for (const row of result.rows) {
          if (row.plan === null || row.chips === null || row.days === null || row.goodput === null) continue;
          const tps = row.plan.throughput.tokensPerSecondPerChip;
          // days = tokens / (tokens/s per chip x chips x goodput) / 86,400
          expectClose(row.days, (g.tokens as number) / (tps * row.chips * row.goodput) / 86_400, "days");
          expectClose(row.chipHours ?? 0, row.chips * row.days * 24, "chip-hours");
          // cost = chips x hours x $/chip-hour
          if (row.costUsd !== null && row.usdPerChipHour !== null) {
            expectClose(row.costUsd, row.chips * row.days * 24 * row.usdPerChipHour, "cost");
          }
          expect(row.goodput).toBeGreaterThan(0);
          expect(row.goodput).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: SEARCH_RUNS.comparisons },
    );
  });

  it(`plans or refuses ${SEARCH_RUNS.capacity.toLocaleString("en-US")} capacity deals; their years add up`, () => {
    const search = memoizedSearch();
    const input = fc.record({
      model: fc.constantFrom(smallModels[0], smallModels[1]),
      budgetUsd: orBad(fc.constantFrom(1e3, 1e6, 1e9, 1e13)),
      years: orBad(fc.integer({ min: 1, max: 6 })),
      startYear: fc.option(orBad(fc.constantFrom(1990, 2020, 2026, 2030, 2100, 1e9)), { nil: undefined }),
      chips: fc.subarray(chipsOnOffer.slice(0, 4), { minLength: 1, maxLength: 2 }),
      decline: fc.option(orBad(fc.constantFrom(0, 3, 30, 99, 150)), { nil: undefined }),
      tokens: fc.constantFrom(1e9, 1e12, 1.5e13),
    });
    fc.assert(
      fc.property(input, (g) => {
        const r = refusedOr(() =>
          capacityForBudget({
            budgetUsd: g.budgetUsd as number,
            years: g.years as number,
            startYear: g.startYear as number | undefined,
            chips: g.chips,
            priceDeclinePctPerYear: g.decline as number | undefined,
            runs: [{ name: "m", model: g.model, tokens: g.tokens }],
            search,
          }),
        );
        if (r === undefined) return;
        assertFinite(r);
        expect(r.years.length).toBe(g.years);
        expectClose(r.years.reduce((a, y) => a + y.budgetUsd, 0), r.budgetUsd, "budget by year");
        expectClose(r.years.reduce((a, y) => a + y.chipHours, 0), r.chipHours, "chip-hours by year");
        for (const y of r.years) {
          expect(y.usdPerChipHour).toBeGreaterThan(0);
          expectClose(y.chipHours, y.budgetUsd / y.usdPerChipHour, `chip-hours of ${y.year}`);
        }
      }),
      { numRuns: SEARCH_RUNS.capacity },
    );
  });
});
