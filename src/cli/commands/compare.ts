import type { BreakEvenPair } from "../../compare/breakEven.js";
import { countsInRange } from "../../compare/chipCounts.js";
import { type CompareInput, type CompareResult, compareFromSearches } from "../../compare/compareChips.js";
import { planComparison } from "../../compare/planComparison.js";
import { InputError } from "../../errors.js";
import { MAX_CHIPS, MAX_GLOBAL_BATCH, MAX_SEQ_LEN } from "../../plan/limits.js";
import { breakEvenChartSpec } from "../../report/breakEvenChart.js";
import { costBreakdownChartSpec, frontierChartSpec, renderSvg } from "../../report/charts.js";
import { formatCount } from "../../report/format.js";
import { type SearchScenario, searchPrecision } from "../../scenario/searchScenario.js";
import { parseCount, parseRange } from "../../util/units.js";
import { modelPresetIds } from "../../workload/presets.js";
import type { Model } from "../../workload/schema.js";
import { type ParsedArgs, parseCommandArgs } from "../args.js";
import {
  constraintOptions,
  constraintUsage,
  parseConstraintFlags,
  parseFrameworkFlag,
} from "../constraintFlags.js";
import {
  checkPricesCompared,
  checkPricing,
  checkRegion,
  energyOptions,
  energyUsage,
  goodputOptions,
  goodputUsage,
  parseBoundedCount,
  parseChipList,
  parseEnergyFlags,
  parseGoodputFlags,
  parsePrecision,
  parsePrices,
  parseTokens,
  parseUsd,
  readProfiles,
  resolveModelArg,
} from "../inputs.js";
import { checkChartPath, progressLine, writeChart, writeJson } from "../output.js";
import { checkDistinctOutputs } from "../safeWrite.js";
import { readSearchScenario, replacedNote, withFlagConstraints } from "../searchScenarioFile.js";
import type { CliIO, Command } from "../types.js";
import { runSearches } from "../workerPool.js";
import { type CompareExtras, compareExtras, parseBreakEvenPairs, renderExtras } from "./compareExtras.js";
import { renderComparison, type TextFormat } from "./compareTables.js";

const usage = `Usage: trainplan compare --model PRESET|FILE --tokens N [options]
       trainplan compare --scenario FILE --tokens N [options]

For each chip: the best chip count and plan for a token budget, with days, cost, $ per million
tokens, energy and goodput; rows on the time-versus-cost frontier are marked *.

Options:
  --scenario FILE|-      the run from a scenario file (model, hardware chip and count, globalBatch,
                         precision, software, and a constraints: block in the vocabulary of the
                         flags below); a flag given too replaces the file's value, with a note
  --model PRESET|FILE    a model preset or its Hugging Face id (trainplan models), or a model
                         file: a Hugging Face config.json or trainplan's fields in YAML/JSON
  --tokens N             training tokens, e.g. 15T
  --chip ID,ID,...       chips to compare (default: every chip in the catalog)
  --chips N|A..B         chip counts to try (default: the instance size x 2^k up to 65,536)
  --deadline-days D      pick the cheapest size finishing within D days
  --budget USD           and costing at most USD (e.g. 500M)
  --pricing KIND         on-demand (default), capacity-block, ...
  --region R             price region (and grid for carbon), e.g. us-east-1
  --price LIST           your prices: chip=USD per chip-hour, instance:ID=USD per instance-hour
  --seq N                sequence length (default: the model's)
  --global-batch SEQS    global batch in sequences (default: 4M tokens, 16M from 200B parameters)
  --precision P          bf16 (default), fp8, or auto (fp8 where the chip has it)
${constraintUsage}
${goodputUsage}
${energyUsage}
  --json | --csv | --markdown   output format (default: a table)
  --profiles FILE        performance profiles to use (e.g. from trainplan calibrate --out FILE)
  --chart FILE.svg       write the time-versus-cost chart
  --breakdown-chart FILE.svg    write the cost breakdown chart
  --breakeven A:B,...    break-even of chip A against chip B: A's price per chip-hour at which its
                         run costs what B's does, and the MFU A needs at its price today
  --breakeven-chart FILE.svg    write the break-even chart (cost per million tokens against
                         price per chip-hour; needs --breakeven)
  -h, --help             show this help

Without a deadline the size picked is the cheapest finishing within 120 days. days = tokens /
(tokens/s per chip x chips x goodput) / 86,400; cost = chips x days x 24 x $/chip-hour.`;

const options = {
  scenario: { type: "string" },
  model: { type: "string" },
  tokens: { type: "string" },
  chip: { type: "string" },
  chips: { type: "string" },
  "deadline-days": { type: "string" },
  budget: { type: "string" },
  pricing: { type: "string" },
  region: { type: "string" },
  price: { type: "string" },
  seq: { type: "string" },
  "global-batch": { type: "string" },
  precision: { type: "string" },
  json: { type: "boolean" },
  profiles: { type: "string" },
  csv: { type: "boolean" },
  markdown: { type: "boolean" },
  chart: { type: "string" },
  "breakdown-chart": { type: "string" },
  breakeven: { type: "string" },
  "breakeven-chart": { type: "string" },
  ...goodputOptions,
  ...energyOptions,
  ...constraintOptions,
} as const;

type Flags = ParsedArgs["values"];

/** The output formats besides the default table; at most one may be given. */
const FORMATS = ["json", "csv", "markdown"] as const;
type Format = "json" | TextFormat;

/** Reads the flags into the comparison's input and the output format, in the order their errors win. */
async function readFlags(
  v: Flags,
  scenario: SearchScenario | undefined,
): Promise<{ input: CompareInput; format: Format; pairs: BreakEvenPair[] | undefined; notes: string[] }> {
  const replaced: string[] = [];
  const { model, notes } = await modelOf(v, scenario, replaced);
  const tokens = parseTokens(needed(v, "tokens", "a token count such as 15T"));
  const chips = fromFlagOr(
    v,
    "chip",
    scenario && [scenario.chip],
    (c) => c[0].id,
    parseChipList,
    "hardware.chip",
    replaced,
  );
  const chipCounts = fromFlagOr(
    v,
    "chips",
    scenario && [scenario.chips],
    (c) => String(c[0]),
    chipCountsOf,
    "hardware.count",
    replaced,
  );
  const priceOverrides = parsePrices(flag(v, "price"));
  checkPricesCompared(priceOverrides, chips);
  const format = outputFormat(v);
  checkOutputs(v);
  const pairs = ifGiven(flag(v, "breakeven"), (t) => parseBreakEvenPairs(t, chips));
  if (pairs !== undefined && format === "csv") {
    throw new InputError({
      field: "--breakeven",
      value: flag(v, "breakeven"),
      allowed: "with the table, --markdown or --json (CSV holds the rows only)",
    });
  }
  if (pairs === undefined && flag(v, "breakeven-chart") !== undefined) {
    throw new InputError({
      field: "--breakeven-chart",
      value: flag(v, "breakeven-chart"),
      allowed: "a chart of the pairs given with --breakeven A:B; add --breakeven",
    });
  }
  const profiles = typeof v.profiles === "string" ? await readProfiles(v.profiles) : undefined;
  const limits = withFlagConstraints(scenario, {
    constraints: parseConstraintFlags(v),
    framework: parseFrameworkFlag(v.framework),
  });
  const input: CompareInput = {
    profiles,
    model,
    tokens,
    chips,
    chipCounts: chipCounts ?? "auto",
    deadlineDays: ifGiven(flag(v, "deadline-days"), (t) => parseCount(t, { field: "--deadline-days" })),
    budgetUsd: ifGiven(flag(v, "budget"), (t) => parseUsd(t, "--budget")),
    pricing: checkPricing(flag(v, "pricing")),
    region: checkRegion(flag(v, "region")),
    priceOverrides,
    seqLen: ifGiven(flag(v, "seq"), (t) => parseBoundedCount(t, "--seq", MAX_SEQ_LEN, "tokens per sequence")),
    globalBatch: fromFlagOr(
      v,
      "global-batch",
      scenario?.globalBatch,
      String,
      (t) => parseBoundedCount(t, "--global-batch", MAX_GLOBAL_BATCH, "sequences"),
      "globalBatch",
      replaced,
    ),
    precision: searchPrecision(
      fromFlagOr(v, "precision", scenario?.precision, String, parsePrecision, "precision", replaced),
      flag(v, "precision") === undefined ? "precision" : "--precision",
      limits.constraints?.precision,
    ),
    ...(scenario?.software ? { software: scenario.software } : {}),
    constraints: limits.constraints,
    framework: limits.framework,
    goodput: parseGoodputFlags(v),
    ...parseEnergyFlags(v),
  };
  return { input, format, pairs, notes: [...notes, ...replaced, ...limits.notes] };
}

/** --model, else the scenario's model (a flag over the file is noted in `replaced`). */
async function modelOf(
  v: Flags,
  scenario: SearchScenario | undefined,
  replaced: string[],
): Promise<{ model: Model; notes: string[] }> {
  if (scenario === undefined || typeof v.model === "string") {
    const read = await resolveModelArg(
      needed(v, "model", `a model preset (${modelPresetIds().join(", ")}) or a model file`),
    );
    if (scenario) {
      replaced.push(
        replacedNote("--model", read.name, "model", scenario.modelPresetId ?? scenario.model.name),
      );
    }
    return read;
  }
  return { model: scenario.model, notes: scenario.notes };
}

/**
 * A flag's value read by `parse`, else the scenario's value (undefined when neither gives one); a
 * flag over the file is noted in `replaced`.
 */
function fromFlagOr<T>(
  v: Flags,
  name: keyof typeof options,
  fromFile: T | undefined,
  show: (value: T) => string,
  parse: (text: string) => T,
  field: string,
  replaced: string[],
): T | undefined {
  const text = flag(v, name);
  if (text === undefined) return fromFile;
  if (fromFile !== undefined) replaced.push(replacedNote(`--${name}`, text, field, show(fromFile)));
  return parse(text);
}

/** A string flag's value, or undefined when it is not given. */
function flag(v: Flags, name: keyof typeof options): string | undefined {
  return v[name] as string | undefined;
}

/** A flag the comparison cannot run without; `allowed` says what it takes. */
function needed(v: Flags, name: keyof typeof options, allowed: string): string {
  const text = flag(v, name);
  if (text === undefined) throw new InputError({ field: `--${name}`, value: undefined, allowed });
  return text;
}

/** An optional flag parsed when given. */
function ifGiven<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
  return text === undefined ? undefined : parse(text);
}

/** --chips: one count, a range's candidate counts (see countsInRange), or "auto" when not given. */
function chipCountsOf(text: string | undefined): number[] | "auto" {
  if (text === undefined) return "auto";
  const r = parseRange(text, { field: "--chips", integer: true });
  if (r.max > MAX_CHIPS) {
    throw new InputError({
      field: "--chips",
      value: text,
      allowed: `a chip count of at most ${MAX_CHIPS.toLocaleString("en-US")} (2^20), as for plan`,
    });
  }
  return r.min === r.max ? [r.min] : countsInRange(r.min, r.max, 8);
}

/** The chart paths, checked before the searches: each a new or regular .svg file, all distinct. */
function checkOutputs(v: Flags): void {
  const paths = {
    "--chart": flag(v, "chart"),
    "--breakdown-chart": flag(v, "breakdown-chart"),
    "--breakeven-chart": flag(v, "breakeven-chart"),
  };
  for (const [name, path] of Object.entries(paths)) if (path !== undefined) checkChartPath(path, name);
  checkDistinctOutputs(paths);
}

/** --json, --csv or --markdown, else the table. */
function outputFormat(v: Flags): Format {
  const formats = FORMATS.filter((f) => v[f]);
  if (formats.length > 1) {
    throw new InputError({
      field: "output format",
      value: formats.map((f) => `--${f}`).join(" "),
      allowed: "at most one of --json, --csv, --markdown",
    });
  }
  return formats[0] ?? "table";
}

/** A comparison whose plan searches (one per chip and candidate count) run first on worker threads. */
async function compareInParallel(input: CompareInput, io: CliIO): Promise<CompareResult> {
  const plan = planComparison(input);
  const results = await runSearches(
    plan.searches.map(({ chip, ...rest }) => ({ ...rest, chipId: chip.id })),
    progressLine(io, "compare"),
  );
  return compareFromSearches(plan, (i) => results[i]);
}

/** The charts asked for, written before anything is printed (a bad path fails with no output). */
async function writeCharts(
  io: CliIO,
  result: CompareResult,
  extras: CompareExtras,
  tokens: number,
  v: Flags,
): Promise<void> {
  const source = `trainplan compare: ${result.model}, ${formatCount(tokens)} tokens; prices and assumptions in the compare output`;
  const chart = flag(v, "chart");
  if (chart !== undefined) {
    const spec = frontierChartSpec(result.rows, result.frontier, {
      title: `${result.model} on ${formatCount(tokens)} tokens: time versus cost`,
      source,
    });
    await writeChart(io, chart, await renderSvg(spec), "--chart");
  }
  const breakdown = flag(v, "breakdown-chart");
  if (breakdown !== undefined) {
    const spec = costBreakdownChartSpec(result.rows, {
      title: `${result.model} on ${formatCount(tokens)} tokens: where the money goes`,
      source,
    });
    await writeChart(io, breakdown, await renderSvg(spec), "--breakdown-chart");
  }
  const breakEvenChart = flag(v, "breakeven-chart");
  if (breakEvenChart !== undefined && extras.breakEven) {
    const spec = breakEvenChartSpec(result.rows, extras.breakEven, tokens, {
      title: `${result.model} on ${formatCount(tokens)} tokens: break-even price per chip-hour`,
      source,
    });
    await writeChart(io, breakEvenChart, await renderSvg(spec), "--breakeven-chart");
  }
}

/** The comparison as JSON (claims and break-even as fields beside the rows), or rendered as text. */
function printComparison(io: CliIO, result: CompareResult, extras: CompareExtras, format: Format): void {
  if (format === "json") writeJson(io, { ...result, ...extras });
  else if (format === "csv") io.stdout.write(renderComparison(result, format));
  else io.stdout.write(renderComparison(result, format) + renderExtras(extras, format === "markdown"));
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs("compare", args, options);
  const { input, format, pairs, notes } = await readFlags(values, await readSearchScenario(values, io));
  // A model file's counts and guesses go to stderr, so the table, CSV or JSON on stdout stays as it is.
  for (const n of notes) io.stderr.write(`note: ${n}\n`);
  const result = await compareInParallel(input, io);
  const extras = compareExtras(result, pairs);
  await writeCharts(io, result, extras, input.tokens, values);
  printComparison(io, result, extras, format);
  return 0;
}

export const command: Command = {
  name: "compare",
  summary: "compare chips for one workload: best size, days, cost, energy, frontier",
  usage,
  run,
};
