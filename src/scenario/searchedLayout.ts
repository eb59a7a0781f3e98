/**
 * A scenario that leaves layout sizes out (tp, pp, cp, ep, vpp, dp) gets the fastest layout that fits
 * with every field it does give held fixed, found by the plan search, and each filled size is stated.
 * The scenario's `constraints:` block, where it has one, holds this search as it holds plan's.
 * Without this the schema's defaults (tp 1, pp 1, ...) would be simulated as if the user had asked for
 * them, and a model too large for one chip would come back "not fitting" with no better plan named.
 */
import type { SimulationInput, SimulationOptions } from "../engine/simulate.js";
import { type PlanConstraints, type SearchConstraints, splitSearchConstraints } from "../plan/constraints.js";
import { searchPlans } from "../search/searchPlans.js";

export const LAYOUT_FIELDS = ["tp", "pp", "cp", "ep", "vpp", "dp"] as const;
export type LayoutField = (typeof LAYOUT_FIELDS)[number];

/** The layout sizes a scenario's `parallelism` leaves out or null (the schema would default them). */
export function omittedLayoutFields(raw: unknown): LayoutField[] {
  const parallelism = isRecord(raw) && isRecord(raw.parallelism) ? raw.parallelism : {};
  return LAYOUT_FIELDS.filter((f) => parallelism[f] === undefined || parallelism[f] === null);
}

/** What the scenario fixes, as the plan search's constraints, within its `constraints:` block. */
function givenConstraints(
  input: SimulationInput,
  omitted: ReadonlySet<LayoutField>,
  within: PlanConstraints | undefined,
): PlanConstraints {
  const p = input.parallelism;
  const c: PlanConstraints = { ...within, precision: [input.precision ?? "bf16"] };
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
 * `input` with its omitted layout sizes taken from the fastest plan that fits under the given fields,
 * each stated in the assumptions; where no plan fits (or the sizes count NeuronCores, which this search
 * does not take), the defaults stay and the assumptions say so.
 */
export function withSearchedLayout(
  input: SimulationInput,
  omitted: readonly LayoutField[],
  options: SimulationOptions = {},
  scenarioConstraints?: SearchConstraints | null,
): SimulationInput {
  // dp alone left out is derived from the chips (derivedDp.ts), as it always was, and a model without
  // experts has ep 1: nothing to search for either.
  const dense = !input.model.moe;
  const searched = omitted.filter((f) => f !== "dp" && !(f === "ep" && dense));
  if (searched.length === 0) return input;
  const assumptions = [...(input.assumptions ?? [])];
  const defaults = () => searched.map((f) => `${f} ${input.parallelism[f] ?? 1}`).join(", ");
  if (input.unit === "neuroncore") {
    assumptions.push(`${defaults()}: not given; the defaults (the search does not count NeuronCores)`);
    return { ...input, assumptions };
  }
  const { constraints: within, framework } = splitSearchConstraints(scenarioConstraints);
  const result = searchPlans({
    model: input.model,
    chip: input.chip,
    seqLen: input.seqLen,
    software: input.software,
    attentionKernel: input.attentionKernel,
    gradientReduce: input.gradientReduce,
    chips: input.chipCount,
    globalBatch: input.globalBatch,
    constraints: givenConstraints(input, new Set(omitted), within),
    framework,
    top: 1,
    profiles: options.profiles,
  });
  const best = result.plans[0];
  if (!best) {
    assumptions.push(
      `${defaults()}: not given; the defaults, because no plan fits with the given fields fixed`,
    );
    return { ...input, assumptions };
  }
  const parallelism = { ...input.parallelism };
  for (const f of omitted) parallelism[f] = best.parallelism[f];
  const filled = omitted
    .filter((f) => !(f === "ep" && dense))
    .map((f) => `${f} ${best.parallelism[f]}`)
    .join(", ");
  assumptions.push(
    `${filled}: not given; the fastest layout that fits with the given fields fixed (the plan search)`,
  );
  return { ...input, parallelism, assumptions };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
