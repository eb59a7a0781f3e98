import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import { searchPlans } from "../search/searchPlans.js";
import type { InfeasibleReason, PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import { findModelPreset } from "../workload/presets.js";
import { compareChips, compareFromSearches } from "./compareChips.js";
import { planComparison } from "./planComparison.js";

const model = findModelPreset("llama3-8b")!.model;
const chips = ["h100-sxm", "trn2", "gb200", "a100-40gb-sxm"].map((id) => findChip(id) as Chip);
const tokens = 1e12;

/** A plan search that never finds a plan: records the counts asked and gives `reason`. */
function noPlanSearch(seen: number[], reason: InfeasibleReason, smallest: (n: number) => number | null) {
  return (req: PlanSearchRequest): PlanSearchResult => {
    seen.push(req.chips);
    return {
      evaluated: 0,
      feasible: 0,
      memoryChecks: 0,
      rejected: {},
      elapsedSeconds: 0,
      plans: [],
      infeasible: { reason, smallestFittingChips: smallest(req.chips) },
    };
  };
}

describe("compareChips", () => {
  const result = compareChips({ model, tokens, chips, chipCounts: [16, 64, 256] });

  it("satisfies days = tokens / (tokens/s/chip x chips x goodput) / 86400 and cost = chips x days x 24 x $/chip-h on every row", () => {
    expect(result.rows).toHaveLength(4);
    for (const r of result.rows) {
      expect(r.plan, r.chip).not.toBeNull();
      const tps = r.plan!.throughput.tokensPerSecondPerChip;
      expect(r.days!).toBeCloseTo(tokens / (tps * r.chips! * r.goodput!) / 86400, 9);
      if (r.usdPerChipHour !== null) {
        expect(r.costUsd!).toBeCloseTo(r.chips! * r.days! * 24 * r.usdPerChipHour, 3);
        expect(r.usdPerMillionTokens!).toBeCloseTo((r.costUsd! / tokens) * 1e6, 9);
      } else {
        expect(r.costUsd).toBeNull();
        expect(r.reason).toContain("--price gb200=");
      }
      expect(r.plan!.chips).toBe(r.chips);
      expect(r.candidates.map((c) => c.chips)).toEqual([16, 64, 256]);
    }
  });

  it("marks as frontier exactly the priced rows no other row beats on both days and cost", () => {
    const priced = result.rows.filter((r) => r.costUsd !== null);
    for (const r of priced) {
      const beaten = priced.some(
        (o) =>
          o !== r &&
          o.days! <= r.days! &&
          o.costUsd! <= r.costUsd! &&
          (o.days! < r.days! || o.costUsd! < r.costUsd!),
      );
      expect(result.frontier.includes(r.chip), r.chip).toBe(!beaten);
    }
    expect(result.frontier).not.toContain("gb200");
    expect(result.frontier.length).toBeGreaterThan(0);
  });

  it("reports a deadline that cannot be met, with the fastest size and why", () => {
    const r = compareChips({ model, tokens, chips: [chips[0]], chipCounts: [16, 64], deadlineDays: 0.5 });
    const row = r.rows[0];
    expect(row.meetsConstraints).toBe(false);
    expect(row.chips).toBe(64);
    expect(row.reason).toMatch(
      /^cannot meet the 0\.5-day deadline: the fastest of 2 sizes takes [0-9.]+ days on 64 chips$/,
    );
  });

  it("reports a chip that cannot hold the model as infeasible, with the reason", () => {
    const big = findModelPreset("llama3-405b")!.model;
    const r = compareChips({ model: big, tokens, chips: [findChip("a100-40gb-sxm")!], chipCounts: [8] });
    expect(r.rows[0].chips).toBeNull();
    expect(r.rows[0].days).toBeNull();
    expect(r.rows[0].reason).toMatch(/^no plan at 8 chips: no plan for .* fits in a100-40gb-sxm memory/);
    expect(r.frontier).toEqual([]);
  });

  it("states the default global batch and selection rule among its assumptions", () => {
    expect(result.globalBatch).toBe(512);
    expect(result.assumptions[0]).toContain("global batch 512 sequences x 8192 tokens");
    expect(
      result.assumptions.some((a) => a.startsWith("chip count: the cheapest size finishing within 120 days")),
    ).toBe(true);
  });

  it("rejects a non-positive token count naming the field", () => {
    expect(() => compareChips({ model, tokens: 0, chips })).toThrow(/Invalid tokens: got 0/);
  });

  it("finds plans for GB200 and Trn3 on llama3-70b with the default counts (not only rack x 2^k)", () => {
    const m = findModelPreset("llama3-70b")!.model;
    const r = compareChips({ model: m, tokens: 15e12, chips: ["gb200", "trn3"].map((id) => findChip(id)!) });
    for (const row of r.rows) {
      expect(row.chips, row.reason).not.toBeNull();
      expect(row.chips! & (row.chips! - 1), `${row.chip} at ${row.chips}`).toBe(0); // a power of two
    }
  });

  it("passes the search's divisibility reason through and searches every count after it", () => {
    const seen: number[] = [];
    const r = compareChips({
      model,
      tokens,
      chips: [chips[0]],
      chipCounts: [72, 144, 288],
      search: noPlanSearch(seen, "layout", () => null),
    });
    expect(seen).toEqual([72, 144, 288]);
    expect(r.rows[0].reason).toBe(
      "no plan at 72..288 chips: no parallel layout divides evenly for 288 chips and global batch 512",
    );
    expect(r.rows[0].reason).not.toContain("1M");
  });

  it("skips the doubling chain below the smallest fitting size when memory is the problem, saying so", () => {
    const seen: number[] = [];
    const r = compareChips({
      model,
      tokens,
      chips: [chips[0]],
      chipCounts: [8, 16, 24, 32],
      search: noPlanSearch(seen, "memory", (n) => (n === 8 ? 64 : null)),
    });
    // 16 and 32 lie on 8 x 2^k below 64 (checked by the search); 24 is another chain and is searched.
    expect(seen).toEqual([8, 24]);
    expect(r.rows[0].candidates[1].noPlan).toEqual({
      kind: "skipped",
      chainStart: 8,
      smallestFittingChips: 64,
    });
    expect(r.rows[0].candidates[1].note).toContain("no plan fits below 64 chips on 8 x 2^k");
    expect(r.rows[0].reason).toContain("fits in h100-sxm memory on 24 chips");
  });

  it("reports a size whose failures outpace its checkpoints as making no progress, instead of throwing", () => {
    const r = compareChips({
      model,
      tokens,
      chips: [chips[0]],
      chipCounts: [64],
      goodput: { restartSeconds: 1e7 },
    });
    expect(r.rows[0].chips).toBeNull();
    expect(r.rows[0].reason).toMatch(/^no plan at 64 chips: no forward progress: restart \+ rework/);
  });
});

describe("planComparison", () => {
  it("lists every search a comparison makes, which compareFromSearches takes back by index", () => {
    const input = { model, tokens, chips, chipCounts: [16, 64, 256] };
    const plan = planComparison(input);
    expect(plan.searches.map((r) => `${r.chip.id}@${r.chips}`)).toEqual(
      chips.flatMap((c) => [16, 64, 256].map((n) => `${c.id}@${n}`)),
    );
    const results = plan.searches.map((r) => searchPlans(r));
    const handedBack = compareFromSearches(plan, (i) => results[i]);
    expect(handedBack.rows.map((r) => r.plan?.throughput.tokensPerSecondPerChip)).toEqual(
      compareChips(input).rows.map((r) => r.plan?.throughput.tokensPerSecondPerChip),
    );
  });
});

describe("compareChips refuses bad prices (found by the property suite)", () => {
  it("refuses a NaN or absurd price override (NaN crashed with 'Reduce of empty array')", () => {
    const h100 = findChip("h100-sxm")!;
    const ask = (usd: number) =>
      compareChips({
        model,
        tokens: 1e12,
        chips: [h100],
        chipCounts: [8],
        priceOverrides: { chips: { "h100-sxm": usd }, instances: {} },
      });
    expect(() => ask(Number.NaN)).toThrowError(
      /^Invalid priceOverrides\.chips\.h100-sxm: got NaN\. A number from 0\.000001 to 1000000\.$/,
    );
    expect(() => ask(1e300)).toThrowError(/priceOverrides\.chips\.h100-sxm/);
    expect(ask(2.5).rows[0].usdPerChipHour).toBe(2.5);
  });
});
