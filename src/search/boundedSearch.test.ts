import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import type { PlanConstraints } from "../plan/constraints.js";
import { findModelPreset } from "../workload/presets.js";
import type { Model } from "../workload/schema.js";
import { BOUNDED_OUT } from "./layoutSearch.js";
import { searchPlans } from "./searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "./types.js";

// The bounded search (boundedSearch.ts) must return exactly what the exhaustive one does: the same
// top K, in the same order, the same count of plans faster than a given one, the same verdict when
// nothing fits, and the same counts of what the layout rules and constraints refuse. Only how the
// configurations that keep those rules split between "fit" (timed), "does not fit" and "ruled out by
// the bound" differs.

const model = (id: string): Model => findModelPreset(id)!.model;
const chip = (id: string): Chip => findChip(id)!;

/** What must be equal between the two searches. */
function answer(r: PlanSearchResult) {
  const rules = Object.entries(r.rejected).filter(
    ([reason]) => reason !== "does not fit in memory" && reason !== BOUNDED_OUT,
  );
  return {
    plans: r.plans.map((p) => ({ parallelism: p.parallelism, step: p.step, throughput: p.throughput })),
    evaluated: r.evaluated,
    betterCount: r.betterCount,
    infeasible: r.infeasible,
    rules: Object.fromEntries(rules.sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** Configurations that keep the rules: checked (fit or not) or ruled out by the bound. */
function kept(r: PlanSearchResult): number {
  return r.feasible + (r.rejected["does not fit in memory"] ?? 0) + (r.rejected[BOUNDED_OUT] ?? 0);
}

function expectSameAnswer(req: PlanSearchRequest): PlanSearchResult {
  const exhaustive = searchPlans({ ...req, exhaustive: true });
  const bounded = searchPlans(req);
  expect(answer(bounded)).toEqual(answer(exhaustive));
  expect(kept(bounded)).toBe(kept(exhaustive));
  expect(exhaustive.rejected[BOUNDED_OUT]).toBeUndefined();
  expect(bounded.feasible).toBeLessThanOrEqual(exhaustive.feasible);
  expect(bounded.memoryChecks).toBeLessThanOrEqual(exhaustive.memoryChecks);
  return bounded;
}

describe("the bounded search", () => {
  it("keeps the exhaustive search's best plans on the standard searches, checking far fewer", () => {
    const standard: PlanSearchRequest[] = [
      { model: model("llama3-405b"), chip: chip("h100-sxm"), chips: 16384, globalBatch: 2048 },
      { model: model("deepseek-v3"), chip: chip("h100-sxm"), chips: 2048, globalBatch: 4096, top: 5 },
      { model: model("llama3-70b"), chip: chip("trn2"), chips: 512, globalBatch: 1024 },
      { model: model("llama3-70b"), chip: chip("gb200"), chips: 256, globalBatch: 512, top: 3 },
      {
        model: model("mixtral-8x7b"),
        chip: chip("h200-sxm"),
        chips: 256,
        globalBatch: 512,
        precision: "auto",
      },
      { model: model("llama3-405b"), chip: chip("h100-sxm"), chips: 8, globalBatch: 2048 },
    ];
    for (const req of standard) {
      const r = expectSameAnswer(req);
      if (r.plans.length > 0) expect(r.rejected[BOUNDED_OUT]).toBeGreaterThan(0);
    }
  });

  it("names the exhaustive search's smallest fitting count whatever order the counts are searched in", () => {
    // What one search found fits or not answers the later searches' probes (searchRuns.ts fitsKnown),
    // so the order matters to what is computed, never to the answer. Sequence 2048 and these batches
    // are searched nowhere else in this file, so the runs start with nothing known.
    const runs: PlanSearchRequest[] = [
      { model: model("llama3-405b"), chip: chip("h100-sxm"), chips: 0, globalBatch: 1024, seqLen: 2048 },
      { model: model("llama3-70b"), chip: chip("a100-40gb-sxm"), chips: 0, globalBatch: 256, seqLen: 2048 },
    ];
    const counts = [4, 8, 16, 32, 64, 128, 256];
    for (const [i, run] of runs.entries()) {
      const order = i === 0 ? [...counts].reverse() : counts;
      for (const chips of order) {
        const r = expectSameAnswer({ ...run, chips, top: 1 });
        expect(r.plans.length > 0 || r.infeasible?.smallestFittingChips !== undefined).toBe(true);
      }
    }
    const r = expectSameAnswer({ ...runs[0], chips: 8, top: 1 });
    expect(r.infeasible).toEqual({ reason: "memory", smallestFittingChips: 128 });
  });

  it("keeps them on random models, chips, counts, batches, precisions, constraints, stacks and rankings", () => {
    const models = ["llama3-8b", "llama2-13b", "mixtral-8x7b", "qwen3-30b-a3b", "gpt-oss-120b", "llama3-70b"];
    const chips = ["h100-sxm", "a100-80gb-sxm", "b200", "gb200", "trn2", "mi300x", "h200-sxm"];
    const constraints: (PlanConstraints | undefined)[] = [
      undefined,
      { tp: { min: 1, max: 4 } },
      { recompute: ["full", "none"], zero: ["zero1", "zero3"] },
      { microBatch: [1, 2, 4], sequenceParallel: [true] },
      { pp: 1, precision: ["bf16"] },
      // The recomputations beyond the first four, tried when named (recomputeCodesToTry).
      { recompute: ["selective-op", "full-every-2", "full-every-4", "none"] },
      { recompute: ["full-block-4", "full-uniform-2", "offload", "selective", "full"] },
    ];
    // Stacks whose own vocabulary names them (torchtitan: selective-op, full-every-2; Megatron's layer forms).
    const frameworks = [undefined, undefined, "torchtitan", "megatron-core"] as const;
    const request = fc.record({
      model: fc.constantFrom(...models),
      chip: fc.constantFrom(...chips),
      chips: fc.constantFrom(8, 16, 24, 64, 72, 128, 256, 512),
      globalBatch: fc.constantFrom(32, 96, 256, 512, 1536),
      top: fc.integer({ min: 1, max: 6 }),
      precision: fc.constantFrom("bf16", "fp8", "auto"),
      constraints: fc.constantFrom(...constraints),
      framework: fc.constantFrom(...frameworks),
      rankFraction: fc.option(fc.constantFrom(0.5, 0.9, 1), { nil: undefined }),
    });
    fc.assert(
      fc.property(request, (r) => {
        const req: PlanSearchRequest = {
          model: model(r.model),
          chip: chip(r.chip),
          chips: r.chips,
          globalBatch: r.globalBatch,
          top: r.top,
          precision: r.precision as PlanSearchRequest["precision"],
          constraints: r.constraints,
          framework: r.framework,
        };
        if (r.rankFraction !== undefined) {
          // Count the plans faster than a fraction of the best: the bound must not skip those either.
          const best = searchPlans({ ...req, top: 1 }).plans[0];
          if (best) req.countBetterThan = best.throughput.tokensPerSecondPerChip * r.rankFraction;
        }
        expectSameAnswer(req);
      }),
      { numRuns: 80, seed: 7 },
    );
  });
});
