import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RECOMPUTE_NONE, recomputeCode, recomputeForm } from "../engine/codes.js";
import { newStageLayout, stageLayout } from "../engine/layout.js";
import { C_SIZE, microBatchCosts } from "../engine/microBatch.js";
import { newPlanRecord, type PlanRecord, planRecordOf } from "../engine/planRecord.js";
import { prepareRun } from "../engine/run.js";
import { OUT_SIZE, OUT_STEP, OUT_TP_COMM, STEP_COMPONENTS } from "../engine/slots.js";
import { assembleStep } from "../engine/step.js";
import { chips } from "../hardware/catalog.js";
import { type Profile, ProfileSchema } from "../hardware/profile.js";
import { profileForChip } from "../hardware/profiles.js";
import { RECOMPUTE, type Recompute } from "../plan/schema.js";
import { FRAMEWORKS, MOE_DISPATCHERS } from "../plan/software.js";
import { modelPresets } from "../workload/presets.js";
import { copyPlanRecord, microBatchFloor, stepLowerBound } from "./lowerBound.js";

// The bound of lowerBound.ts rests on the engine: every step component >= 0, recomputation adding to
// the exposed tensor-parallel time, and the floor times the pipeline's micro-batches never above the
// step. Checked on random plans of every chip and preset, under random profiles (each parameter drawn
// within its schema's range) and random software knobs, so a change of the engine's physics that
// breaks the bound fails here before the bounded search could return a wrong plan.

/** A number field's range in the profile schema (defaults unwrapped), or null when it has none. */
function range(schema: unknown): [number, number] | null {
  let s = schema as { minValue?: number; maxValue?: number; unwrap?: () => unknown };
  while (s.minValue === undefined && typeof s.unwrap === "function") s = s.unwrap() as typeof s;
  const { minValue, maxValue } = s;
  return Number.isFinite(minValue) && Number.isFinite(maxValue)
    ? [minValue as number, maxValue as number]
    : null;
}

/** A profile with every ranged parameter drawn from its range by `u` (numbers in [0, 1)). */
function randomProfile(base: Profile, u: number[]): Profile {
  const profile: Record<string, unknown> = { ...base };
  Object.entries(ProfileSchema.shape).forEach(([key, schema], i) => {
    const r = range(schema);
    if (r) profile[key] = r[0] + (r[1] - r[0]) * u[i % u.length];
  });
  return profile as unknown as Profile;
}

const pick = <T>(list: readonly T[], u: number): T => list[Math.floor(u * list.length) % list.length];

/**
 * Every recomputation of the vocabulary (src/plan/schema.ts): the fixed words and the layer forms at
 * counts below, at and above a stage's layers, as codes.
 */
const recomputation = fc
  .oneof(
    fc.constantFrom(...RECOMPUTE),
    fc.integer({ min: 2, max: 40 }).map((n): Recompute => `full-every-${n}`),
    fc.integer({ min: 1, max: 40 }).map((n): Recompute => `full-block-${n}`),
    fc.integer({ min: 2, max: 40 }).map((n): Recompute => `full-uniform-${n}`),
  )
  .map(recomputeCode);

const input = fc.record({
  chip: fc.constantFrom(...chips),
  preset: fc.constantFrom(...modelPresets),
  profileDraws: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
    minLength: 8,
    maxLength: 8,
  }),
  knobs: fc.record({
    framework: fc.constantFrom(...FRAMEWORKS),
    moeDispatcher: fc.constantFrom(...MOE_DISPATCHERS),
    tpCommOverlap: fc.boolean(),
    expertCommOverlap: fc.boolean(),
    cudaGraphs: fc.boolean(),
    blockingP2p: fc.boolean(),
    fsdpReshardAfterForward: fc.boolean(),
  }),
  plan: fc.record({
    tp: fc.constantFrom(1, 2, 4, 8),
    cp: fc.constantFrom(1, 2, 4),
    pp: fc.constantFrom(1, 2, 3, 4, 8, 16),
    vpp: fc.constantFrom(1, 2, 3, 4),
    dp: fc.constantFrom(1, 2, 8, 64),
    ep: fc.constantFrom(1, 2, 8, 32),
    microBatch: fc.constantFrom(1, 2, 3, 4, 8),
    microBatches: fc.integer({ min: 1, max: 32 }),
    recompute: recomputation,
    zero: fc.integer({ min: 0, max: 3 }),
    sp: fc.constantFrom(0, 1),
    fp8: fc.constantFrom(0, 1),
  }),
});

describe("the step-time lower bound", () => {
  it("never exceeds the step the engine times, and rests on terms that are never negative", () => {
    fc.assert(
      fc.property(input, ({ chip, preset, profileDraws, knobs, plan }) => {
        const base = profileForChip(chip).profile;
        const profile = randomProfile(base, profileDraws);
        const run = prepareRun({ model: preset.model, chip, software: knobs }, { profile });
        const p = run.prep;
        const experts = preset.model.moe?.experts ?? 1;
        const rec = planRecordOf({
          ...plan,
          pp: Math.min(plan.pp, p.layers),
          vpp: plan.pp === 1 ? 1 : plan.vpp,
          ep: Math.min(plan.ep, experts),
          sp: plan.tp > 1 ? plan.sp : 0,
        });
        rec.globalBatch = rec.dp * rec.microBatch * rec.microBatches;
        const layout = stageLayout(p, rec, newStageLayout());
        const costs = new Float64Array(C_SIZE);
        microBatchCosts(p, rec, costs);
        const out = new Float64Array(OUT_SIZE);
        assembleStep(p, costs, rec, layout, out);
        for (const [slot, name] of STEP_COMPONENTS) {
          if (!(out[slot] >= 0)) throw new Error(`${name} is ${out[slot]}, below 0`);
        }
        const step = out[OUT_STEP];
        // Recomputation only adds to the exposed tensor-parallel time the floor counts without it.
        const ownTp = out[OUT_TP_COMM];
        assembleStep(p, costs, { ...rec, recompute: RECOMPUTE_NONE }, layout, out);
        expect(out[OUT_TP_COMM]).toBeLessThanOrEqual(ownTp * (1 + 1e-12) + 1e-300);
        const floor = microBatchFloor(p, costs, rec, layout);
        const bound = stepLowerBound(floor, rec.microBatches, rec.pp, rec.vpp, layout.imbalance);
        expect(bound).toBeGreaterThan(0);
        expect(bound).toBeLessThanOrEqual(step * (1 + 1e-12));
      }),
      { numRuns: 3000, seed: 12 },
    );
  });

  it("draws every kind of recomputation: the fixed words and each layer form", () => {
    const drawn = new Set(fc.sample(recomputation, { numRuns: 500, seed: 12 }).map((c) => recomputeForm(c)));
    expect([...drawn].sort()).toEqual([-1, 0, 1, 2]);
    const words = new Set(fc.sample(recomputation, { numRuns: 500, seed: 12 }));
    for (const word of RECOMPUTE) expect(words.has(recomputeCode(word))).toBe(true);
  });

  it("draws profiles across the whole range of each parameter", () => {
    const base = profileForChip(pick(chips, 0)).profile;
    const low = randomProfile(base, [0]);
    expect(ProfileSchema.safeParse(low).success).toBe(true);
    expect(low.tpOverlap).toBe(0);
    expect(randomProfile(base, [0.999999]).tpOverlap).toBeCloseTo(1, 5);
  });
});

describe("copyPlanRecord", () => {
  it("copies every field of a plan record, as Object.assign would", () => {
    const from = newPlanRecord();
    Object.keys(from).forEach((key, i) => {
      (from as unknown as Record<string, number>)[key] = i + 2;
    });
    const to = newPlanRecord();
    copyPlanRecord(from, to);
    expect(to).toEqual(Object.assign(newPlanRecord(), from) satisfies PlanRecord);
    expect(Object.keys(to)).toEqual(Object.keys(from));
  });
});
