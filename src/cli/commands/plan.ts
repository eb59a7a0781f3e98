import { InputError } from "../../errors.js";
import type { ProfileFile } from "../../hardware/profile.js";
import type { Chip } from "../../hardware/schema.js";
import { scalingTable, sweepSizes } from "../../search/sweep.js";
import type { PlanSearchResult } from "../../search/types.js";
import { parseCount, parseRange } from "../../util/units.js";
import { defaultGlobalBatch } from "../../workload/batch.js";
import type { Model } from "../../workload/schema.js";
import { type ParsedArgs, parseCommandArgs } from "../args.js";
import { parseChipList, readProfiles, resolveModelArg } from "../inputs.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";
import { runSearches, type WorkerRequest } from "../workerPool.js";
import { type Objective, renderSearch, renderSweep } from "./planTables.js";

const usage = `Usage: trainplan plan --model PRESET|FILE --chip ID --chips N|A..B [options]

Searches every valid parallel configuration (tp, pp, virtual stages, dp, cp, ep, micro-batch,
recomputation, ZeRO stage, sequence parallelism, precision) for the model on the chips, drops
what does not divide or does not fit in memory, and prints the fastest plans.

Options:
  --model PRESET|FILE        a preset (trainplan models) or a YAML/JSON model file
  --chip ID                  chip id (trainplan chips)
  --chips N|A..B             chip count, or a range for a scaling sweep (suffixes: 2k, 16k)
  --sizes pow2|all           sizes tried in a range: powers of two (default) or every multiple of 8
  --seq N                    sequence length (default: the model's)
  --global-batch SEQS        global batch in sequences
  --global-batch-tokens N    global batch in tokens (e.g. 16M); default 4M tokens (16M for >= 200B params)
  --precision bf16|fp8|auto  matrix precision (default auto: fp8 too where the chip has it)
  --grad-reduce fp32|bf16    gradient buffers and their reduction (default fp32, Megatron-LM's
                             default; bf16 as in NVIDIA's Megatron-Bridge performance recipes)
  --objective throughput|cost  rank a range by total tokens/s (default) or tokens/s per chip
  --top K                    plans to print (default 5)
  --json                     print the search result(s) as JSON
  --profiles FILE            performance profiles to use (e.g. from trainplan calibrate --out FILE)
  -h, --help                 show this help`;

const options = {
  model: { type: "string" },
  chip: { type: "string" },
  chips: { type: "string" },
  sizes: { type: "string" },
  seq: { type: "string" },
  "global-batch": { type: "string" },
  "global-batch-tokens": { type: "string" },
  precision: { type: "string" },
  "grad-reduce": { type: "string" },
  objective: { type: "string" },
  top: { type: "string" },
  json: { type: "boolean" },
  profiles: { type: "string" },
} as const;

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
  const precision = oneOf(value, "--precision", ["bf16", "fp8", "auto"] as const, "auto");
  if (precision === "fp8" && chip.peakTflops.fp8 == null) {
    throw new InputError({
      field: "--precision",
      value: precision,
      allowed: `bf16 or auto on ${chip.id}, which has no fp8 tensor path`,
    });
  }
  return precision;
}

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
  const d = defaultGlobalBatch(model, seq);
  return { sequences: d.sequences, note: `${d.note}; set --global-batch to change` };
}

/** What the flags ask for, every default applied: the sizes to search and what each search shares. */
interface PlanInput {
  /** The model as the user named it (a preset id or a file), echoed in the output. */
  name: string;
  model: Model;
  chip: Chip;
  sizes: number[];
  seq: number;
  /** In sequences. */
  globalBatch: number;
  /** What was assumed by default (the global batch), printed after the result. */
  notes: string[];
  precision: "bf16" | "fp8" | "auto";
  gradientReduce: "fp32" | "bf16";
  objective: Objective;
  top: number;
  profiles: ProfileFile | undefined;
}

/** Reads the flags into the searches' input; the order of the reads is the order their errors win. */
async function readPlanInput(values: ParsedArgs["values"]): Promise<PlanInput> {
  const profiles = typeof values.profiles === "string" ? await readProfiles(values.profiles) : undefined;
  const { model, name } = await resolveModelArg(required(values, "model"));
  const chip = oneChip(required(values, "chip"));
  const range = chipRange(required(values, "chips"));
  const seq =
    typeof values.seq === "string" ? parseCount(values.seq, { field: "--seq", integer: true }) : model.seqLen;
  const batch = globalBatchOf(values, model, seq);
  const precision = precisionFor(values.precision, chip);
  const gradientReduce = oneOf(values["grad-reduce"], "--grad-reduce", ["fp32", "bf16"] as const, "fp32");
  const objective = oneOf(values.objective, "--objective", ["throughput", "cost"] as const, "throughput");
  const sizesMode = oneOf(values.sizes, "--sizes", ["pow2", "all"] as const, "pow2");
  const top = typeof values.top === "string" ? parseCount(values.top, { field: "--top", integer: true }) : 5;
  return {
    name,
    model,
    chip,
    sizes: sizesToSearch(range, sizesMode, values.chips),
    seq,
    globalBatch: batch.sequences,
    notes: batch.note ? [batch.note] : [],
    precision,
    gradientReduce,
    objective,
    top,
    profiles,
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

/** One search per size; the chip goes by id, as the searches run on worker threads. */
function searchRequests(input: PlanInput): WorkerRequest[] {
  return input.sizes.map((chips) => ({
    model: input.model,
    chipId: input.chip.id,
    chips,
    seqLen: input.seq,
    globalBatch: input.globalBatch,
    precision: input.precision,
    gradientReduce: input.gradientReduce,
    top: input.top,
    profiles: input.profiles,
  }));
}

/** A progress bar on stderr while a sweep runs on a terminal; one size is one search and shows none. */
function sweepProgress(io: CliIO, sizes: number): ((done: number, total: number) => void) | undefined {
  if (!io.isTTY || sizes <= 1) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((width * done) / total);
    io.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} sizes`);
    if (done === total) io.stderr.write("\n");
  };
}

/** One size: the search as JSON, or as text; exit code 1 when no plan fits. */
function printSearch(io: CliIO, input: PlanInput, result: PlanSearchResult, json: boolean): number {
  if (json) {
    writeJson(io, {
      model: input.name,
      chip: input.chip.id,
      chips: input.sizes[0],
      globalBatch: input.globalBatch,
      seqLen: input.seq,
      notes: input.notes,
      ...result,
    });
    return 0;
  }
  io.stdout.write(`model ${input.name}, seq ${input.seq}, global batch ${input.globalBatch} sequences\n`);
  renderSearch(io, input.chip, input.sizes[0], result, {
    model: input.model.name,
    globalBatch: input.globalBatch,
  });
  writeNotes(io, input.notes);
  return result.plans.length > 0 ? 0 : 1;
}

/** A sweep: every size's search with its scaling as JSON, or the best plan per size as text. */
function printSweep(io: CliIO, input: PlanInput, results: PlanSearchResult[], json: boolean): number {
  const table = scalingTable(input.sizes.map((chips, i) => ({ chips, result: results[i] })));
  if (json) {
    writeJson(io, {
      model: input.name,
      chip: input.chip.id,
      objective: input.objective,
      globalBatch: input.globalBatch,
      seqLen: input.seq,
      notes: input.notes,
      sizes: table.map((r) => ({
        chips: r.chips,
        tokensPerSecond: r.tokensPerSecond,
        efficiency: r.efficiency,
        ...r.result,
      })),
    });
    return 0;
  }
  io.stdout.write(
    `model ${input.name}, seq ${input.seq}, global batch ${input.globalBatch} sequences, ${input.chip.id}\n`,
  );
  renderSweep(io, table, input.objective);
  writeNotes(io, input.notes);
  return 0;
}

function writeNotes(io: CliIO, notes: string[]): void {
  for (const n of notes) io.stdout.write(`note: ${n}\n`);
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs("plan", args, options);
  const input = await readPlanInput(values);
  const results = await runSearches(searchRequests(input), sweepProgress(io, input.sizes.length));
  const json = values.json === true;
  return input.sizes.length === 1
    ? printSearch(io, input, results[0], json)
    : printSweep(io, input, results, json);
}

export const command: Command = {
  name: "plan",
  summary: "find the fastest parallel plan for a model on a chip count (or a range of counts)",
  usage,
  run,
};
