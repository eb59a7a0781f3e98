/**
 * User-facing input errors. Every bad input becomes one InputError whose message is a single
 * paragraph naming the field, the value found and what is allowed, so the CLI can print it
 * without a stack trace and the web UI can show it next to the field.
 */

import { levenshtein, nearest } from "./util/nearest.js";
import { knownKeysAt } from "./util/schema.js";

export interface InputErrorFields {
  /** Dotted path of the offending field, e.g. "parallelism.tp", or a file name for parse errors. */
  field: string;
  value: unknown;
  /** What would have been accepted, in words ("a positive integer", "one of bf16, fp8"). */
  allowed: string;
  /** Nearest valid spellings, best first. */
  suggestion?: string[];
}

export class InputError extends Error {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  readonly suggestion?: string[];

  constructor(fields: InputErrorFields) {
    super(inputErrorMessage(fields));
    this.name = "InputError";
    this.field = fields.field;
    this.value = fields.value;
    this.allowed = fields.allowed;
    if (fields.suggestion && fields.suggestion.length > 0) this.suggestion = fields.suggestion;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** `Invalid <field>: got <value>. <allowed>. Did you mean <a>, <b>?` */
export function inputErrorMessage({ field, value, allowed, suggestion }: InputErrorFields): string {
  let msg = `Invalid ${field}: got ${describeValue(value)}. ${capitalize(stripDot(allowed))}.`;
  if (suggestion && suggestion.length > 0) msg += ` Did you mean ${suggestion.join(", ")}?`;
  return msg;
}

/** A short, single-line rendering of any value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(truncate(value, 80));
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (typeof value === "object") {
    try {
      return truncate(JSON.stringify(value), 80);
    } catch {
      return "an object";
    }
  }
  return typeof value;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
function stripDot(s: string): string {
  return s.replace(/\.\s*$/, "");
}
function capitalize(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}

// ---------------------------------------------------------------------------------------------
// zod v4 -> InputError

/** The subset of a zod v4 issue that we read; kept structural so no zod internals leak in. */
export interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  received?: string;
  values?: unknown[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  format?: string;
  keys?: string[];
  errors?: ZodIssueLike[][];
  divisor?: number;
}

/** Joins a zod path as "parallelism.tp" or "cases[3].model.layers". */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out.length > 0 ? `.${String(p)}` : String(p);
  }
  return out.length > 0 ? out : "input";
}

/**
 * Reads the value at a zod path inside the raw input (zod issues do not carry it by default). A list
 * written as comma-separated text (`zero: 0,zero3`, `--zero 0,3`: src/plan/constraints.ts reads it item
 * by item) is indexed by its items, so an issue at [1] names the second item.
 */
export function valueAtPath(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const p of path) {
    if (typeof cur === "string" && typeof p === "number") cur = cur.split(",")[p]?.trim();
    else if (cur === null || typeof cur !== "object") return undefined;
    else cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

const TYPE_WORDS: Record<string, string> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};

/** What a single zod issue allows, in words. */
export function describeAllowed(issue: ZodIssueLike): string {
  switch (issue.code) {
    case "invalid_type":
      return TYPE_WORDS[issue.expected ?? ""] ?? `a value of type ${issue.expected}`;
    case "invalid_value":
      return `one of ${(issue.values ?? []).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}`;
    case "too_small":
      return describeBound(issue, "small");
    case "too_big":
      return describeBound(issue, "big");
    case "not_multiple_of":
      return `a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `no unknown keys (remove ${(issue.keys ?? []).join(", ")})`;
    case "invalid_union":
      // A union that says in its own words what it takes (its `error`) is worded by it.
      return issue.message && issue.message !== ZOD_UNION_MESSAGE ? issue.message : describeUnion(issue);
    case "invalid_format":
      return `a valid ${issue.format ?? "value"}`;
    default:
      return issue.message;
  }
}

/** zod's own message for a union that failed, which says nothing of what it takes. */
const ZOD_UNION_MESSAGE = "Invalid input";

/** zod v4 origins of numeric bounds: "int" is z.number().int() (its safe-integer range check). */
const NUMERIC_ORIGINS = new Set(["number", "int", "bigint"]);

function describeBound(issue: ZodIssueLike, side: "small" | "big"): string {
  const bound = Number(side === "small" ? issue.minimum : issue.maximum);
  const incl = issue.inclusive !== false;
  if (NUMERIC_ORIGINS.has(issue.origin ?? "")) {
    const kind = issue.origin === "int" ? "a whole number" : "a number";
    if (side === "small" && bound === 0) return incl ? `${kind} >= 0` : `a positive ${kind.slice(2)} (> 0)`;
    const shown = Math.abs(bound) >= 1e6 ? bound.toLocaleString("en-US") : String(bound);
    return `${kind} ${side === "small" ? (incl ? ">=" : ">") : incl ? "<=" : "<"} ${shown}`;
  }
  const unit = issue.origin === "string" ? "characters" : "items";
  if (issue.origin === "string" && side === "small" && bound === 1) return "a non-empty string";
  return `${issue.origin === "string" ? "a string" : "a list"} with ${side === "small" ? "at least" : "at most"} ${bound} ${unit}`;
}

/** A union fails as a whole; say what each branch wanted, e.g. "a string or an object". */
function describeUnion(issue: ZodIssueLike): string {
  const branches = (issue.errors ?? []).map((branch) => {
    const top = branch.find((b) => b.path.length === 0);
    return top ? describeAllowed(top) : "an object of the documented shape";
  });
  return [...new Set(branches)].join(" or ") || "a valid value";
}

/**
 * Picks the issue to report for a union that failed: when the value is an object, the branch
 * that failed deepest (the object branch) tells the user the real problem, e.g. model.layers.
 */
function deepestUnionIssue(issue: ZodIssueLike, raw: unknown, base: PropertyKey[]): ZodIssueLike | undefined {
  const v = valueAtPath(raw, base);
  const commaList = typeof v === "string" && v.includes(",");
  if (!commaList && (v === null || typeof v !== "object")) return undefined;
  const nested = (issue.errors ?? []).flat().filter((b) => b.path.length > 0);
  if (nested.length === 0) return undefined;
  const first = nested[0];
  return { ...first, path: [...base, ...first.path] };
}

/** Anything with zod's `.issues` array. */
export interface ZodErrorLike {
  issues: ZodIssueLike[];
}

/**
 * Converts the first issue of a zod error into an InputError. `raw` is the input that was
 * parsed (to report the value found); `prefix` is prepended to the field path. `schema`, the schema
 * that refused it, lets an unknown key name the known ones and the closest of them.
 */
export function inputErrorFromZod(
  error: ZodErrorLike,
  raw: unknown,
  prefix = "",
  schema?: unknown,
): InputError {
  let issue = error.issues[0];
  if (!issue) return new InputError({ field: prefix || "input", value: raw, allowed: "a valid input" });
  if (issue.code === "unrecognized_keys") return unknownKeyError(issue, prefix, schema);
  if (issue.code === "invalid_union") issue = deepestUnionIssue(issue, raw, issue.path) ?? issue;
  const missing = issue.code === "invalid_type" && valueAtPath(raw, issue.path) === undefined;
  const allowed = describeAllowed(issue);
  return new InputError({
    field: formatPath(issue.path, prefix),
    value: valueAtPath(raw, issue.path),
    allowed: missing ? `This field is required: ${allowed}` : allowed,
  });
}

/**
 * A key the schema does not know is refused, never dropped: a misspelled `precison` would otherwise
 * leave the default precision in force without a word.
 */
function unknownKeyError(issue: ZodIssueLike, prefix: string, schema: unknown): InputError {
  const key = issue.keys?.[0] ?? "";
  const known = schema === undefined ? [] : knownKeysAt(schema, issue.path);
  const where = issue.path.length > 0 ? formatPath(issue.path, prefix) : prefix;
  return new InputError({
    field: where ? `${where} key` : "key",
    value: key,
    allowed:
      known.length > 0
        ? `a known field (${known.join(", ")}); an unknown field is refused rather than ignored`
        : "a known field; an unknown field is refused rather than ignored",
    suggestion: suggest(key, known),
  });
}

/** Same as inputErrorFromZod but for every issue (used to list all problems in a file). */
export function inputErrorsFromZod(
  error: ZodErrorLike,
  raw: unknown,
  prefix = "",
  schema?: unknown,
): InputError[] {
  return error.issues.map((issue) => inputErrorFromZod({ issues: [issue] }, raw, prefix, schema));
}

/** Longest input a "did you mean" is computed for: every catalog name and field is far shorter. */
export const MAX_SUGGEST_LENGTH = 64;

/**
 * "Did you mean" candidates: names containing the input (or contained in it: "h100" ->
 * "h100-sxm") first, then spellings within max(2, 40% of the input's length) edits (util/nearest)
 * that keep at least one of its characters (one fewer beside a name holding the input). Nothing when no name is that close: a far-off guess
 * ("nope" -> "tpu-v5p") misleads more than it helps.
 */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  // The edit distance costs the product of the lengths: a megabyte "name" is no misspelling.
  if (input.length > MAX_SUGGEST_LENGTH) return [];
  const needle = input.toLowerCase();
  const ranked = nearest(input, candidates, candidates.length);
  const limit = Math.min(needle.length - 1, Math.max(2, Math.floor(needle.length * 0.4)));
  const contains = ranked.filter((c) => {
    const hay = c.toLowerCase();
    return needle.length >= 2 && (hay.includes(needle) || needle.includes(hay));
  });
  // A name holding the input is the likelier intent; then only nearer misspellings join it ("h100"
  // -> h100-sxm, not also b200).
  const within = contains.length > 0 ? limit - 1 : limit;
  const close = ranked.filter((c) => !contains.includes(c) && levenshtein(needle, c.toLowerCase()) <= within);
  return [...contains, ...close].slice(0, max);
}
