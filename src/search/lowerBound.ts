import { RECOMPUTE_NONE, ZERO_0 } from "../engine/codes.js";
import type { StageLayout } from "../engine/layout.js";
import { C_SIZE, microBatchCosts } from "../engine/microBatch.js";
import { newPlanRecord, type PlanRecord } from "../engine/planRecord.js";
import type { Prepared } from "../engine/prepare.js";
import {
  OUT_ATTENTION,
  OUT_CP_COMM,
  OUT_ELEMENTWISE,
  OUT_EP_COMM,
  OUT_GEMM,
  OUT_KERNEL_OVERHEAD,
  OUT_SIZE,
  OUT_TP_COMM,
} from "../engine/slots.js";
import { assembleStep } from "../engine/step.js";

/**
 * A lower bound on a plan's step time, from what no choice of recomputation, ZeRO stage or overlap
 * takes away, for the bounded search (boundedSearch.ts) to skip what cannot enter the top K.
 *
 * The step (step.ts, Narayanan et al. 2021 eq. 1-2) is
 *   m · balanced + bubble + pipeline p2p + exposed data-parallel + optimizer,
 *   balanced = (compute + launch + recompute + exposed tp/cp/ep) / pp + offload,
 *   bubble = (pp - 1) / vpp · stage + m · (stage - balanced),  stage = balanced · imbalance,
 * so  step >= (m + (pp - 1) / vpp) · imbalance · floor / pp,  where `floor` is one micro-batch's
 * compute, launch-bound time and exposed tp/cp/ep communication on the whole model without
 * recomputation, as the engine's own assembleStep times them. The bound holds while every other term
 * is >= 0 and recomputation only adds to the floor's terms; lowerBound.test.ts asserts both on random
 * plans of every chip, and that the bound never exceeds the step.
 */

/**
 * Micro-batch costs depend only on the shape the kernels see (micro-batch, tp, cp, ep, sequence
 * parallelism, precision: microBatchCosts), not on pp, vpp, dp, ZeRO or recomputation, so one run's
 * layouts and chip counts share them (searchRuns.ts keeps one cache per prepared run).
 */
export type MicroBatchCache = Map<number, Float64Array>;

const MAX_SIZE = 64;

/** The cache key of a shape (tp, cp, microBatch <= 64 and sp, fp8 in {0, 1}; ep any whole number). */
function shapeKey(plan: PlanRecord): number {
  return (
    ((((plan.ep * (MAX_SIZE + 1) + plan.cp) * (MAX_SIZE + 1) + plan.tp) * (MAX_SIZE + 1) + plan.microBatch) *
      2 +
      plan.sp) *
      2 +
    plan.fp8
  );
}

const floorPlan = newPlanRecord();
const floorOut = new Float64Array(OUT_SIZE);

/**
 * Every field of `from` into `to`, written out: Object.assign's generic copy was about 2% of a
 * comparison's instructions, called once per shape floor. lowerBound.test.ts holds it to every field
 * of a plan record.
 */
export function copyPlanRecord(from: PlanRecord, to: PlanRecord): void {
  to.tp = from.tp;
  to.pp = from.pp;
  to.vpp = from.vpp;
  to.dp = from.dp;
  to.cp = from.cp;
  to.ep = from.ep;
  to.microBatch = from.microBatch;
  to.microBatches = from.microBatches;
  to.globalBatch = from.globalBatch;
  to.recompute = from.recompute;
  to.zero = from.zero;
  to.sp = from.sp;
  to.fp8 = from.fp8;
}

/**
 * The floor of `costs` for the shape in `plan`: assembleStep on one stage, one micro-batch, no
 * recomputation, read back as the components the bound keeps.
 */
export function microBatchFloor(
  p: Prepared,
  costs: Float64Array,
  plan: PlanRecord,
  layout: StageLayout,
): number {
  copyPlanRecord(plan, floorPlan);
  floorPlan.pp = 1;
  floorPlan.vpp = 1;
  floorPlan.microBatches = 1;
  floorPlan.recompute = RECOMPUTE_NONE;
  floorPlan.zero = ZERO_0;
  assembleStep(p, costs, floorPlan, layout, floorOut);
  return (
    floorOut[OUT_GEMM] +
    floorOut[OUT_ATTENTION] +
    floorOut[OUT_ELEMENTWISE] +
    floorOut[OUT_KERNEL_OVERHEAD] +
    floorOut[OUT_TP_COMM] +
    floorOut[OUT_CP_COMM] +
    floorOut[OUT_EP_COMM]
  );
}

/** The costs of the shape in `plan`, computed once per cache. */
export function cachedCosts(cache: MicroBatchCache, p: Prepared, plan: PlanRecord): Float64Array {
  const key = shapeKey(plan);
  let costs = cache.get(key);
  if (costs === undefined) {
    costs = new Float64Array(C_SIZE);
    microBatchCosts(p, plan, costs);
    cache.set(key, costs);
  }
  return costs;
}

const shapeCosts = new Float64Array(C_SIZE);

/** The floor of the shape in `plan` (its costs computed afresh: the bound needs each shape once). */
export function shapeFloor(p: Prepared, plan: PlanRecord, layout: StageLayout): number {
  microBatchCosts(p, plan, shapeCosts);
  return microBatchFloor(p, shapeCosts, plan, layout);
}

/** The step-time bound of a layout at one micro-batch size, from the least floor of its allowed shapes. */
export function stepLowerBound(
  floor: number,
  microBatches: number,
  pp: number,
  vpp: number,
  imbalance: number,
): number {
  return ((microBatches + (pp - 1) / vpp) * imbalance * floor) / pp;
}

/**
 * Relative slack taken off the bound before comparing it: the step sums the same terms in another
 * order, so the two may differ in their last bits; 1e-9 is far above that and far below any real gap.
 */
export const BOUND_SLACK = 1e-9;
