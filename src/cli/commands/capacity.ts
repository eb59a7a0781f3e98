import {
  type CapacityForBudgetResult,
  type CapacityRunInput,
  capacityForBudget,
} from "../../compare/capacityForBudget.js";
import { catalogPriceYear } from "../../compare/priceYear.js";
import { defaultValue } from "../../cost/assumptions.js";
import { InputError } from "../../errors.js";
import { checkLimit } from "../../plan/inputLimits.js";
import { fleetChartSpec, renderSvg } from "../../report/charts.js";
import { formatCount, formatNumber, formatUsd } from "../../report/format.js";
import { renderTable } from "../../report/table.js";
import { parseCount } from "../../util/units.js";
import { parseCommandArgs } from "../args.js";
import {
  checkPricesCompared,
  checkPricing,
  checkRegion,
  goodputOptions,
  goodputUsage,
  parseChipList,
  parseGoodputFlags,
  parsePrecision,
  parsePrices,
  parseTokens,
  parseUsd,
  parseYears,
  resolveModelArg,
  withFlagNames,
} from "../inputs.js";
import { checkChartPath, describePrice, progressLine, writeChart, writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";

const DEFAULT_RUN = "llama3-405b:15T";

const usage = `Usage: trainplan capacity --budget USD --years N [options]

What a multi-year compute commitment buys: chip-hours and the fleet it sustains each year, buying
each year the generation with the lowest cost per token (new chips from their catalog year), with
prices falling each year; and how many runs of the given workloads it covers, and by when.

Options:
  --budget USD           total commitment, e.g. 38B (at most 10T)
  --years N              length of the deal in years (1 to 30)
  --start-year Y         first year (default: the year of the catalog prices, ${catalogPriceYear()})
  --chip ID,ID,...       chips on offer (default: every chip with a price)
  --ramp F,F,...         share of the budget spent each year (fractions or percentages; default even)
  --price-decline PCT    price fall per year, percent (default ${defaultValue("priceDeclinePctPerYear")}, an assumption),
                         from the year each price was quoted (catalog: its snapshot; --price: this year)
  --run MODEL:TOKENS     a workload, e.g. llama3-405b:15T (repeatable; default ${DEFAULT_RUN});
                         the first picks the generation each year
  --pricing KIND         on-demand (default), capacity-block, ...
  --region R             price region
  --price LIST           your prices: chip=USD per chip-hour, instance:ID=USD per instance-hour
  --precision P          bf16 (default), fp8 or auto
${goodputUsage}
  --json                 print the result as JSON (chipHours, years, runs)
  --chart FILE.svg       write the fleet-per-year chart
  -h, --help             show this help`;

const options = {
  budget: { type: "string" },
  years: { type: "string" },
  "start-year": { type: "string" },
  chip: { type: "string" },
  ramp: { type: "string" },
  "price-decline": { type: "string" },
  run: { type: "string", multiple: true },
  pricing: { type: "string" },
  region: { type: "string" },
  price: { type: "string" },
  precision: { type: "string" },
  json: { type: "boolean" },
  chart: { type: "string" },
  ...goodputOptions,
} as const;

/** "10,20,30,40" (percent) or "0.1,0.2,0.3,0.4" (fractions); must have one entry per year. */
function parseRamp(text: string, years: number): number[] {
  const parts = text.split(",").map((s) => Number(s.trim()));
  const allowed = `${years} numbers separated by commas, one per year, summing to 1 (fractions) or 100 (percent)`;
  if (parts.length !== years || parts.some((x) => !Number.isFinite(x) || x < 0)) {
    throw new InputError({ field: "--ramp", value: text, allowed });
  }
  const sum = parts.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) < 1e-6) return parts.map((x) => x / 100);
  if (Math.abs(sum - 1) < 1e-6) return parts;
  throw new InputError({ field: "--ramp", value: text, allowed });
}

async function parseRun(text: string, notes: string[]): Promise<CapacityRunInput> {
  const at = text.lastIndexOf(":");
  if (at <= 0 || at === text.length - 1) {
    throw new InputError({ field: "--run", value: text, allowed: "MODEL:TOKENS, e.g. llama3-405b:15T" });
  }
  const { model, name, notes: modelNotes } = await resolveModelArg(text.slice(0, at), "--run model");
  notes.push(...modelNotes);
  return { name, model, tokens: parseTokens(text.slice(at + 1), `--run ${name} tokens`) };
}

function yearInt(text: string, field: string): number {
  const n = parseCount(text, { field, integer: true });
  if (n < 1990 || n > 2100) throw new InputError({ field, value: text, allowed: "a year from 1990 to 2100" });
  return n;
}

function report(r: CapacityForBudgetResult): string {
  const years = renderTable(
    [
      { header: "year" },
      { header: "chip" },
      { header: "budget (USD)", align: "right" },
      { header: "$/chip-h", align: "right" },
      { header: "chip-hours", align: "right" },
      { header: "chips all year", align: "right" },
      { header: `tokens (${r.runs[0]?.model})`, align: "right" },
      { header: "$/M tokens", align: "right" },
    ],
    r.years.map((y) => [
      String(y.year),
      y.chipId,
      formatUsd(y.budgetUsd),
      formatNumber(y.usdPerChipHour, 2),
      formatCount(y.chipHours),
      formatCount(y.sustainedChips),
      formatCount(y.tokens),
      formatNumber(y.usdPerMillionTokens, 2),
    ]),
  );
  const runs = renderTable(
    [
      { header: "run" },
      { header: "tokens", align: "right" },
      { header: "runs covered (80% band)", align: "right" },
      { header: "whole runs", align: "right" },
      { header: "first run paid by", align: "right" },
    ],
    r.runs.map((x) => [
      x.model,
      formatCount(x.tokens),
      x.countBand
        ? `${formatNumber(x.count, 1)} (${formatNumber(x.countBand.low, 1)}-${formatNumber(x.countBand.high, 1)})`
        : formatNumber(x.count, 1),
      String(x.wholeRuns),
      x.firstCompleteYear === null ? "never" : `end of ${x.firstCompleteYear}`,
    ]),
  );
  const perf = renderTable(
    [
      { header: "chip" },
      { header: "year", align: "right" },
      { header: "$/chip-h", align: "right" },
      { header: "run" },
      { header: "chips", align: "right" },
      { header: "tokens/s/chip (80% band)", align: "right" },
      { header: "goodput", align: "right" },
    ],
    r.chips.flatMap((c) =>
      c.reference.map((ref) => [
        c.chipId,
        String(c.year),
        formatNumber(c.usdPerChipHour, 2),
        ref.model,
        formatCount(ref.chips),
        ref.band
          ? `${formatNumber(ref.tokensPerSecondPerChip, 0)} (${formatNumber(ref.band.low, 0)}-${formatNumber(ref.band.high, 0)})`
          : formatNumber(ref.tokensPerSecondPerChip, 0),
        formatNumber(ref.goodput, 3),
      ]),
    ),
  );
  const lines = [
    `${formatUsd(r.budgetUsd)} from ${r.startYear}: ${formatCount(r.chipHours)} chip-hours in all.`,
    "",
    years,
    runs,
    "Throughput per chip (at the size compare picks for each run):",
    perf,
    "Prices:",
    ...r.chips.map((c) => `  ${describePrice(c.chipId, c.priceSource)}; falls from ${c.priceYear}`),
    ...r.excluded.map((e) => `  ${e.chip}: left out (${e.reason})`),
    "",
    "Assumptions:",
    ...r.assumptions.map((a) => `  ${a}`),
  ];
  return `${lines.join("\n")}\n`;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values: v } = parseCommandArgs("capacity", args, options);
  const str = (k: keyof typeof options) => v[k] as string | undefined;
  if (str("budget") === undefined)
    throw new InputError({ field: "--budget", value: undefined, allowed: "a USD amount such as 38B" });
  if (str("years") === undefined)
    throw new InputError({ field: "--years", value: undefined, allowed: "a whole number of years >= 1" });
  const budgetUsd = parseUsd(str("budget")!, "--budget");
  if (str("chart") !== undefined) checkChartPath(str("chart")!, "--chart");
  const years = parseYears(str("years")!);
  // Default start (undefined): the year of the catalog prices, the library's default, as in the web app.
  const startYear = str("start-year") !== undefined ? yearInt(str("start-year")!, "--start-year") : undefined;
  let decline: number | undefined;
  if (str("price-decline") !== undefined) {
    decline = parseCount(str("price-decline")!.replace(/%$/, ""), {
      field: "--price-decline",
      sign: "nonnegative",
    });
    checkLimit("priceDeclinePct", decline, "--price-decline", str("price-decline"));
  }
  const runTexts = (v.run as string[] | undefined) ?? [DEFAULT_RUN];
  const runs: CapacityRunInput[] = [];
  const modelNotes: string[] = [];
  for (const t of runTexts) runs.push(await parseRun(t, modelNotes));
  const chips = str("chip") !== undefined ? parseChipList(str("chip")!) : undefined;
  const priceOverrides = parsePrices(str("price"));
  checkPricesCompared(priceOverrides, chips);
  const deal = {
    budgetUsd,
    years,
    startYear,
    // The CLI may read the clock: a --price is quoted now.
    userPriceYear: new Date().getFullYear(),
    chips,
    priceDeclinePctPerYear: decline,
    ramp: str("ramp") !== undefined ? parseRamp(str("ramp")!, years) : undefined,
    runs,
    pricing: checkPricing(str("pricing")),
    region: checkRegion(str("region")),
    priceOverrides,
    precision: parsePrecision(str("precision")),
    goodput: parseGoodputFlags(v),
    onProgress: progressLine(io, "capacity"),
  };
  const result = withFlagNames(
    { startYear: "--start-year", chips: "--chip", budgetUsd: "--budget", years: "--years" },
    () => capacityForBudget(deal),
  );
  if (v.run === undefined)
    result.assumptions.unshift(`run: ${DEFAULT_RUN} (default; pass --run MODEL:TOKENS)`);
  result.assumptions.unshift(...modelNotes);
  if (str("chart") !== undefined) {
    const spec = fleetChartSpec(result.years, {
      title: `${formatUsd(budgetUsd)} over ${years} years from ${result.startYear}: fleet per year`,
      source: `trainplan capacity; prices from the catalog (sources in the command output), falling ${decline ?? defaultValue("priceDeclinePctPerYear")}%/yr`,
    });
    await writeChart(io, str("chart")!, await renderSvg(spec), "--chart");
  }
  if (v.json) writeJson(io, result);
  else io.stdout.write(report(result));
  return 0;
}

export const command: Command = {
  name: "capacity",
  summary: "what a multi-year compute budget buys: chip-hours, fleet per year, runs covered",
  usage,
  run,
};
