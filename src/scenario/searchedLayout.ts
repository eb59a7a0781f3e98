/**
 * A scenario that leaves layout sizes out (tp, pp, cp, ep, vpp, dp) gets the fastest layout that fits
 * with every field it does give held fixed, found by the plan search, and each filled size is stated.
 * The scenario's `constraints:` block, where it has one, holds this search as it holds plan's.
 * Without this the schema's defaults (tp 1, pp 1, ...) would be simulated as if the user had asked for
 * them, and a model too large for one chip would come back "not fitting" with no better plan named.
 */
import type { SimulationInput, SimulationOptions } from "../engine/simulate.js";
import { InputError } from "../errors.js";
import {
  choiceAllows,
  type PlanConstraints,
  type SearchConstraints,
  splitSearchConstraints,
} from "../plan/constraints.js";
import { DEFAULT_PRECISION, type Parallelism } from "../plan/schema.js";
import type { Framework } from "../plan/software.js";
import { searchPlans } from "../search/searchPlans.js";
import type { InfeasibleReason } from "../search/types.js";
import { checkPlanConstraints } from "./checks.js";

export const LAYOUT_FIELDS = ["tp", "pp", "cp", "ep", "vpp", "dp"] as const;
export type LayoutField = (typeof LAYOUT_FIELDS)[number];

/** The layout sizes a scenario's `parallelism` leaves out or null (the schema would default them). */
export function omittedLayoutFields(raw: unknown): LayoutField[] {
  const parallelism = isRecord(raw) && isRecord(raw.parallelism) ? raw.parallelism : {};
  return LAYOUT_FIELDS.filter((f) => parallelism[f] === undefined || parallelism[f] === null);
}

/**
 * The sizes the plan search is to choose for a scenario (its recipe names already read as trainplan's,
 * aliases.ts): none when only dp is left out (it follows from the chips, derivedDp.ts) or when the
 * rest is ep on a model without experts (ep 1).
 */
export function searchedLayoutFields(canonical: unknown, model: { moe?: unknown }): LayoutField[] {
  const omitted = omittedLayoutFields(canonical).filter((f) => !(f === "ep" && !model.moe));
  return omitted.some((f) => f !== "dp") ? omitted : [];
}

/** What the scenario fixes, as the plan search's constraints, within its `constraints:` block. */
function givenConstraints(
  input: SimulationInput,
  omitted: ReadonlySet<LayoutField>,
  within: PlanConstraints | undefined,
): PlanConstraints {
  const p = input.parallelism;
  const c: PlanConstraints = { ...within, precision: [input.precision ?? DEFAULT_PRECISION] };
  for (const f of LAYOUT_FIELDS) {
    const v = p[f];
    if (!omitted.has(f) && typeof v === "number") c[f] = v;
  }
  if (input.microBatch != null) c.microBatch = input.microBatch;
  if (p.recompute != null) c.recompute = [p.recompute];
  if (p.zero != null) c.zero = [p.zero];
  if (p.sequenceParallel != null) c.sequenceParallel = [p.sequenceParallel];
  return c;
}

/**
 * `input` with its omitted layout sizes taken from the fastest plan that fits under the given fields
 * (and the scenario's `constraints:`), each stated in the assumptions. Under the default fill the
 * search's choice of the other unpublished fields (micro-batch, recomputation, ZeRO, sequence
 * parallelism) is taken too, so they are not chosen twice; under the rules fill the search keeps to
 * the rules' micro-batch 1 and ZeRO-1. Where no plan fits in memory (or the sizes count NeuronCores,
 * which this search does not take), the defaults stay and the assumptions say so; where no layout keeps
 * the given fields at all, the scenario is refused (InputError).
 */
export function withSearchedLayout(
  input: SimulationInput,
  omitted: readonly LayoutField[],
  options: SimulationOptions = {},
  scenarioConstraints?: SearchConstraints | null,
): SimulationInput {
  // With a constraints block, unpublished plan fields are chosen by the search too, so they keep to it.
  const knobsOpen =
    input.microBatch == null ||
    input.parallelism.recompute == null ||
    input.parallelism.zero == null ||
    input.parallelism.sequenceParallel == null;
  const rules = input.unpublishedFill === "rules";
  // Under the rules with every size given nothing is taken from a search: rulesWithinConstraints.ts
  // keeps the rules' choices to the constraints.
  if (omitted.length === 0 && !(scenarioConstraints && knobsOpen && !rules)) return input;
  const assumptions = [...(input.assumptions ?? [])];
  const shown = omitted.filter((f) => f !== "dp");
  const defaults = () => shown.map((f) => `${f} ${input.parallelism[f] ?? 1}`).join(", ");
  if (input.unit === "neuroncore") {
    assumptions.push(`${defaults()}: not given; the defaults (the search does not count NeuronCores)`);
    return { ...input, assumptions };
  }
  const { constraints: within, framework } = splitSearchConstraints(scenarioConstraints);
  const constraints = givenConstraints(input, new Set(omitted), within);
  if (rules) keepToRules(input, constraints, within);
  const stack = framework ?? input.software?.framework ?? undefined;
  const { plan: best, reason } = fastestPlanWithin(input, constraints, stack, options);
  if (!best) {
    // No layout at all keeps the given fields: refused, rather than simulated at defaults that break them.
    if (reason !== "memory")
      refuseNoLayout(input, { omitted, constraints, scenarioConstraints, stack }, options);
    if (shown.length > 0) {
      assumptions.push(
        `${defaults()}: not given; the defaults, because no plan fits with the given fields fixed`,
      );
    }
    return { ...input, assumptions };
  }
  const parallelism = { ...input.parallelism };
  for (const f of omitted) parallelism[f] = best[f];
  const chosen = omitted.map((f) => `${f} ${best[f]}`);
  const microBatch = rules ? input.microBatch : takeUnpublished(best, parallelism, input.microBatch, chosen);
  if (chosen.length === 0) return input;
  assumptions.push(
    `${chosen.join(", ")}: not given; the fastest plan that fits with the given fields fixed (the plan search)`,
  );
  return { ...input, parallelism, microBatch, assumptions };
}

/** The ZeRO stages the rules take (ZeRO-1 with data parallelism, none without). */
const RULED_ZERO = ["zero0", "zero1"] as const;

/**
 * Under the rules fill the layout search keeps to the rules' micro-batch 1 and ZeRO-1, where the
 * scenario's constraints allow them; where they do not, the constraints hold (rulesWithinConstraints.ts
 * then says what was taken instead).
 */
function keepToRules(input: SimulationInput, c: PlanConstraints, within: PlanConstraints | undefined): void {
  if (input.microBatch == null && (!within?.microBatch || choiceAllows(within.microBatch, 1)))
    c.microBatch = 1;
  if (input.parallelism.zero != null) return;
  const ruled = RULED_ZERO.filter((z) => !within?.zero || within.zero.includes(z));
  if (ruled.length > 0) c.zero = ruled;
}

/**
 * The plan fields a scenario gives, which leave no layout on its chips and batch (the plan search found
 * none that divides, memory aside), refused with what a layout needs.
 */
function noLayoutError(
  input: SimulationInput,
  omitted: readonly LayoutField[],
  constraints: SearchConstraints | null | undefined,
): InputError {
  const p = input.parallelism;
  // dp follows from the rest, and ep is 1 on a model without experts: neither says what was given.
  const named = LAYOUT_FIELDS.filter((f) => f !== "dp" && (f !== "ep" || input.model.moe));
  const given = named
    .filter((f) => !omitted.includes(f) && typeof p[f] === "number")
    .map((f) => `${f} ${p[f]}`);
  if (input.microBatch != null) given.push(`microBatch ${input.microBatch}`);
  if (p.recompute != null) given.push(`recompute ${p.recompute}`);
  if (p.zero != null) given.push(`zero ${p.zero}`);
  if (constraints) given.push("the constraints: block");
  return new InputError({
    field: "plan fields",
    value: given.join(", ") || "none",
    allowed: `fields that some layout keeps on ${input.chipCount} chips with global batch ${input.globalBatch} (tp x pp x cp x dp equal to the ranks, dp x microBatch dividing the global batch, within any constraints: block); the plan search found none with these fixed`,
  });
}

/**
 * Throws for a scenario whose given fields no layout keeps: where a stack held the search and a plan
 * exists without it, the stack is named (constraints.framework or software.framework, as simulate's
 * check names it); otherwise the fields.
 */
function refuseNoLayout(
  input: SimulationInput,
  search: {
    omitted: readonly LayoutField[];
    constraints: PlanConstraints;
    scenarioConstraints: SearchConstraints | null | undefined;
    stack: Framework | undefined;
  },
  options: SimulationOptions,
): never {
  const { stack, scenarioConstraints } = search;
  // Without the stack: neither named for the search nor read from the run's software (searchPlans keeps to it).
  const unstacked = { ...input, software: { ...input.software, framework: undefined } };
  const without = stack
    ? fastestPlanWithin(unstacked, search.constraints, undefined, options).plan
    : undefined;
  if (stack && without) {
    const named = scenarioConstraints?.framework !== undefined;
    checkPlanConstraints(without, { ...scenarioConstraints, framework: stack }, (field) =>
      field === "constraints.framework" && !named ? "software.framework" : field,
    );
  }
  throw noLayoutError(input, search.omitted, scenarioConstraints);
}

/** The fastest plan for the run that fits within `constraints` and what `stack` runs, or why there is none. */
export function fastestPlanWithin(
  input: SimulationInput,
  constraints: PlanConstraints,
  stack: Framework | undefined,
  options: SimulationOptions,
): { plan?: Parallelism; reason?: InfeasibleReason } {
  const result = searchPlans({
    model: input.model,
    chip: input.chip,
    seqLen: input.seqLen,
    software: input.software,
    attentionKernel: input.attentionKernel,
    gradientReduce: input.gradientReduce,
    chips: input.chipCount,
    globalBatch: input.globalBatch,
    constraints,
    framework: stack,
    top: 1,
    profiles: options.profiles,
  });
  const plan = result.plans[0]?.parallelism;
  return plan ? { plan } : { reason: result.infeasible?.reason };
}

/**
 * The search's choice of each plan field the scenario left null, written into `parallelism` and named
 * in `chosen`; returns the micro-batch.
 */
function takeUnpublished(
  best: Parallelism,
  parallelism: SimulationInput["parallelism"],
  given: number | null | undefined,
  chosen: string[],
): number {
  const microBatch = given ?? best.microBatch;
  if (given == null) chosen.push(`micro-batch ${microBatch}`);
  if (parallelism.recompute == null) {
    parallelism.recompute = best.recompute;
    chosen.push(`recompute ${best.recompute}`);
  }
  if (parallelism.zero == null) {
    parallelism.zero = best.zero;
    chosen.push(best.zero);
  }
  if (parallelism.sequenceParallel == null) {
    parallelism.sequenceParallel = best.sequenceParallel;
    chosen.push(`sequence parallelism ${best.sequenceParallel ? "on" : "off"}`);
  }
  return microBatch;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
