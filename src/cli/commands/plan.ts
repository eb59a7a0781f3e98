import { scalingTable } from "../../search/sweep.js";
import type { PlanSearchResult } from "../../search/types.js";
import { parseCommandArgs } from "../args.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";
import { runSearches, type WorkerRequest } from "../workerPool.js";
import { type PlanInput, readPlanInput } from "./planInput.js";
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

/** Exit code of a search: 1 when no plan fits, whatever the output format (text and --json agree). */
const EXIT_NO_PLAN = 1;

/** One size: the search as JSON, or as text; exit code EXIT_NO_PLAN when no plan fits. */
function printSearch(io: CliIO, input: PlanInput, result: PlanSearchResult, json: boolean): number {
  const code = result.plans.length > 0 ? 0 : EXIT_NO_PLAN;
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
    return code;
  }
  io.stdout.write(`model ${input.name}, seq ${input.seq}, global batch ${input.globalBatch} sequences\n`);
  renderSearch(io, input.chip, input.sizes[0], result, {
    model: input.model.name,
    globalBatch: input.globalBatch,
  });
  writeNotes(io, input.notes);
  return code;
}

/** A sweep: every size's search with its scaling as JSON, or the best plan per size as text; EXIT_NO_PLAN when no size has one. */
function printSweep(io: CliIO, input: PlanInput, results: PlanSearchResult[], json: boolean): number {
  const code = results.some((r) => r.plans.length > 0) ? 0 : EXIT_NO_PLAN;
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
    return code;
  }
  io.stdout.write(
    `model ${input.name}, seq ${input.seq}, global batch ${input.globalBatch} sequences, ${input.chip.id}\n`,
  );
  renderSweep(io, table, input.objective);
  writeNotes(io, input.notes);
  return code;
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
