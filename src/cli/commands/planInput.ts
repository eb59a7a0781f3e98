import { InputError } from "../../errors.js";
import type { ProfileFile } from "../../hardware/profile.js";
import type { Chip } from "../../hardware/schema.js";
import type { PlanConstraints } from "../../plan/constraints.js";
import { MAX_CHIPS, MAX_GLOBAL_BATCH, MAX_SEQ_LEN, MAX_TOP } from "../../plan/limits.js";
import { defaultSeqLen, RUN_DEFAULTS, workloadDefaults } from "../../plan/runDefaults.js";
import {
  DEFAULT_GRADIENT_REDUCE,
  GRADIENT_REDUCTIONS,
  type GradientReduce,
  type Precision,
} from "../../plan/schema.js";
import type { Framework, Software } from "../../plan/software.js";
import { checkOffload } from "../../scenario/checks.js";
import { type SearchScenario, searchPrecision } from "../../scenario/searchScenario.js";
import { sweepSizes } from "../../search/sweep.js";
import { parseCount, parseRange } from "../../util/units.js";
import type { Model } from "../../workload/schema.js";
import type { ParsedArgs } from "../args.js";
import { parseConstraintFlags, parseFrameworkFlag } from "../constraintFlags.js";
import {
  parseBoundedCount,
  parseChipList,
  parsePrecision,
  readProfiles,
  resolveModelArg,
} from "../inputs.js";
import { replacedNote, withFlagConstraints } from "../searchScenarioFile.js";

// The flags of `trainplan plan` read into what its searches need, every default applied once here.

/** How a sweep's sizes are ranked: by total tokens/s, or by tokens/s per chip. */
const OBJECTIVES = ["throughput", "cost"] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** What the flags ask for, every default applied: the sizes to search and what each search shares. */
export interface PlanInput {
  /** The model as the user named it (a preset id or a file), echoed in the output. */
  name: string;
  model: Model;
  chip: Chip;
  sizes: number[];
  seq: number;
  /** In sequences. */
  globalBatch: number;
  /** What was assumed: a model file's counts and guesses, the default global batch; printed after the result. */
  notes: string[];
  precision: "bf16" | "fp8" | "auto";
  gradientReduce: GradientReduce;
  objective: Objective;
  top: number;
  profiles: ProfileFile | undefined;
  /** The stack's knobs a --scenario file gives (its physics); undefined without one. */
  software: Software | undefined;
  constraints: PlanConstraints | undefined;
  framework: Framework | undefined;
}

/** Reads the flags (over a --scenario file's values) into the searches' input; the order of the reads is the order their errors win. */
export async function readPlanInput(
  values: ParsedArgs["values"],
  scenario?: SearchScenario,
): Promise<PlanInput> {
  const profiles = typeof values.profiles === "string" ? await readProfiles(values.profiles) : undefined;
  const replaced: string[] = [];
  const { model, name, notes: modelNotes } = await modelOf(values, scenario, replaced);
  const chip = scenarioOr(values, "chip", scenario?.chip, (c) => c.id, oneChip, "hardware.chip", replaced);
  const range = scenarioOr(
    values,
    "chips",
    scenario && { min: scenario.chips, max: scenario.chips },
    (r) => String(r.min),
    chipRange,
    "hardware.count",
    replaced,
  );
  const chipsText = typeof values.chips === "string" ? values.chips : String(range.min);
  const seq =
    typeof values.seq === "string"
      ? parseBoundedCount(values.seq, "--seq", MAX_SEQ_LEN, "tokens per sequence")
      : defaultSeqLen(model);
  const fileBatch = values["global-batch-tokens"] === undefined ? scenario?.globalBatch : undefined;
  if (fileBatch !== undefined && typeof values["global-batch"] === "string") {
    replaced.push(replacedNote("--global-batch", values["global-batch"], "globalBatch", String(fileBatch)));
  }
  const batch =
    fileBatch !== undefined && values["global-batch"] === undefined
      ? { sequences: fileBatch, note: null }
      : globalBatchOf(values, model, seq, range.max);
  const precisionGiven =
    values.precision !== undefined ||
    scenario?.precision != null ||
    (scenario?.constraints?.precision?.length ?? 0) > 0;
  if (values.precision !== undefined && scenario?.precision !== undefined) {
    replaced.push(replacedNote("--precision", String(values.precision), "precision", scenario.precision));
  }
  const precision = precisionFor(
    parsePrecision(values.precision as string | undefined),
    scenario,
    chip,
    replaced,
  );
  const { gradientReduce: fileReduce, ...software } = scenario?.software ?? {};
  if (values["grad-reduce"] !== undefined && fileReduce !== undefined) {
    replaced.push(replacedNote("--grad-reduce", String(values["grad-reduce"]), "gradientReduce", fileReduce));
  }
  const gradientReduce = oneOf(
    values["grad-reduce"] ?? fileReduce,
    "--grad-reduce",
    GRADIENT_REDUCTIONS,
    DEFAULT_GRADIENT_REDUCE,
  );
  const objective = oneOf(values.objective, "--objective", OBJECTIVES, "throughput");
  const sizesMode = oneOf(values.sizes, "--sizes", ["pow2", "all"] as const, "pow2");
  refuseRangeOnlyFlags(values, range, chipsText);
  const top = typeof values.top === "string" ? parseBoundedCount(values.top, "--top", MAX_TOP, "plans") : 5;
  const limits = withFlagConstraints(scenario, {
    constraints: parseConstraintFlags(values),
    framework: parseFrameworkFlag(values.framework),
  });
  const recomputes = limits.constraints?.recompute;
  // Offloading alone on a chip with no host link leaves nothing to search: say why, as a scenario does.
  if (recomputes?.length && recomputes.every((r) => r === "offload"))
    checkOffload("offload", chip, () => "--recompute");
  return {
    name,
    model,
    chip,
    sizes: sizesToSearch(range, sizesMode, chipsText),
    seq,
    globalBatch: batch.sequences,
    notes: [
      ...modelNotes,
      ...replaced,
      ...limits.notes,
      ...(batch.note ? [batch.note] : []),
      ...(precisionGiven
        ? []
        : [
            `precision ${RUN_DEFAULTS.precision} (the default of every command, what published large runs used); set --precision auto to try fp8 where the chip has it`,
          ]),
    ],
    precision,
    gradientReduce,
    objective,
    top,
    profiles,
    software: Object.keys(software).length > 0 ? software : undefined,
    constraints: limits.constraints,
    framework: limits.framework,
  };
}

/** --model, else the scenario's model (a flag over the file is noted in `replaced`). */
async function modelOf(
  values: ParsedArgs["values"],
  scenario: SearchScenario | undefined,
  replaced: string[],
): Promise<{ model: Model; name: string; notes: string[] }> {
  if (scenario === undefined || typeof values.model === "string") {
    const read = await resolveModelArg(required(values, "model"));
    if (scenario)
      replaced.push(
        replacedNote("--model", read.name, "model", scenario.modelPresetId ?? scenario.model.name),
      );
    return read;
  }
  return {
    model: scenario.model,
    name: scenario.modelPresetId ?? scenario.model.name,
    notes: scenario.notes,
  };
}

/** A flag's value read by `parse`, else the scenario's; a flag over the file is noted in `replaced`. */
function scenarioOr<T>(
  values: ParsedArgs["values"],
  flag: string,
  fromFile: T | undefined,
  show: (v: T) => string,
  parse: (text: string) => T,
  field: string,
  replaced: string[],
): T {
  if (fromFile === undefined) return parse(required(values, flag));
  const text = values[flag];
  if (typeof text !== "string") return fromFile;
  replaced.push(replacedNote(`--${flag}`, text, field, show(fromFile)));
  return parse(text);
}

/** The flags that speak only of a range of chip counts, which one count would leave without effect. */
const RANGE_ONLY_FLAGS = ["sizes", "objective"] as const;

function refuseRangeOnlyFlags(
  values: Record<string, unknown>,
  range: { min: number; max: number },
  chipsText: string,
): void {
  if (range.min !== range.max) return;
  for (const flag of RANGE_ONLY_FLAGS) {
    if (values[flag] === undefined) continue;
    throw new InputError({
      field: `--${flag}`,
      value: values[flag],
      allowed: `--${flag} only with a range of chip counts (--chips A..B); with one count (${chipsText}) it would change nothing`,
    });
  }
}

/** The chip counts to search: the one given, or those of the range (at least one, at most MAX_SIZES). */
function sizesToSearch(range: { min: number; max: number }, mode: "pow2" | "all", text: unknown): number[] {
  const sizes = range.min === range.max ? [range.min] : sweepSizes(range.min, range.max, mode);
  if (sizes.length === 0) {
    throw new InputError({
      field: "--chips",
      value: text,
      allowed: "a range holding at least one power of two (or use --sizes all)",
    });
  }
  if (sizes.length > MAX_SIZES) {
    throw new InputError({
      field: "--chips",
      value: text,
      allowed: `a range with at most ${MAX_SIZES} sizes to search (this one has ${sizes.length.toLocaleString("en-US")}); narrow it or use --sizes pow2`,
    });
  }
  return sizes;
}

/** A flag plan cannot run without; its message points to the help. */
function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") {
    throw new InputError({
      field: `--${name}`,
      value: "(missing)",
      allowed: `a value; see trainplan plan --help`,
    });
  }
  return v;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError({ field, value, allowed: `one of ${allowed.join(", ")}` });
}

/** Sizes one sweep may search (each is a full plan search, about a second at thousands of chips). */
const MAX_SIZES = 1024;

/** plan searches one chip type; a list (`--chip h100,h200`) would silently use the first. */
function oneChip(text: string): Chip {
  const list = parseChipList(text);
  if (list.length !== 1) {
    throw new InputError({
      field: "--chip",
      value: text,
      allowed: "exactly one chip id (to compare chips, run trainplan compare --chip A,B)",
    });
  }
  return list[0];
}

function chipRange(text: string): { min: number; max: number } {
  const range = parseRange(text, { field: "--chips", integer: true });
  if (range.max > MAX_CHIPS) {
    throw new InputError({
      field: "--chips",
      value: text,
      allowed: `a chip count of at most ${MAX_CHIPS.toLocaleString("en-US")} (2^20)`,
    });
  }
  return range;
}

/**
 * The precision searched: the flag, else the file's `precision` (fp16 searched as bf16, the same tensor
 * rate, with a note), else the file's `constraints.precision` (both listed: auto), else the default. fp8
 * is only offered where the chip has an fp8 tensor path (A100 and TPUs have none).
 */
function precisionFor(
  flag: unknown,
  scenario: { precision?: Precision | null; constraints?: { precision?: Precision[] } | null } | undefined,
  chip: Chip,
  notes: string[],
): "bf16" | "fp8" | "auto" {
  const listed = scenario?.constraints?.precision;
  let value = flag;
  let field = "--precision";
  if (value === undefined && scenario?.precision != null) {
    field = "precision";
    value = searchPrecision(scenario.precision, field, listed);
    if (value === "fp16") {
      notes.push("the scenario's precision fp16 is searched as bf16 (the same tensor rate)");
      value = "bf16";
    }
  } else if (value === undefined) {
    field = "constraints.precision";
    value = searchPrecision(undefined, field, listed);
  }
  const precision = oneOf(value, field, ["bf16", "fp8", "auto"] as const, RUN_DEFAULTS.precision);
  if (flag !== undefined) searchPrecision(precision, "--precision", listed);
  if (precision === "fp8" && chip.peakTflops.fp8 == null) {
    throw new InputError({
      field,
      value: precision,
      allowed: `bf16 or auto on ${chip.id}, which has no fp8 tensor path`,
    });
  }
  return precision;
}

/**
 * --global-batch or --global-batch-tokens (not both), else the default with a note saying so. `chips`
 * is the largest count searched: a batch in tokens is rounded to sequences that its layouts can divide.
 */
function globalBatchOf(
  values: Record<string, unknown>,
  model: Model,
  seq: number,
  chips: number,
): { sequences: number; note: string | null } {
  if (values["global-batch"] !== undefined && values["global-batch-tokens"] !== undefined) {
    throw new InputError({
      field: "--global-batch-tokens",
      value: values["global-batch-tokens"],
      allowed: "either --global-batch or --global-batch-tokens, not both",
    });
  }
  if (typeof values["global-batch"] === "string") {
    return {
      sequences: parseBoundedCount(values["global-batch"], "--global-batch", MAX_GLOBAL_BATCH, "sequences"),
      note: null,
    };
  }
  if (typeof values["global-batch-tokens"] === "string") {
    return batchFromTokens(values["global-batch-tokens"], seq, chips);
  }
  const d = workloadDefaults(model, { seqLen: seq }).batchDefault!;
  return { sequences: d.sequences, note: `${d.note}; set --global-batch to change` };
}

/** The largest power of two dividing n (n a positive integer). */
function powerOfTwoPart(n: number): number {
  let p = 1;
  while (n % (p * 2) === 0) p *= 2;
  return p;
}

/**
 * A batch in tokens as whole sequences that the layouts can divide. 16M tokens of 8,192 are 1,953.1
 * sequences; 1,953 has no factor of two, so only dp 1 divides it and the search returned a plan 42%
 * slower without a word. The batch is rounded to the nearest multiple of the largest power of two
 * that divides the chip count (the data-parallel sizes possible), at most the batch itself, and the
 * note says so.
 */
function batchFromTokens(
  text: string,
  seq: number,
  chips: number,
): { sequences: number; note: string | null } {
  const tokens = parseCount(text, { field: "--global-batch-tokens" });
  const exact = tokens / seq;
  if (exact < 0.5) {
    throw new InputError({
      field: "--global-batch-tokens",
      value: text,
      allowed: `at least one sequence (${seq} tokens)`,
    });
  }
  let step = Math.min(powerOfTwoPart(chips), 2 ** Math.floor(Math.log2(Math.max(1, exact))));
  const sequences = Math.max(step, Math.round(exact / step) * step);
  if (sequences > MAX_GLOBAL_BATCH) {
    throw new InputError({
      field: "--global-batch-tokens",
      value: text,
      allowed: `at most ${MAX_GLOBAL_BATCH.toLocaleString("en-US")} sequences of ${seq} tokens`,
    });
  }
  if (sequences === exact) return { sequences, note: null };
  step = powerOfTwoPart(sequences);
  const shown = exact.toLocaleString("en-US", { maximumFractionDigits: 1 });
  return {
    sequences,
    note: `--global-batch-tokens ${text} is ${shown} sequences of ${seq} tokens; rounded to ${sequences.toLocaleString("en-US")} (${(sequences * seq).toLocaleString("en-US")} tokens), a multiple of ${step} so that data-parallel sizes up to ${step} divide it; set --global-batch to choose the sequences exactly`,
  };
}
