import { countsInRange } from "../../compare/chipCounts.js";
import {
  type CompareInput,
  type CompareResult,
  type CompareRow,
  compareFromSearches,
} from "../../compare/compareChips.js";
import { planComparison } from "../../compare/planComparison.js";
import { InputError } from "../../errors.js";
import { costBreakdownChartSpec, frontierChartSpec, renderSvg } from "../../report/charts.js";
import { formatCount, formatNumber, formatPercent, formatUsd } from "../../report/format.js";
import { planLabel } from "../../report/planLabel.js";
import { type Column, renderCsv, renderMarkdownTable, renderTable } from "../../report/table.js";
import { parseCount, parseRange } from "../../util/units.js";
import { modelPresetIds } from "../../workload/presets.js";
import { type ParsedArgs, parseCommandArgs } from "../args.js";
import {
  checkPricing,
  checkRegion,
  energyOptions,
  energyUsage,
  goodputOptions,
  goodputUsage,
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
import { describePrice, progressLine, writeChart, writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";
import { runSearches } from "../workerPool.js";

const usage = `Usage: trainplan compare --model PRESET|FILE --tokens N [options]

For each chip: the best chip count and plan for a token budget, with days, cost, $ per million
tokens, energy and goodput; rows on the time-versus-cost frontier are marked *.

Options:
  --model PRESET|FILE    a model preset (trainplan models) or a YAML/JSON model file
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
${goodputUsage}
${energyUsage}
  --json | --csv | --markdown   output format (default: a table)
  --profiles FILE        performance profiles to use (e.g. from trainplan calibrate --out FILE)
  --chart FILE.svg       write the time-versus-cost chart
  --breakdown-chart FILE.svg    write the cost breakdown chart
  -h, --help             show this help

Without a deadline the size picked is the cheapest finishing within 120 days. days = tokens /
(tokens/s per chip x chips x goodput) / 86,400; cost = chips x days x 24 x $/chip-hour.`;

const options = {
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
  ...goodputOptions,
  ...energyOptions,
} as const;

/** A comparison whose plan searches (one per chip and candidate count) run first on worker threads. */
async function compareInParallel(input: CompareInput, io: CliIO): Promise<CompareResult> {
  const plan = planComparison(input);
  const results = await runSearches(
    plan.searches.map(({ chip, ...rest }) => ({ ...rest, chipId: chip.id })),
    progressLine(io, "compare"),
  );
  return compareFromSearches(plan, (i) => results[i]);
}

function planText(r: CompareRow): string {
  return r.plan ? planLabel(r.plan.parallelism) : "";
}

/** Hours of every 1,000 wall-clock hours lost to checkpoint writes, rework after failures and restarts. */
function hoursLost(r: CompareRow): string {
  const h = r.goodputDetail?.hoursPer1000;
  if (!h) return "-";
  return [h.checkpointing, h.rework, h.restart].map((x) => formatNumber(x, 1)).join("/");
}

const COLUMNS: Column[] = [
  { header: "chip" },
  { header: "instance" },
  { header: "chips", align: "right" },
  { header: "days", align: "right" },
  { header: "cost (USD)", align: "right" },
  { header: "$/chip-h", align: "right" },
  { header: "$/M tokens", align: "right" },
  { header: "energy (MWh)", align: "right" },
  { header: "tCO2e", align: "right" },
  { header: "goodput", align: "right" },
  { header: "lost h/1000: ckpt/rework/restart", align: "right" },
  { header: "MFU", align: "right" },
  { header: "plan" },
  { header: "why this size" },
];

function cells(r: CompareRow, frontier: readonly string[]): string[] {
  const na = (s: string) => (s === "n/a" && r.chips !== null ? "needs --price" : s);
  return [
    `${r.chip}${frontier.includes(r.chip) ? " *" : ""}`,
    (r.instance ?? "-").replace(/^aws:/, ""),
    r.chips === null ? "-" : formatCount(r.chips),
    formatNumber(r.days, 1),
    na(formatUsd(r.costUsd)),
    na(formatNumber(r.usdPerChipHour, 2)),
    na(formatNumber(r.usdPerMillionTokens, 2)),
    formatCount(r.energyMWh),
    formatCount(r.tCO2e),
    formatPercent(r.goodput),
    hoursLost(r),
    formatPercent(r.plan?.throughput.mfu ?? null),
    planText(r),
    r.reason,
  ];
}

/** The CSV splits the lost hours into a column each and says whether the chip is on the frontier. */
const CSV_COLUMNS: Column[] = [
  ...COLUMNS.slice(0, 10),
  { header: "lost h/1000 checkpointing" },
  { header: "lost h/1000 rework" },
  { header: "lost h/1000 restart" },
  ...COLUMNS.slice(11),
  { header: "frontier" },
];

function csvCells(r: CompareRow, frontier: readonly string[]): string[] {
  const n = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(x));
  return [
    r.chip,
    r.instance ?? "",
    n(r.chips),
    n(r.days),
    n(r.costUsd),
    n(r.usdPerChipHour),
    n(r.usdPerMillionTokens),
    n(r.energyMWh),
    n(r.tCO2e),
    n(r.goodput),
    n(r.goodputDetail?.hoursPer1000.checkpointing),
    n(r.goodputDetail?.hoursPer1000.rework),
    n(r.goodputDetail?.hoursPer1000.restart),
    n(r.plan?.throughput.mfu),
    planText(r),
    r.reason,
    frontier.includes(r.chip) ? "yes" : "no",
  ];
}

/** The flags that change what the comparison assumed by default. */
const DEFAULT_FLAGS = { globalBatch: "--global-batch SEQS", precision: "--precision auto|fp8" } as const;

function changeHint(result: CompareResult, bullet: string): string[] {
  if (result.defaulted.length === 0) return [];
  return [`${bullet}to change the defaults: ${result.defaulted.map((d) => DEFAULT_FLAGS[d]).join(", ")}`];
}

function notes(result: CompareResult, markdown: boolean): string {
  const bullet = markdown ? "- " : "  ";
  const lines = [
    "",
    `${result.model}, ${formatCount(result.tokens)} tokens, sequence ${result.seqLen}, global batch ${result.globalBatch} sequences.`,
    "* = on the time-versus-cost frontier (no other chip is both faster and cheaper).",
    "lost h/1000: of every 1,000 hours, those spent writing checkpoints, redoing work lost at failures, and restarting.",
    "",
    "Prices:",
    ...result.rows.map((r) => bullet + describePrice(r.chip, r.priceSource)),
    "",
    "Assumptions:",
    ...result.assumptions.map((a) => bullet + a),
    ...changeHint(result, bullet),
  ];
  return `${lines.join("\n")}\n`;
}

type Flags = ParsedArgs["values"];

/** The output formats besides the default table; at most one may be given. */
const FORMATS = ["json", "csv", "markdown"] as const;
type Format = (typeof FORMATS)[number] | "table";

/** Reads the flags into the comparison's input and the output format, in the order their errors win. */
async function readFlags(v: Flags): Promise<{ input: CompareInput; format: Format }> {
  const modelArg = needed(v, "model", `a model preset (${modelPresetIds().join(", ")}) or a model file`);
  const tokensArg = needed(v, "tokens", "a token count such as 15T");
  const { model } = await resolveModelArg(modelArg);
  const tokens = parseTokens(tokensArg);
  const chips = ifGiven(flag(v, "chip"), parseChipList);
  const chipCounts = chipCountsOf(flag(v, "chips"));
  const format = outputFormat(v);
  const profiles = typeof v.profiles === "string" ? await readProfiles(v.profiles) : undefined;
  const input: CompareInput = {
    profiles,
    model,
    tokens,
    chips,
    chipCounts,
    deadlineDays: ifGiven(flag(v, "deadline-days"), (t) => parseCount(t, { field: "--deadline-days" })),
    budgetUsd: ifGiven(flag(v, "budget"), (t) => parseUsd(t, "--budget")),
    pricing: checkPricing(flag(v, "pricing")),
    region: checkRegion(flag(v, "region")),
    priceOverrides: parsePrices(flag(v, "price")),
    seqLen: ifGiven(flag(v, "seq"), (t) => parseCount(t, { field: "--seq", integer: true })),
    globalBatch: ifGiven(flag(v, "global-batch"), (t) =>
      parseCount(t, { field: "--global-batch", integer: true }),
    ),
    precision: parsePrecision(flag(v, "precision")),
    goodput: parseGoodputFlags(v),
    ...parseEnergyFlags(v),
  };
  return { input, format };
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
  return r.min === r.max ? [r.min] : countsInRange(r.min, r.max, 8);
}

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

/** The charts asked for, written before anything is printed. */
async function writeCharts(result: CompareResult, tokens: number, v: Flags): Promise<void> {
  const source = `trainplan compare: ${result.model}, ${formatCount(tokens)} tokens; prices and assumptions in the compare output`;
  const chart = flag(v, "chart");
  if (chart !== undefined) {
    const spec = frontierChartSpec(result.rows, result.frontier, {
      title: `${result.model} on ${formatCount(tokens)} tokens: time versus cost`,
      source,
    });
    await writeChart(chart, await renderSvg(spec), "--chart");
  }
  const breakdown = flag(v, "breakdown-chart");
  if (breakdown !== undefined) {
    const spec = costBreakdownChartSpec(result.rows, {
      title: `${result.model} on ${formatCount(tokens)} tokens: where the money goes`,
      source,
    });
    await writeChart(breakdown, await renderSvg(spec), "--breakdown-chart");
  }
}

/** The comparison as JSON, or rendered as text. */
function printComparison(io: CliIO, result: CompareResult, format: Format): void {
  if (format === "json") writeJson(io, result);
  else io.stdout.write(renderComparison(result, format));
}

/** The comparison as CSV, or as a Markdown or plain table followed by its notes. */
function renderComparison(result: CompareResult, format: Exclude<Format, "json">): string {
  if (format === "csv")
    return renderCsv(
      CSV_COLUMNS,
      result.rows.map((r) => csvCells(r, result.frontier)),
    );
  const rows = result.rows.map((r) => cells(r, result.frontier));
  return format === "markdown"
    ? renderMarkdownTable(COLUMNS, rows) + notes(result, true)
    : renderTable(COLUMNS, rows) + notes(result, false);
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs("compare", args, options);
  const { input, format } = await readFlags(values);
  const result = await compareInParallel(input, io);
  await writeCharts(result, input.tokens, values);
  printComparison(io, result, format);
  return 0;
}

export const command: Command = {
  name: "compare",
  summary: "compare chips for one workload: best size, days, cost, energy, frontier",
  usage,
  run,
};
