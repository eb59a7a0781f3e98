import { InputError } from "../../errors.js";
import type { ProfileFile } from "../../hardware/profile.js";
import type { Chip } from "../../hardware/schema.js";
import type { PlanConstraints } from "../../plan/constraints.js";
import { defaultSeqLen, RUN_DEFAULTS, workloadDefaults } from "../../plan/runDefaults.js";
import { DEFAULT_GRADIENT_REDUCE, GRADIENT_REDUCTIONS, type GradientReduce } from "../../plan/schema.js";
import type { Framework } from "../../plan/software.js";
import { sweepSizes } from "../../search/sweep.js";
import { parseCount, parseRange } from "../../util/units.js";
import type { Model } from "../../workload/schema.js";
import type { ParsedArgs } from "../args.js";
import { parseConstraintFlags, parseFrameworkFlag } from "../constraintFlags.js";
import { parseChipList, readProfiles, resolveModelArg } from "../inputs.js";

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
  constraints: PlanConstraints | undefined;
  framework: Framework | undefined;
}

/** Reads the flags into the searches' input; the order of the reads is the order their errors win. */
export async function readPlanInput(values: ParsedArgs["values"]): Promise<PlanInput> {
  const profiles = typeof values.profiles === "string" ? await readProfiles(values.profiles) : undefined;
  const { model, name, notes: modelNotes } = await resolveModelArg(required(values, "model"));
  const chip = oneChip(required(values, "chip"));
  const range = chipRange(required(values, "chips"));
  const seq =
    typeof values.seq === "string"
      ? parseCount(values.seq, { field: "--seq", integer: true })
      : defaultSeqLen(model);
  const batch = globalBatchOf(values, model, seq);
  const precision = precisionFor(values.precision, chip);
  const gradientReduce = oneOf(
    values["grad-reduce"],
    "--grad-reduce",
    GRADIENT_REDUCTIONS,
    DEFAULT_GRADIENT_REDUCE,
  );
  const objective = oneOf(values.objective, "--objective", OBJECTIVES, "throughput");
  const sizesMode = oneOf(values.sizes, "--sizes", ["pow2", "all"] as const, "pow2");
  const top = typeof values.top === "string" ? parseCount(values.top, { field: "--top", integer: true }) : 5;
  const constraints = parseConstraintFlags(values);
  const framework = parseFrameworkFlag(values.framework);
  return {
    name,
    model,
    chip,
    sizes: sizesToSearch(range, sizesMode, values.chips),
    seq,
    globalBatch: batch.sequences,
    notes: [
      ...modelNotes,
      ...(batch.note ? [batch.note] : []),
      ...(values.precision === undefined
        ? [
            `precision ${RUN_DEFAULTS.precision} (the default of every command, what published large runs used); set --precision auto to try fp8 where the chip has it`,
          ]
        : []),
    ],
    precision,
    gradientReduce,
    objective,
    top,
    profiles,
    constraints,
    framework,
  };
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

/**
 * The largest chip count searched: searchPlans looks for the smallest fitting count up to 2^20
 * (smallestFittingChips), and no training run has come near a million chips.
 */
const MAX_CHIPS = 1 << 20;
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

/** fp8 is only offered where the chip has an fp8 tensor path (A100 and TPUs have none). */
function precisionFor(value: unknown, chip: Chip): "bf16" | "fp8" | "auto" {
  const precision = oneOf(value, "--precision", ["bf16", "fp8", "auto"] as const, RUN_DEFAULTS.precision);
  if (precision === "fp8" && chip.peakTflops.fp8 == null) {
    throw new InputError({
      field: "--precision",
      value: precision,
      allowed: `bf16 or auto on ${chip.id}, which has no fp8 tensor path`,
    });
  }
  return precision;
}

/** --global-batch or --global-batch-tokens (not both), else the default with a note saying so. */
function globalBatchOf(
  values: Record<string, unknown>,
  model: Model,
  seq: number,
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
      sequences: parseCount(values["global-batch"], { field: "--global-batch", integer: true }),
      note: null,
    };
  }
  if (typeof values["global-batch-tokens"] === "string") {
    const tokens = parseCount(values["global-batch-tokens"], { field: "--global-batch-tokens" });
    const sequences = Math.round(tokens / seq);
    if (sequences < 1) {
      throw new InputError({
        field: "--global-batch-tokens",
        value: tokens,
        allowed: `at least one sequence (${seq} tokens)`,
      });
    }
    return { sequences, note: null };
  }
  const d = workloadDefaults(model, { seqLen: seq }).batchDefault!;
  return { sequences: d.sequences, note: `${d.note}; set --global-batch to change` };
}
