import { InputError, suggest } from "../errors.js";
import type { PlanConstraints } from "../plan/constraints.js";
import {
  CONSTRAINT_TEXT_FORMS,
  type ConstraintTexts,
  constraintFlag,
  parseConstraintTexts,
  TEXT_DIMENSIONS,
} from "../plan/constraintText.js";
import { RECOMPUTE_ALLOWED, ZERO_STAGES } from "../plan/schema.js";
import { FRAMEWORKS, type Framework } from "../plan/software.js";

/**
 * The flags that fix or bound the plan search (`--tp 8`, `--pp 1..4`, `--zero 1`) and name the stack
 * that will run it (`--framework torchtitan`), shared by plan and compare. They are read into the
 * vocabulary of src/plan/constraints.ts and checked by its schema, the one source.
 */
export const constraintOptions = {
  tp: { type: "string" },
  pp: { type: "string" },
  vpp: { type: "string" },
  dp: { type: "string" },
  cp: { type: "string" },
  ep: { type: "string" },
  "micro-batch": { type: "string" },
  recompute: { type: "string" },
  zero: { type: "string" },
  "sequence-parallel": { type: "string" },
  framework: { type: "string" },
} as const;

export const constraintUsage = `  --tp, --pp, --vpp, --dp, --cp, --ep, --micro-batch N|A..B|N,M,...
                             fix or bound a dimension of the search (e.g. --tp 8 --pp 1..4)
  --recompute LIST           recomputation modes to try (comma-separated): ${RECOMPUTE_ALLOWED}
  --zero LIST                ZeRO stages to try: 0-3 or ${ZERO_STAGES.join(", ")} (comma-separated)
  --sequence-parallel on|off with tensor parallelism, sequence parallelism always (on) or never (off)
  --framework NAME           the stack that runs the plan (${FRAMEWORKS.join(", ")}): the search keeps
                             to what it runs; on Trainium the default is neuronx-distributed`;

/** The constraints the flags give (undefined when none is given). */
export function parseConstraintFlags(values: Record<string, unknown>): PlanConstraints | undefined {
  const texts: ConstraintTexts = {};
  for (const d of TEXT_DIMENSIONS) {
    const text = values[constraintFlag(d).slice(2)];
    if (typeof text !== "string") continue;
    // A flag given with nothing after it is a mistake, not "no constraint" (the web's empty field).
    if (text.trim() === "")
      throw new InputError({ field: constraintFlag(d), value: text, allowed: CONSTRAINT_TEXT_FORMS[d] });
    texts[d] = text;
  }
  return parseConstraintTexts(texts, constraintFlag);
}

/** --framework, checked against the vocabulary. */
export function parseFrameworkFlag(value: unknown): Framework | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (FRAMEWORKS as readonly string[]).includes(value))
    return value as Framework;
  throw new InputError({
    field: "--framework",
    value,
    allowed: `one of ${FRAMEWORKS.join(", ")}`,
    suggestion: typeof value === "string" ? suggest(value, FRAMEWORKS) : undefined,
  });
}
