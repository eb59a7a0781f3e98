import { InputError, inputErrorFromZod, suggest } from "../errors.js";
import { type IntegerChoice, type PlanConstraints, PlanConstraintsSchema } from "../plan/constraints.js";
import { isRecompute, RECOMPUTE_ALLOWED, type Recompute, ZERO_STAGES } from "../plan/schema.js";
import { FRAMEWORKS, type Framework } from "../plan/software.js";
import { parseCount, parseRange } from "../util/units.js";

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

const INTEGER_FLAGS = [
  ["tp", "tp"],
  ["pp", "pp"],
  ["vpp", "vpp"],
  ["dp", "dp"],
  ["cp", "cp"],
  ["ep", "ep"],
  ["micro-batch", "microBatch"],
] as const;

/** "8", "1..4" or "1,2,4". */
function integerChoice(text: string, flag: string): IntegerChoice {
  const field = `--${flag}`;
  if (text.includes(",")) {
    return text.split(",").map((part) => parseCount(part.trim(), { field, integer: true }));
  }
  const range = parseRange(text, { field, integer: true });
  return range.min === range.max ? range.min : range;
}

/** A comma-separated list of words, each one of `allowed` (after `normalize`). */
function wordList<T extends string>(
  text: string,
  flag: string,
  allowed: readonly T[],
  normalize: (word: string) => string = (w) => w,
): T[] {
  return text.split(",").map((raw) => {
    const word = normalize(raw.trim().toLowerCase());
    if (!(allowed as readonly string[]).includes(word)) {
      throw new InputError({
        field: `--${flag}`,
        value: raw.trim(),
        allowed: `one or more of ${allowed.join(", ")}`,
      });
    }
    return word as T;
  });
}

/** --recompute: words of the recompute vocabulary, fixed or a layer form with its count. */
function recomputeList(text: string): Recompute[] {
  return text.split(",").map((raw) => {
    const word = raw.trim().toLowerCase();
    if (!isRecompute(word)) {
      throw new InputError({
        field: "--recompute",
        value: raw.trim(),
        allowed: `one or more of ${RECOMPUTE_ALLOWED}`,
      });
    }
    return word;
  });
}

const ON_OFF: Record<string, boolean> = { on: true, true: true, off: false, false: false };

function sequenceParallel(text: string): boolean[] {
  return text.split(",").map((raw) => {
    const v = ON_OFF[raw.trim().toLowerCase()];
    if (v === undefined) {
      throw new InputError({
        field: "--sequence-parallel",
        value: raw,
        allowed: "on or off (or on,off for both)",
      });
    }
    return v;
  });
}

/** The constraints the flags give (undefined when none is given). */
export function parseConstraintFlags(values: Record<string, unknown>): PlanConstraints | undefined {
  const raw: PlanConstraints = {};
  for (const [flag, key] of INTEGER_FLAGS) {
    const text = values[flag];
    if (typeof text === "string") raw[key] = integerChoice(text, flag);
  }
  if (typeof values.recompute === "string") raw.recompute = recomputeList(values.recompute);
  if (typeof values.zero === "string") {
    raw.zero = wordList(values.zero, "zero", ZERO_STAGES, (w) => (/^[0-3]$/.test(w) ? `zero${w}` : w));
  }
  if (typeof values["sequence-parallel"] === "string") {
    raw.sequenceParallel = sequenceParallel(values["sequence-parallel"]);
  }
  if (Object.keys(raw).length === 0) return undefined;
  const parsed = PlanConstraintsSchema.safeParse(raw);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, raw, "constraints");
  return parsed.data;
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
