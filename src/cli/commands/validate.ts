import type { ProfileFile } from "../../hardware/profile.js";
import { renderErrorSummaries } from "../../report/errorSummary.js";
import { formatNumber } from "../../report/format.js";
import { type Column, renderTable } from "../../report/table.js";
import { parseScenarioText } from "../../scenario/readText.js";
import { type LoadedCases, loadCases } from "../../validation/cases.js";
import { type CaseResult, type ValidationReport, validateCases } from "../../validation/validate.js";
import { optionalFile, parseCommandArgs } from "../args.js";
import { readDevSet } from "../devSet.js";
import { fillOf, fillOption, fillUsage } from "../fillFlag.js";
import { readProfiles } from "../inputs.js";
import { readInputFile } from "../io.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan validate [FILE] [--json]

Predicts every published, measured run in FILE (- reads standard input; default: the bundled
dev set, data/validation/dev.json) and compares predicted with measured tokens/s per chip:
error = (predicted - measured) / measured. Prints each case, then the median and worst
absolute error overall and per chip, beside a naive baseline (6N FLOPs per token at
one fixed MFU, the median MFU of the cases).

A case that leaves layout sizes out (tp, pp, cp, ep, vpp) gets them as simulate does: the fastest plan
that fits with the given fields fixed, each filled field listed.

Options:
  --json            print { cases: [{ id, chip, measured, predicted, errorPct, ... }], summary, filled }
  --profiles FILE   performance profiles to use (e.g. from trainplan calibrate --out FILE)
${fillUsage}
  -h, --help  show this help`;

const options = { json: { type: "boolean" }, profiles: { type: "string" }, ...fillOption } as const;

/** The set validated when no FILE is given (bundled, so it is imported rather than read). */
const DEFAULT_FILE = "data/validation/dev.json";

/** The cases, the summary, and what was skipped and why, as one JSON document. */
function printJson(
  io: CliIO,
  file: string,
  report: ValidationReport,
  loaded: LoadedCases,
  inSample: boolean,
): void {
  writeJson(io, {
    file,
    cases: report.cases,
    summary: report.summary,
    inSample,
    rejected: loaded.rejected.map((r) => ({ id: r.id, error: r.error.message })),
    unmeasured: loaded.unmeasured,
    filled: loaded.filled,
  });
}

/** Each case, the error summaries beside the naive baseline's, memory where measured, and the baseline. */
function printReport(io: CliIO, report: ValidationReport, inSample: boolean): void {
  const s = report.summary;
  io.stdout.write(renderTable(CASE_COLUMNS, report.cases.map(caseRow)));
  io.stdout.write("\n");
  io.stdout.write(renderErrorSummaries(summaryRows(s)));
  const withMemory = report.cases.filter((c) => c.memory);
  if (withMemory.length > 0) printMemory(io, withMemory);
  io.stdout.write(
    `naive baseline: 6N FLOPs per token at MFU ${formatNumber(100 * s.baseline.mfu, 1)}% of dense bf16 peak\n`,
  );
  const { covered, cases } = s.bandCoverage;
  if (cases > 0)
    io.stdout.write(
      `measured inside the prediction's 80% band: ${covered} of ${cases} runs (${formatNumber((100 * covered) / cases, 0)}%)${inSample ? IN_SAMPLE_BANDS : ""}\n`,
    );
}

/**
 * Whether every case was in the set the profiles were fitted on (the bundled dev set, for the shipped
 * profiles or any file calibrate wrote from it): its errors and band coverage are then in sample.
 */
function fittedOn(loaded: LoadedCases, profiles: ProfileFile | undefined): boolean {
  if (loaded.cases.length === 0) return false;
  if (profiles && profiles.fittedOn !== DEFAULT_FILE) return false;
  const dev = new Set((readDevSet() as { id: string }[]).map((c) => c.id));
  return loaded.cases.every((c) => dev.has(c.id));
}

/** The dev set's bands are its own leave-one-source-out residuals: its coverage here is not out of sample. */
const IN_SAMPLE_BANDS =
  "; in sample: the bands are this set's leave-one-source-out residuals, whose coverage trainplan calibrate prints";

const CASE_COLUMNS: Column[] = [
  { header: "case" },
  { header: "chip" },
  { header: "measured tok/s/chip", align: "right" },
  { header: "predicted", align: "right" },
  { header: "error", align: "right" },
  { header: "naive error", align: "right" },
  { header: "confidence" },
];

function caseRow(c: CaseResult): string[] {
  return [
    c.id,
    c.chip,
    formatNumber(c.measured, 1),
    formatNumber(c.predicted, 1),
    signedPercent(c.errorPct),
    signedPercent(c.baselineErrorPct),
    c.confidence.startsWith("high") ? "high" : c.confidence,
  ];
}

/** All cases first, then one row per chip, each beside the naive baseline's errors. */
function summaryRows(s: ValidationReport["summary"]) {
  const rows = [{ name: "all", engine: s.overall, naive: s.baseline.overall }];
  for (const [chip, cs] of Object.entries(s.perChip)) {
    rows.push({ name: chip, engine: cs, naive: s.baseline.perChip[chip] });
  }
  return rows;
}

function printMemory(io: CliIO, cases: CaseResult[]): void {
  io.stdout.write(
    "\nmemory where the run measured it (framework peak allocation vs predicted, without the runtime allowance):\n",
  );
  const rows = cases.map((c) => {
    const m = c.memory!;
    return [
      c.id,
      formatNumber(m.measuredBytes / 2 ** 30, 1),
      formatNumber(m.predictedBytes / 2 ** 30, 1),
      signedPercent(m.errorPct),
    ];
  });
  io.stdout.write(renderTable(MEMORY_COLUMNS, rows));
}

const MEMORY_COLUMNS: Column[] = [
  { header: "case" },
  { header: "measured GiB", align: "right" },
  { header: "predicted GiB", align: "right" },
  { header: "error", align: "right" },
];

/** An error in percent with its sign, as +12.3% or -4.0%. */
function signedPercent(pct: number): string {
  return `${pct >= 0 ? "+" : ""}${formatNumber(pct, 1)}%`;
}

/** What each case that leaves layout sizes out was given, as simulate fills it. */
function printFilled(io: CliIO, loaded: LoadedCases): void {
  if (loaded.filled.length === 0) return;
  io.stdout.write("\nfilled where a case leaves it out (as trainplan simulate fills it):\n");
  for (const f of loaded.filled) for (const note of f.notes) io.stdout.write(`  ${f.id}: ${note}\n`);
}

/** Cases that could not be read or have nothing to compare with, on stderr (the rest still ran). */
function printSkipped(io: CliIO, loaded: LoadedCases): void {
  for (const r of loaded.rejected) io.stderr.write(`skipped ${r.id}: ${r.error.message}\n`);
  if (loaded.unmeasured.length > 0)
    io.stderr.write(`no measurement, skipped: ${loaded.unmeasured.join(", ")}\n`);
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs("validate", args, options, true);
  const profiles = typeof values.profiles === "string" ? await readProfiles(values.profiles) : undefined;
  const unpublishedFill = fillOf(values["fill-unpublished"]);
  const file = optionalFile("validate", positionals);
  const raw = file
    ? parseScenarioText(
        await readInputFile(file, "FILE", io.readStdin),
        file === "-" ? "standard input" : file,
      )
    : readDevSet();
  const loaded = loadCases(raw, { unpublishedFill, profiles });
  const report = validateCases(loaded.cases, { profiles });
  const inSample = fittedOn(loaded, profiles);
  if (values.json) {
    printJson(io, file ?? DEFAULT_FILE, report, loaded, inSample);
    return 0;
  }
  printReport(io, report, inSample);
  printFilled(io, loaded);
  printSkipped(io, loaded);
  return 0;
}

export const command: Command = {
  name: "validate",
  summary: "compare predictions with published measured runs (median and worst error)",
  usage,
  run,
};
