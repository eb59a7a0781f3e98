import { InputError, inputErrorFromZod } from "../errors.js";
import { parseCount, parseRange } from "../util/units.js";
import {
  type ConstrainedDimension,
  INTEGER_DIMENSIONS,
  type IntegerChoice,
  type IntegerDimension,
  type PlanConstraints,
  PlanConstraintsSchema,
} from "./constraints.js";
import { isRecompute, RECOMPUTE_ALLOWED, type Recompute, ZERO_STAGES } from "./schema.js";

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
  tp: "N, A..B or N,M,...",
  pp: "N, A..B or N,M,...",
  vpp: "N, A..B or N,M,...",
  dp: "N, A..B or N,M,...",
  cp: "N, A..B or N,M,...",
  ep: "N, A..B or N,M,...",
  microBatch: "N, A..B or N,M,...",
  recompute: `comma-separated: ${RECOMPUTE_ALLOWED}`,
  zero: "0-3 or zero0..zero3, comma-separated",
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

/** "8", "1..4" or "1,2,4". */
function integerChoice(text: string, field: string): IntegerChoice {
  if (text.includes(",")) {
    return text.split(",").map((part) => parseCount(part.trim(), { field, integer: true }));
  }
  const range = parseRange(text, { field, integer: true });
  return range.min === range.max ? range.min : range;
}

/** A comma-separated list of words, each one of `allowed` (after `normalize`). */
function wordList<T extends string>(
  text: string,
  field: string,
  allowed: readonly T[],
  normalize: (word: string) => string = (w) => w,
): T[] {
  return text.split(",").map((raw) => {
    const word = normalize(raw.trim().toLowerCase());
    if (!(allowed as readonly string[]).includes(word)) {
      throw new InputError({ field, value: raw.trim(), allowed: `one or more of ${allowed.join(", ")}` });
    }
    return word as T;
  });
}

/** Recomputations: the fixed words or a layer form with its count ("full-block-4"). */
function recomputeList(text: string, field: string): Recompute[] {
  return text.split(",").map((raw) => {
    const word = raw.trim().toLowerCase();
    if (!isRecompute(word))
      throw new InputError({ field, value: raw.trim(), allowed: `one or more of ${RECOMPUTE_ALLOWED}` });
    return word;
  });
}

const ON_OFF: Record<string, boolean> = { on: true, true: true, off: false, false: false };

function onOffList(text: string, field: string): boolean[] {
  return text.split(",").map((raw) => {
    const v = ON_OFF[raw.trim().toLowerCase()];
    if (v === undefined)
      throw new InputError({ field, value: raw, allowed: "on or off (or on,off for both)" });
    return v;
  });
}

function isIntegerDimension(d: TextDimension): d is IntegerDimension {
  return (INTEGER_DIMENSIONS as readonly string[]).includes(d);
}

/**
 * The constraints the texts give (undefined when every text is blank); `fieldOf` names a dimension in
 * messages ("--micro-batch" on the command line). Throws InputError.
 */
export function parseConstraintTexts(
  texts: ConstraintTexts,
  fieldOf: (d: TextDimension) => string = (d) => d,
): PlanConstraints | undefined {
  const raw: Record<string, unknown> = {};
  for (const d of TEXT_DIMENSIONS) {
    const text = texts[d]?.trim();
    if (text === undefined || text === "") continue;
    const field = fieldOf(d);
    if (isIntegerDimension(d)) raw[d] = integerChoice(text, field);
    else if (d === "recompute") raw[d] = recomputeList(text, field);
    else if (d === "zero")
      raw[d] = wordList(text, field, ZERO_STAGES, (w) => (/^[0-3]$/.test(w) ? `zero${w}` : w));
    else raw[d] = onOffList(text, field);
  }
  if (Object.keys(raw).length === 0) return undefined;
  const parsed = PlanConstraintsSchema.safeParse(raw);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, raw, "constraints");
  return parsed.data;
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
