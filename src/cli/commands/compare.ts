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
import { parseCommandArgs } from "../args.js";
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

async function run(args: string[], io: CliIO): Promise<number> {
  const { values: v } = parseCommandArgs("compare", args, options);
  const str = (k: keyof typeof options) => v[k] as string | undefined;
  if (str("model") === undefined) {
    throw new InputError({
      field: "--model",
      value: undefined,
      allowed: `a model preset (${modelPresetIds().join(", ")}) or a model file`,
    });
  }
  if (str("tokens") === undefined) {
    throw new InputError({ field: "--tokens", value: undefined, allowed: "a token count such as 15T" });
  }
  const { model } = await resolveModelArg(str("model")!);
  const tokens = parseTokens(str("tokens")!);
  const chips = str("chip") !== undefined ? parseChipList(str("chip")!) : undefined;
  let chipCounts: number[] | "auto" = "auto";
  const range = str("chips");
  if (range !== undefined) {
    const r = parseRange(range, { field: "--chips", integer: true });
    chipCounts = r.min === r.max ? [r.min] : countsInRange(r.min, r.max, 8);
  }
  const formats = (["json", "csv", "markdown"] as const).filter((f) => v[f]);
  if (formats.length > 1) {
    throw new InputError({
      field: "output format",
      value: formats.map((f) => `--${f}`).join(" "),
      allowed: "at most one of --json, --csv, --markdown",
    });
  }
  const profiles = typeof v.profiles === "string" ? await readProfiles(v.profiles) : undefined;
  const input: CompareInput = {
    profiles,
    model,
    tokens,
    chips,
    chipCounts,
    deadlineDays:
      str("deadline-days") !== undefined
        ? parseCount(str("deadline-days")!, { field: "--deadline-days" })
        : undefined,
    budgetUsd: str("budget") !== undefined ? parseUsd(str("budget")!, "--budget") : undefined,
    pricing: checkPricing(str("pricing")),
    region: checkRegion(str("region")),
    priceOverrides: parsePrices(str("price")),
    seqLen: str("seq") !== undefined ? parseCount(str("seq")!, { field: "--seq", integer: true }) : undefined,
    globalBatch:
      str("global-batch") !== undefined
        ? parseCount(str("global-batch")!, { field: "--global-batch", integer: true })
        : undefined,
    precision: parsePrecision(str("precision")),
    goodput: parseGoodputFlags(v),
    ...parseEnergyFlags(v),
  };
  const result = await compareInParallel(input, io);
  const source = `trainplan compare: ${result.model}, ${formatCount(tokens)} tokens; prices and assumptions in the compare output`;
  if (str("chart") !== undefined) {
    const spec = frontierChartSpec(result.rows, result.frontier, {
      title: `${result.model} on ${formatCount(tokens)} tokens: time versus cost`,
      source,
    });
    await writeChart(str("chart")!, await renderSvg(spec), "--chart");
  }
  if (str("breakdown-chart") !== undefined) {
    const spec = costBreakdownChartSpec(result.rows, {
      title: `${result.model} on ${formatCount(tokens)} tokens: where the money goes`,
      source,
    });
    await writeChart(str("breakdown-chart")!, await renderSvg(spec), "--breakdown-chart");
  }
  if (v.json) {
    writeJson(io, result);
  } else if (v.csv) {
    io.stdout.write(
      renderCsv(
        [
          ...COLUMNS.slice(0, 10),
          { header: "lost h/1000 checkpointing" },
          { header: "lost h/1000 rework" },
          { header: "lost h/1000 restart" },
          ...COLUMNS.slice(11),
          { header: "frontier" },
        ],
        result.rows.map((r) => csvCells(r, result.frontier)),
      ),
    );
  } else if (v.markdown) {
    io.stdout.write(
      renderMarkdownTable(
        COLUMNS,
        result.rows.map((r) => cells(r, result.frontier)),
      ) + notes(result, true),
    );
  } else {
    io.stdout.write(
      renderTable(
        COLUMNS,
        result.rows.map((r) => cells(r, result.frontier)),
      ) + notes(result, false),
    );
  }
  return 0;
}

export const command: Command = {
  name: "compare",
  summary: "compare chips for one workload: best size, days, cost, energy, frontier",
  usage,
  run,
};
