import { InputError } from "../../errors.js";
import type { Chip } from "../../hardware/schema.js";
import { scalingTable, sweepSizes } from "../../search/sweep.js";
import { parseCount, parseRange } from "../../util/units.js";
import { defaultGlobalBatch } from "../../workload/batch.js";
import type { Model } from "../../workload/schema.js";
import { parseCommandArgs } from "../args.js";
import { parseChipList, readProfiles, resolveModelArg } from "../inputs.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";
import { runSearches, type WorkerRequest } from "../workerPool.js";
import { renderSearch, renderSweep } from "./planTables.js";

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

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs("plan", args, options);
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
  const sizes = range.min === range.max ? [range.min] : sweepSizes(range.min, range.max, sizesMode);
  if (sizes.length === 0) {
    throw new InputError({
      field: "--chips",
      value: values.chips,
      allowed: "a range holding at least one power of two (or use --sizes all)",
    });
  }
  if (sizes.length > MAX_SIZES) {
    throw new InputError({
      field: "--chips",
      value: values.chips,
      allowed: `a range with at most ${MAX_SIZES} sizes to search (this one has ${sizes.length.toLocaleString("en-US")}); narrow it or use --sizes pow2`,
    });
  }
  const requests: WorkerRequest[] = sizes.map((chips) => ({
    model,
    chipId: chip.id,
    chips,
    seqLen: seq,
    globalBatch: batch.sequences,
    precision,
    gradientReduce,
    top,
    profiles,
  }));
  const progress = io.isTTY && sizes.length > 1;
  const results = await runSearches(requests, (done, total) => {
    if (!progress) return;
    const width = 30;
    const filled = Math.round((width * done) / total);
    io.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} sizes`);
    if (done === total) io.stderr.write("\n");
  });
  const notes = batch.note ? [batch.note] : [];
  if (sizes.length === 1) {
    if (values.json) {
      writeJson(io, {
        model: name,
        chip: chip.id,
        chips: sizes[0],
        globalBatch: batch.sequences,
        seqLen: seq,
        notes,
        ...results[0],
      });
      return 0;
    }
    io.stdout.write(`model ${name}, seq ${seq}, global batch ${batch.sequences} sequences\n`);
    renderSearch(io, chip, sizes[0], results[0], { model: model.name, globalBatch: batch.sequences });
    for (const n of notes) io.stdout.write(`note: ${n}\n`);
    return results[0].plans.length > 0 ? 0 : 1;
  }
  const table = scalingTable(sizes.map((chips, i) => ({ chips, result: results[i] })));
  if (values.json) {
    writeJson(io, {
      model: name,
      chip: chip.id,
      objective,
      globalBatch: batch.sequences,
      seqLen: seq,
      notes,
      sizes: table.map((r) => ({
        chips: r.chips,
        tokensPerSecond: r.tokensPerSecond,
        efficiency: r.efficiency,
        ...r.result,
      })),
    });
    return 0;
  }
  io.stdout.write(`model ${name}, seq ${seq}, global batch ${batch.sequences} sequences, ${chip.id}\n`);
  renderSweep(io, table, objective);
  for (const n of notes) io.stdout.write(`note: ${n}\n`);
  return 0;
}

export const command: Command = {
  name: "plan",
  summary: "find the fastest parallel plan for a model on a chip count (or a range of counts)",
  usage,
  run,
};
