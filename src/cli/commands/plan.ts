import { emitInputOf } from "../../emit/emit.js";
import { EMIT_FRAMEWORK, emitTargetOf, emittedText } from "../../emit/emitText.js";
import { EMIT_TARGETS, type EmitTarget } from "../../emit/types.js";
import type { SimulationResult } from "../../engine/result.js";
import { InputError } from "../../errors.js";
import { plansCsv } from "../../report/planCsv.js";
import { borrowedProfileNote } from "../../report/profileNote.js";
import type { PlanMetrics } from "../../search/allPlans.js";
import { scalingTable } from "../../search/sweep.js";
import type { PlanSearchResult } from "../../search/types.js";
import { parseCommandArgs } from "../args.js";
import { constraintOptions, constraintUsage } from "../constraintFlags.js";
import { writeJson } from "../output.js";
import { readSearchScenario } from "../searchScenarioFile.js";
import type { CliIO, Command } from "../types.js";
import { runSearches, type WorkerRequest } from "../workerPool.js";
import { type PlanInput, readPlanInput } from "./planInput.js";
import { renderSearch, renderSweep } from "./planTables.js";

const usage = `Usage: trainplan plan --model PRESET|FILE --chip ID --chips N|A..B [options]
       trainplan plan --scenario FILE [options]

Searches every valid parallel configuration (tp, pp, virtual stages, dp, cp, ep, micro-batch,
recomputation, ZeRO stage, sequence parallelism, precision) for the model on the chips, drops
what does not divide or does not fit in memory, and prints the fastest plans.

Options:
  --scenario FILE|-          the run from a scenario file (model, hardware chip and count, globalBatch,
                             precision, software, and a constraints: block in the vocabulary of the
                             flags below); a flag given too replaces the file's value, with a note
  --model PRESET|FILE        a preset or its Hugging Face id (trainplan models), or a model file:
                             a Hugging Face config.json or trainplan's fields in YAML/JSON
  --chip ID                  chip id (trainplan chips)
  --chips N|A..B             chip count, or a range for a scaling sweep (suffixes: 2k, 16k)
  --sizes pow2|all           sizes tried in a range: powers of two (default) or every multiple of 8
  --seq N                    sequence length (default: the model's)
  --global-batch SEQS        global batch in sequences
  --global-batch-tokens N    global batch in tokens (e.g. 16M); default 4M tokens (16M for >= 200B params)
  --precision bf16|fp8|auto  matrix precision (default bf16; auto tries fp8 too where the chip has it)
  --grad-reduce fp32|bf16    gradient buffers and their reduction (default fp32, Megatron-LM's
                             default; bf16 as in NVIDIA's Megatron-Bridge performance recipes)
  --objective throughput|cost  rank a range by total tokens/s (default) or tokens/s per chip
  --top K                    plans to print (default 5)
${constraintUsage}
  --json                     print the search result(s) as JSON
  --csv                      print the plans as CSV, one row each with its metrics
  --all                      with --csv or --json: every plan that fits, not only the top K (one size)
  --exhaustive               check and time every configuration: the same plans as the default
                             search, which skips what a lower bound on its step time rules out
  --emit TARGET              print the best plan as ${EMIT_TARGETS.join(", ")} arguments or
                             config (one size); the search keeps to that stack unless --framework says
                             otherwise, and a plan it cannot express exits 2 with the reason
  --profiles FILE            performance profiles to use (e.g. from trainplan calibrate --out FILE)
  -h, --help                 show this help`;

const options = {
  scenario: { type: "string" },
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
  csv: { type: "boolean" },
  all: { type: "boolean" },
  exhaustive: { type: "boolean" },
  emit: { type: "string" },
  profiles: { type: "string" },
  ...constraintOptions,
} as const;

/** One search per size; the chip goes by id, as the searches run on worker threads. */
function searchRequests(input: PlanInput, all: boolean, exhaustive: boolean): WorkerRequest[] {
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
    ...(input.software ? { software: input.software } : {}),
    constraints: input.constraints,
    framework: input.framework,
    collectAll: all,
    ...(exhaustive ? { exhaustive } : {}),
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

type Format = "table" | "json" | "csv" | EmitFormat;
interface EmitFormat {
  emit: EmitTarget;
}

/** The search's 80% band as ratios of its best plan's prediction (the same class for every plan). */
function bandRatios(result: PlanSearchResult): { low: number; high: number } | null {
  const best = result.plans[0];
  if (!best?.band) return null;
  const tps = best.throughput.tokensPerSecondPerChip;
  return { low: best.band.low / tps, high: best.band.high / tps };
}

/** One size: the search as JSON, CSV or text; exit code EXIT_NO_PLAN when no plan fits. */
function printSearch(io: CliIO, input: PlanInput, result: PlanSearchResult, format: Format): number {
  if (typeof format === "object") return printEmitted(io, input, result, format.emit);
  const code = result.plans.length > 0 ? 0 : EXIT_NO_PLAN;
  if (format === "csv") {
    io.stdout.write(plansCsv(result.allPlans ?? result.plans.map(metricsOf), bandRatios(result)));
    return code;
  }
  if (format === "json") {
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
  writeNotes(io, [...input.notes, ...profileNotes(input, result.plans[0])]);
  return code;
}

/** The best plan in the target framework's own words (no plan: the search's words, EXIT_NO_PLAN). */
function printEmitted(io: CliIO, input: PlanInput, result: PlanSearchResult, target: EmitTarget): number {
  const best = result.plans[0];
  if (!best) {
    renderSearch(io, input.chip, input.sizes[0], result, {
      model: input.model.name,
      globalBatch: input.globalBatch,
    });
    return EXIT_NO_PLAN;
  }
  const run = {
    globalBatch: input.globalBatch,
    layers: input.model.layers,
    chip: input.chip,
    model: input.model,
    software: input.software,
  };
  // stdout holds only the framework's text; what was read or replaced goes to stderr.
  writeNotes(io, input.notes, io.stderr);
  io.stdout.write(emittedText(target, emitInputOf(best.parallelism, run)));
  return 0;
}

/** A returned plan as a CSV row's metrics. */
function metricsOf(p: PlanSearchResult["plans"][number]): PlanMetrics {
  return {
    parallelism: p.parallelism,
    stepSeconds: p.step.seconds,
    tokensPerSecondPerChip: p.throughput.tokensPerSecondPerChip,
    mfu: p.throughput.mfu,
    memoryPerChipBytes: p.memory.perChipBytes,
  };
}

/** --json or --csv (not both), and --all only with one of them and one size. */
function outputFormat(values: Record<string, unknown>, sizes: number): Format {
  if (values.emit !== undefined) return emitFormat(values, sizes);
  if (values.json === true && values.csv === true) {
    throw new InputError({
      field: "output format",
      value: "--json --csv",
      allowed: "at most one of --json, --csv",
    });
  }
  const format: Format = values.json === true ? "json" : values.csv === true ? "csv" : "table";
  if (values.all === true && format === "table") {
    throw new InputError({
      field: "--all",
      value: true,
      allowed: "--all with --csv or --json (every plan is a long list)",
    });
  }
  if ((values.all === true || format === "csv") && sizes > 1) {
    throw new InputError({
      field: values.all === true ? "--all" : "--csv",
      value: true,
      allowed: "one chip count (--chips N), not a range",
    });
  }
  return format;
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
  const first = results.find((r) => r.plans.length > 0)?.plans[0];
  writeNotes(io, [...input.notes, ...profileNotes(input, first)]);
  return code;
}

/** Whose fitted profile the plans use, when not the chip's own. */
function profileNotes(input: PlanInput, plan: SimulationResult | undefined): string[] {
  const note = plan ? borrowedProfileNote(input.chip.id, plan.profileFrom, plan.profileBasis) : null;
  return note ? [`performance profile: ${note}`] : [];
}

function writeNotes(io: CliIO, notes: string[], to = io.stdout): void {
  for (const n of notes) to.write(`note: ${n}\n`);
}

/** --emit TARGET: one size, and no other output format beside it. */
function emitFormat(values: Record<string, unknown>, sizes: number): EmitFormat {
  const target = emitTargetOf(values.emit);
  const other = ["json", "csv", "all"].filter((f) => values[f] === true);
  if (other.length > 0) {
    throw new InputError({
      field: "--emit",
      value: target,
      allowed: `--emit without --${other.join(", --")}`,
    });
  }
  if (sizes > 1)
    throw new InputError({
      field: "--emit",
      value: target,
      allowed: "one chip count (--chips N), not a range",
    });
  return { emit: target };
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs("plan", args, options);
  const input = await readPlanInput(values, await readSearchScenario(values, io));
  const format = outputFormat(values, input.sizes.length);
  // Emitting for a framework searches what that framework runs, unless --framework names another.
  if (typeof format === "object" && input.framework === undefined)
    input.framework = EMIT_FRAMEWORK[format.emit];
  const results = await runSearches(
    searchRequests(input, values.all === true, values.exhaustive === true),
    sweepProgress(io, input.sizes.length),
  );
  return input.sizes.length === 1
    ? printSearch(io, input, results[0], format)
    : printSweep(io, input, results, format === "json");
}

export const command: Command = {
  name: "plan",
  summary: "find the fastest parallel plan for a model on a chip count (or a range of counts)",
  usage,
  run,
};
