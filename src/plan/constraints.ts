import { z } from "zod";
import { InputError } from "../errors.js";
import { parseCount, parseRange } from "../util/units.js";
import { type Parallelism, PRECISIONS, RECOMPUTE_ALLOWED } from "./schema.js";
import { FrameworkSchema } from "./software.js";
import {
  PrecisionSpellingSchema,
  RecomputeSpellingSchema,
  SEQUENCE_PARALLEL_SPELLINGS,
  SequenceParallelSpellingSchema,
  ZERO_SPELLINGS,
  ZeroSpellingSchema,
} from "./spelling.js";

/**
 * What a user (or the stack that runs the plan) fixes or bounds before the search: `--tp 8`,
 * `--pp 1..4`, `--recompute none`. A dimension left out is searched in full. The search counts how many
 * plans each constraint removed. `sequenceParallel` speaks only of plans with tp > 1 (sequence
 * parallelism shards along the tensor-parallel group; a tp = 1 plan has none either way). The software
 * stack's own constraints (src/plan/stackCapabilities.ts) use the same vocabulary.
 */
const MAX_CHOICE = 1 << 20;
const positiveInt = z.number().int().positive().max(MAX_CHOICE);

/** What an integer dimension may be written as, for messages and help. */
export const INTEGER_CHOICE_FORMS = "N, A..B or N,M,...";
const INTEGER_CHOICE_SPELLINGS = `a whole number from 1 to ${MAX_CHOICE.toLocaleString("en-US")}, a list of them, { min, max }, or the text ${INTEGER_CHOICE_FORMS} (e.g. 8, 1..4, 1,2,4)`;

/** "8", "1..4" or "1,2,4" (as `--pp 1..4` takes it) as the choice it writes; throws InputError. */
function integerChoiceOfText(text: string): IntegerChoice {
  if (text.includes(",")) return text.split(",").map((part) => parseCount(part.trim(), { integer: true }));
  const range = parseRange(text, { integer: true });
  return range.min === range.max ? range.min : range;
}

/**
 * A fixed value, a list of allowed values, or an inclusive range; also written as the flags' text
 * ("8", "1..4", "1,2,4"), so a scenario's `pp: 1..4` reads as `--pp 1..4` does.
 */
export const IntegerChoiceSchema = z.preprocess(
  (v, ctx) => {
    if (typeof v !== "string") return v;
    try {
      return integerChoiceOfText(v);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      ctx.addIssue({ code: "custom", message: `${e.allowed}; ${INTEGER_CHOICE_SPELLINGS}`, input: v });
      return v;
    }
  },
  z.union(
    [
      positiveInt,
      z.array(positiveInt).min(1),
      z
        .strictObject({ min: positiveInt, max: positiveInt })
        .refine((r) => r.min <= r.max, { message: "a max not below min", path: ["max"] }),
    ],
    { error: INTEGER_CHOICE_SPELLINGS },
  ),
);
export type IntegerChoice = number | number[] | { min: number; max: number };

/**
 * The values allowed of a word dimension: a list, one value standing for a list of one (a scenario
 * writes `recompute: none` as its parallelism block does), or the flags' comma-separated text
 * ("none,selective"); always a list once parsed. Each value is read by its spelling.ts schema.
 */
function allowedValues<T extends z.ZodType>(value: T, spellings: string) {
  return z.preprocess(
    (v) => (typeof v === "string" && v.includes(",") ? v.split(",") : v),
    z
      .union([value, z.array(value).min(1)], {
        error: `${spellings}; several as a list or separated by commas`,
      })
      .transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]),
  );
}

export const PlanConstraintsSchema = z
  .object({
    tp: IntegerChoiceSchema,
    pp: IntegerChoiceSchema,
    vpp: IntegerChoiceSchema,
    dp: IntegerChoiceSchema,
    cp: IntegerChoiceSchema,
    ep: IntegerChoiceSchema,
    microBatch: IntegerChoiceSchema,
    recompute: allowedValues(RecomputeSpellingSchema, `one of ${RECOMPUTE_ALLOWED}`),
    zero: allowedValues(ZeroSpellingSchema, `one of ${ZERO_SPELLINGS}`),
    sequenceParallel: allowedValues(SequenceParallelSpellingSchema, SEQUENCE_PARALLEL_SPELLINGS),
    precision: allowedValues(PrecisionSpellingSchema, `one of ${PRECISIONS.join(", ")}`),
  })
  .partial()
  .strict();
export type PlanConstraints = z.infer<typeof PlanConstraintsSchema>;
export type ConstrainedDimension = keyof PlanConstraints;

/** Every dimension a constraint can hold, in the search's loop order. */
export const CONSTRAINED_DIMENSIONS = Object.keys(PlanConstraintsSchema.shape) as ConstrainedDimension[];
/** The dimensions whose constraint is an IntegerChoice. */
export const INTEGER_DIMENSIONS = [
  "tp",
  "pp",
  "vpp",
  "dp",
  "cp",
  "ep",
  "microBatch",
] as const satisfies readonly ConstrainedDimension[];
export type IntegerDimension = (typeof INTEGER_DIMENSIONS)[number];

/**
 * What a search keeps to, as a scenario's `constraints:` block and the web app state give it: the plan
 * constraints above and the stack that will run the plan (`--framework` on the command line), which
 * restricts the search to what that stack runs (stackCapabilities.ts).
 */
export const SearchConstraintsSchema = PlanConstraintsSchema.extend({
  framework: FrameworkSchema.optional(),
});
export type SearchConstraints = z.infer<typeof SearchConstraintsSchema>;

/** A search's constraints split into the plan constraints and the stack (each undefined when unsaid). */
export function splitSearchConstraints(c: SearchConstraints | null | undefined): {
  constraints: PlanConstraints | undefined;
  framework: SearchConstraints["framework"];
} {
  if (!c) return { constraints: undefined, framework: undefined };
  const { framework, ...rest } = c;
  const given = Object.entries(rest).filter(([, v]) => v !== undefined);
  return {
    constraints: given.length > 0 ? (Object.fromEntries(given) as PlanConstraints) : undefined,
    framework,
  };
}

/** Whether a choice allows a value. */
export function choiceAllows(c: IntegerChoice, v: number): boolean {
  if (typeof c === "number") return c === v;
  if (Array.isArray(c)) return c.includes(v);
  return v >= c.min && v <= c.max;
}

/** The first dimension of a plan outside the constraints, or null when the plan keeps to them all. */
export function brokenConstraint(plan: Parallelism, c: PlanConstraints): ConstrainedDimension | null {
  for (const d of INTEGER_DIMENSIONS) {
    const choice = c[d];
    if (choice !== undefined && !choiceAllows(choice, plan[d])) return d;
  }
  if (c.recompute && !c.recompute.includes(plan.recompute)) return "recompute";
  if (c.zero && !c.zero.includes(plan.zero)) return "zero";
  // Sequence parallelism shards along tp: a tp 1 plan keeps to either answer.
  if (c.sequenceParallel && plan.tp > 1 && !c.sequenceParallel.includes(plan.sequenceParallel))
    return "sequenceParallel";
  if (c.precision && !c.precision.includes(plan.precision)) return "precision";
  return null;
}
