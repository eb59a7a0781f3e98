import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import type { ErrorBands } from "../../hardware/profile.js";
import { renderErrorSummaries } from "../../report/errorSummary.js";
import { parseScenarioText } from "../../scenario/readText.js";
import { calibrate, toProfileFile } from "../../validation/calibrate.js";
import { loadCases } from "../../validation/cases.js";
import { bandResiduals, crossValidate } from "../../validation/crossValidate.js";
import { BAND_LEVEL, bandCoverage, errorBands } from "../../validation/errorBands.js";
import { measuredPrior } from "../../validation/prior.js";
import { summarize, validateCases } from "../../validation/validate.js";
import { optionalFile, parseCommandArgs } from "../args.js";
import { readDevSet } from "../devSet.js";
import { fillOf, fillOption, fillUsage } from "../fillFlag.js";
import { readInputFile } from "../io.js";
import { writeJson } from "../output.js";
import { checkDistinctOutputs, checkTarget, writeFileSafely } from "../safeWrite.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan calibrate [FILE] [--out PATH] [--no-cross-validate] [--json]

Fits the per-chip performance profiles (achievable fraction of peak for GEMMs, attention and
memory-bound kernels, launch time, network efficiency, overlap) to the measured runs in FILE
(default: the bundled dev set) and writes them, with each case's residual, to PATH. PATH is
required, except in a checkout of trainplan itself (the current directory holds its package.json),
where it defaults to data/profiles.json there; elsewhere calibrate writes nothing it was not told to. Starts from, and is pulled towards, the values measured on a GPU
(data/measurements/summary.json). Then reports out-of-sample error: 5-fold, and leaving out one
whole source at a time. Rebuild (npm run build) for the CLI to use new profiles.

Options:
  --out PATH            where to write the profiles (a new or regular file, not a link; default
                        data/profiles.json only in a trainplan checkout)
  --no-cross-validate   skip the out-of-sample checks
  --json                print the fit and the cross-validation as JSON
${fillUsage}
  -h, --help            show this help`;

/** The profiles file a checkout of trainplan ships, relative to its root. */
const SHIPPED_PROFILES = "data/profiles.json";

/** Whether `dir` is a checkout of trainplan: its package.json names this package. */
function isTrainplanCheckout(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "trainplan";
  } catch {
    return false;
  }
}

/**
 * --out, or the shipped profiles file when run in a trainplan checkout (where the maintainers refit
 * it). Anywhere else there is no file a user would expect to be replaced: --out is required.
 */
function outputPath(given: string | undefined, cwd = process.cwd()): string {
  if (given !== undefined) return given;
  if (isTrainplanCheckout(cwd)) return SHIPPED_PROFILES;
  throw new InputError({
    field: "--out",
    value: undefined,
    allowed: `a path for the fitted profiles (e.g. --out profiles.json); outside a trainplan checkout calibrate does not write ./${SHIPPED_PROFILES}, use the file with --profiles`,
  });
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "calibrate",
    args,
    {
      out: { type: "string" },
      "no-cross-validate": { type: "boolean" },
      json: { type: "boolean" },
      ...fillOption,
    },
    true,
  );
  const file = optionalFile("calibrate", positionals);
  const out = outputPath(values.out as string | undefined);
  checkTarget(out, "--out");
  checkDistinctOutputs({ FILE: file, "--out": out });
  const raw = file ? parseScenarioText(await readInputFile(file), file) : readDevSet();
  const fittedOn = file ?? "data/validation/dev.json";
  const { cases } = loadCases(raw, { unpublishedFill: fillOf(values["fill-unpublished"]) });
  const prior = measuredPrior();
  const fit = calibrate(cases, { prior: prior.profile });
  const draft = toProfileFile(fit, [], fittedOn, "trainplan calibrate");
  const report = validateCases(cases, { profiles: draft });
  // Kept for reading (counts per chip, the docs' tables), at the precision a reader uses: the file is
  // bundled into the library and the web app, and 17 digits per figure only weigh the package down.
  const residuals = report.cases.map((c) => ({
    id: c.id,
    chip: c.chip,
    measured: c.measured,
    predicted: Math.round(c.predicted * 10) / 10,
    errorPct: Math.round(c.errorPct * 100) / 100,
  }));
  const kfold = values["no-cross-validate"] ? null : crossValidate(cases, prior.profile, "kfold");
  const loso = values["no-cross-validate"] ? null : crossValidate(cases, prior.profile, "source");
  const banded = loso ? bandResiduals(cases, loso) : null;
  const profiles = {
    ...toProfileFile(fit, residuals, fittedOn, "trainplan calibrate"),
    date: new Date().toISOString().slice(0, 10),
    ...(banded ? { bands: errorBands(banded), bandCoverage: bandCoverage(banded) } : {}),
  };
  await writeFileSafely(out, `${JSON.stringify(profiles, null, 2)}\n`, "--out");
  const cv =
    kfold && loso
      ? {
          kfold: summarize(kfold.map((c) => c.errorPct)),
          leaveOneSourceOut: summarize(loso.map((c) => c.errorPct)),
        }
      : null;
  if (values.json) {
    const descent = { rounds: fit.rounds, settled: fit.settled };
    writeJson(io, { out, prior: prior.notes, fit: report.summary, descent, crossValidation: cv, profiles });
    return 0;
  }
  io.stdout.write(
    `fitted ${Object.keys(fit.profiles).length} chip profiles on ${cases.length} cases from ${fittedOn} (${settledText(fit)}); wrote ${out}\n`,
  );
  const rows = [{ name: "in-sample, all", engine: report.summary.overall }];
  for (const [chip, s] of Object.entries(report.summary.perChip))
    rows.push({ name: `in-sample, ${chip}`, engine: s });
  if (cv) {
    rows.push({ name: "5-fold cross-validation", engine: cv.kfold });
    rows.push({ name: "leave one source out", engine: cv.leaveOneSourceOut });
  }
  io.stdout.write(renderErrorSummaries(rows));
  if (profiles.bands && profiles.bandCoverage)
    io.stdout.write(bandsText(profiles.bands, profiles.bandCoverage));
  return 0;
}

export const command: Command = {
  name: "calibrate",
  summary: "fit the per-chip performance profiles to measured runs (writes data/profiles.json)",
  usage,
  run,
};

/** The bands written, and how often they held on sources they were not built from. */
function bandsText(bands: ErrorBands, coverage: { covered: number; cases: number }): string {
  const lines = [
    `\n${Math.round(BAND_LEVEL * 100)}% error bands (measured / predicted throughput, leave one source out):`,
  ];
  for (const [name, b] of Object.entries(bands)) {
    lines.push(
      `  ${name.padEnd(13)} ${b.low.toFixed(2)}-${b.high.toFixed(2)}  from ${b.cases} runs (${b.from})`,
    );
  }
  lines.push(
    `  coverage: ${(coverage.covered * 100).toFixed(0)}% of ${coverage.cases} runs inside the band built without their source`,
  );
  return `${lines.join("\n")}\n`;
}

/** How the fit ended: settled after N rounds, or stopped at the cap while parameters still moved. */
function settledText(fit: { rounds: number; settled: boolean }): string {
  return fit.settled
    ? `settled after ${fit.rounds} rounds`
    : `stopped at ${fit.rounds} rounds with parameters still moving by more than 0.1%`;
}
