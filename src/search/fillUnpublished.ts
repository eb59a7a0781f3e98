import { precisionCode } from "../engine/codes.js";
import { stageLayout } from "../engine/layout.js";
import { parallelismOf } from "../engine/planRecord.js";
import type { Prepared } from "../engine/prepare.js";
import type { PlanConstraints } from "../plan/constraints.js";
import type { Parallelism } from "../plan/schema.js";
import {
  intersectConstraints,
  knobConstraints,
  STACK_CAPABILITIES,
  stackConstraints,
} from "../plan/stackCapabilities.js";
import { keptPlan } from "./bestPlans.js";
import { compileFilter, integerVerdict } from "./constraintFilter.js";
import { layoutOrder, newSearchState, searchLayout } from "./layoutSearch.js";
import { MAX_VPP, pipelineChunksRule } from "./layouts.js";

/** The plan fields a run may leave unpublished that the search can choose (the layout sizes are published). */
export const FILLABLE_FIELDS = ["vpp", "microBatch", "recompute", "zero", "sequenceParallel"] as const;
export type FillableField = (typeof FILLABLE_FIELDS)[number];

/**
 * What pins the search: each published field at its value; each free field within what the run's
 * stack runs (stackCapabilities.ts). The stack's rules are not applied to published fields: the run
 * ran them.
 */
function constraintsOf(
  plan: Parallelism,
  free: ReadonlySet<FillableField>,
  stack: PlanConstraints,
): { pinned: PlanConstraints; allowed: PlanConstraints } {
  const pinned: PlanConstraints = {};
  const allowed: PlanConstraints = {};
  if (!free.has("microBatch")) pinned.microBatch = plan.microBatch;
  else if (stack.microBatch !== undefined) allowed.microBatch = stack.microBatch;
  if (!free.has("vpp")) pinned.vpp = plan.vpp;
  else if (stack.vpp !== undefined) allowed.vpp = stack.vpp;
  if (!free.has("recompute")) pinned.recompute = [plan.recompute];
  else if (stack.recompute !== undefined) allowed.recompute = stack.recompute;
  if (!free.has("zero")) pinned.zero = [plan.zero];
  else if (stack.zero !== undefined) allowed.zero = stack.zero;
  if (!free.has("sequenceParallel")) pinned.sequenceParallel = [plan.sequenceParallel];
  else if (stack.sequenceParallel !== undefined) allowed.sequenceParallel = stack.sequenceParallel;
  return { pinned, allowed };
}

/**
 * The fastest plan that fits with every published field of `plan` fixed: the plan search's inner
 * loops (layoutSearch.ts) over the layout the run published (tp, pp, dp, cp, ep and precision),
 * choosing only the `free` fields. This is what a team tuning that run would pick. Null when no such
 * plan fits, or when the published fields break a rule the search keeps (ZeRO-2/3 with pipelining,
 * interleaving whose micro-batches are not a multiple of pp).
 */
export function fastestFill(
  prep: Prepared,
  plan: Parallelism,
  globalBatch: number,
  free: ReadonlySet<FillableField>,
): Parallelism | null {
  const { pinned, allowed } = constraintsOf(plan, free, fillStack(prep));
  const filter = compileFilter(pinned, allowed);
  const s = newSearchState(prep, {
    globalBatch,
    precisions: [precisionCode(plan.precision)],
    top: 1,
    rankAgainst: Number.POSITIVE_INFINITY,
    timing: true,
    filter,
    shardWithPipelining: STACK_CAPABILITIES[prep.software.framework].shardsWithPipelining === true,
    // Filling with the recompute modules made every cross-validated figure worse (docs/model.md,
    // "Megatron's recompute modules"): a run that left them unsaid is filled as before; one that
    // names them runs them.
    tryRecomputeModules: false,
  });
  const layers = prep.ops.model.layers;
  const vpps = free.has("vpp") && plan.pp > 1 ? range(1, MAX_VPP) : [plan.vpp];
  for (const vpp of vpps) {
    if (integerVerdict(filter, "vpp", vpp) !== null) continue;
    if (vpps.length > 1 && pipelineChunksRule(layers, plan.pp, vpp) !== null) continue;
    Object.assign(s.plan, { tp: plan.tp, pp: plan.pp, vpp, dp: plan.dp, cp: plan.cp, ep: plan.ep });
    stageLayout(prep, s.plan, s.layout);
    // Each depth its own place in the order, so an equal score keeps the shallower one (bestPlans.ts).
    s.order = layoutOrder(vpp);
    searchLayout(s);
  }
  return s.best.kept > 0 ? parallelismOf(keptPlan(s.best, 0)) : null;
}

/**
 * What the run's stack runs, narrowed by its own knobs (knobConstraints, as the plan search narrows
 * it): the virtual stages its named pipeline schedule runs among them.
 */
function fillStack(prep: Prepared): PlanConstraints {
  return intersectConstraints(knobConstraints(prep.software), stackConstraints(prep.software.framework));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
