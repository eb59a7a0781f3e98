import { InputError, inputErrorFromZod } from "../errors.js";
import {
  type ConstrainedDimension,
  INTEGER_CHOICE_FORMS,
  INTEGER_DIMENSIONS,
  type PlanConstraints,
  PlanConstraintsSchema,
} from "./constraints.js";
import { RECOMPUTE_ALLOWED } from "./schema.js";
import { ZERO_SPELLINGS } from "./spelling.js";

/**
 * The constraints as people type them, on the command line (`--tp 8 --pp 1..4 --zero 1`) and in the
 * web app's fields: one text per dimension, read into the vocabulary of constraints.ts and checked by
 * its schema, and written back the same way (the web app's URL). Precision is not among them: both
 * faces already choose it with their own precision setting (bf16, fp8 or auto).
 */
export const TEXT_DIMENSIONS = [
  ...INTEGER_DIMENSIONS,
  "recompute",
  "zero",
  "sequenceParallel",
] as const satisfies readonly ConstrainedDimension[];
export type TextDimension = (typeof TEXT_DIMENSIONS)[number];
export type ConstraintTexts = Partial<Record<TextDimension, string>>;

/** What each text takes, for help and placeholders. */
export const CONSTRAINT_TEXT_FORMS: Record<TextDimension, string> = {
  tp: INTEGER_CHOICE_FORMS,
  pp: INTEGER_CHOICE_FORMS,
  vpp: INTEGER_CHOICE_FORMS,
  dp: INTEGER_CHOICE_FORMS,
  cp: INTEGER_CHOICE_FORMS,
  ep: INTEGER_CHOICE_FORMS,
  microBatch: INTEGER_CHOICE_FORMS,
  recompute: `comma-separated: ${RECOMPUTE_ALLOWED}`,
  zero: `${ZERO_SPELLINGS}, comma-separated`,
  sequenceParallel: "on, off or on,off",
};

/** The command-line flag that sets each dimension: its name in kebab case. */
const FLAG_NAMES: Record<TextDimension, string> = {
  tp: "tp",
  pp: "pp",
  vpp: "vpp",
  dp: "dp",
  cp: "cp",
  ep: "ep",
  microBatch: "micro-batch",
  recompute: "recompute",
  zero: "zero",
  sequenceParallel: "sequence-parallel",
};

/** The flag that sets a dimension, as messages and hints name it ("--micro-batch"). */
export function constraintFlag(d: TextDimension): string {
  return `--${FLAG_NAMES[d]}`;
}

/**
 * The constraints the texts give (undefined when every text is blank); `fieldOf` names a dimension in
 * messages ("--micro-batch" on the command line). Each text is read by its dimension's schema
 * (constraints.ts), the one reader of every spelling. Throws InputError.
 */
export function parseConstraintTexts(
  texts: ConstraintTexts,
  fieldOf: (d: TextDimension) => string = (d) => d,
): PlanConstraints | undefined {
  const out: Record<string, unknown> = {};
  for (const d of TEXT_DIMENSIONS) {
    const text = texts[d]?.trim();
    if (text === undefined || text === "") continue;
    const parsed = PlanConstraintsSchema.shape[d].safeParse(text);
    if (!parsed.success) {
      // The flag names the field; the message names the one bad item of a list.
      const e = inputErrorFromZod(parsed.error, text, fieldOf(d));
      throw new InputError({ field: fieldOf(d), value: e.value, allowed: e.allowed });
    }
    out[d] = parsed.data;
  }
  return Object.keys(out).length > 0 ? (out as PlanConstraints) : undefined;
}

/** One constraint as its text ("1..4", "none,selective", "on"), the inverse of parseConstraintTexts. */
export function constraintText(value: PlanConstraints[ConstrainedDimension]): string {
  if (value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (!Array.isArray(value)) return `${value.min}..${value.max}`;
  return (value as unknown[]).map((v) => (typeof v === "boolean" ? (v ? "on" : "off") : String(v))).join(",");
}

/** The constraints as texts, one per dimension given (only the text dimensions). */
export function constraintTexts(c: PlanConstraints | undefined): ConstraintTexts {
  const out: ConstraintTexts = {};
  for (const d of TEXT_DIMENSIONS) if (c?.[d] !== undefined) out[d] = constraintText(c[d]);
  return out;
}
