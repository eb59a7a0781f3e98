/**
 * `--fill-unpublished rules` fills the plan fields a scenario leaves null by fixed rules (micro-batch 1,
 * ZeRO-1, the stack's sequence parallelism, the lightest recomputation that fits: engine/resolvePlan.ts).
 * Where the scenario's `constraints:` block excludes a rule's choice, the constraint holds: that field
 * is the fastest value it allows with the rest of the plan as the rules fill it (the plan search), and
 * the assumptions say what the rules chose and what was taken instead. A field the scenario gives is
 * not changed: a given plan that breaks its constraints is refused (checks.ts, checkPlanConstraints).
 */

import { type SimulationInput, type SimulationOptions, simulate } from "../engine/simulate.js";
import { InputError } from "../errors.js";
import {
  brokenConstraint,
  type PlanConstraints,
  type SearchConstraints,
  splitSearchConstraints,
} from "../plan/constraints.js";
import { constraintText } from "../plan/constraintText.js";
import { DEFAULT_PRECISION, type Parallelism } from "../plan/schema.js";
import { planConstraintsInStackWords } from "./checks.js";
import { fastestPlanWithin } from "./searchedLayout.js";

/** The plan fields the rules fill where a scenario leaves them null. */
const RULE_FIELDS = ["microBatch", "recompute", "zero", "sequenceParallel"] as const;
type RuleField = (typeof RULE_FIELDS)[number];

function isRuleField(d: string): d is RuleField {
  return (RULE_FIELDS as readonly string[]).includes(d);
}

function leftToRules(input: SimulationInput, field: RuleField): boolean {
  return field === "microBatch" ? input.microBatch == null : input.parallelism[field] == null;
}

/** A field's value as a plan label says it. */
function valueText(plan: Parallelism, field: RuleField): string {
  const v = plan[field];
  if (typeof v === "boolean") return v ? "on" : "off";
  return String(v);
}

/**
 * `input` with each rule-filled field whose choice the constraints exclude set to the fastest value
 * they allow, stated; unchanged under the search fill or without constraints. Throws InputError when
 * no value the constraint allows fits with the rest of the plan.
 */
export function withRulesWithinConstraints(
  input: SimulationInput,
  scenarioConstraints: SearchConstraints | null | undefined,
  options: SimulationOptions = {},
): SimulationInput {
  if (input.unpublishedFill !== "rules") return input;
  const c = planConstraintsInStackWords(scenarioConstraints, input.software?.framework);
  if (!c) return input;
  const { framework } = splitSearchConstraints(scenarioConstraints);
  let current = input;
  // Each pass fixes one field, so the rules are asked again at most once per field.
  for (let pass = 0; pass < RULE_FIELDS.length; pass++) {
    const ruled = simulate(current, options).parallelism;
    const broken = brokenConstraint(ruled, c);
    if (broken === null || !isRuleField(broken) || !leftToRules(current, broken)) return current;
    current = withinConstraint(current, ruled, broken, c, { framework, options, given: scenarioConstraints });
  }
  return current;
}

/** `input` with `field` set to the fastest value `c` allows, the rest of the rules' plan held. */
function withinConstraint(
  input: SimulationInput,
  ruled: Parallelism,
  field: RuleField,
  c: PlanConstraints,
  ctx: {
    framework: SearchConstraints["framework"];
    options: SimulationOptions;
    given: SearchConstraints | null | undefined;
  },
): SimulationInput {
  // The recomputation the rules choose is the lightest that fits, which depends on the field: left to
  // the search here, and to the rules again once the field is set.
  const recomputeFree = field !== "recompute" && input.parallelism.recompute == null;
  const held: PlanConstraints = {
    tp: ruled.tp,
    pp: ruled.pp,
    vpp: ruled.vpp,
    dp: ruled.dp,
    cp: ruled.cp,
    ep: ruled.ep,
    microBatch: ruled.microBatch,
    recompute: recomputeFree ? c.recompute : [ruled.recompute],
    zero: [ruled.zero],
    sequenceParallel: [ruled.sequenceParallel],
    precision: [input.precision ?? DEFAULT_PRECISION],
    [field]: c[field],
  };
  const stack = ctx.framework ?? input.software?.framework ?? undefined;
  const { plan: best } = fastestPlanWithin(input, held, stack, ctx.options);
  const allowed = constraintText(ctx.given?.[field]);
  if (!best) {
    throw new InputError({
      field: `constraints.${field}`,
      value: allowed,
      allowed: `constraints some plan keeps (--fill-unpublished rules chose ${field} ${valueText(ruled, field)}; with the rest of their plan held, no ${field} the constraint allows divides the batch and fits in memory): give ${field} in the scenario, widen the constraint, or fill with --fill-unpublished search`,
    });
  }
  const note = `${field} ${valueText(best, field)}: the rules' ${valueText(ruled, field)} is outside constraints.${field} (${allowed}); the fastest value within it that fits, the rest of the plan as the rules fill it (the plan search)`;
  const assumptions = [...(input.assumptions ?? []), note];
  if (field === "microBatch") return { ...input, microBatch: best.microBatch, assumptions };
  return { ...input, parallelism: { ...input.parallelism, [field]: best[field] }, assumptions };
}
