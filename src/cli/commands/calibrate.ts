import { writeFile } from "node:fs/promises";
import validationSet from "../../../data/validation/dev.json" with { type: "json" };
import type { ErrorBands } from "../../hardware/profile.js";
import { renderErrorSummaries } from "../../report/errorSummary.js";
import { parseScenarioText } from "../../scenario/readText.js";
import { calibrate, toProfileFile } from "../../validation/calibrate.js";
import { loadCases } from "../../validation/cases.js";
import { bandResiduals, crossValidate } from "../../validation/crossValidate.js";
import { BAND_LEVEL, bandCoverage, errorBands } from "../../validation/errorBands.js";
import { measuredPrior } from "../../validation/prior.js";
import { summarize, validateCases } from "../../validation/validate.js";
import { parseCommandArgs } from "../args.js";
import { readInputFile } from "../io.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan calibrate [FILE] [--out PATH] [--no-cross-validate] [--json]

Fits the per-chip performance profiles (achievable fraction of peak for GEMMs, attention and
memory-bound kernels, launch time, network efficiency, overlap) to the measured runs in FILE
(default: the bundled dev set) and writes them, with each case's residual, to PATH
(default data/profiles.json). Starts from, and is pulled towards, the values measured on a GPU
(data/measurements/summary.json). Then reports out-of-sample error: 5-fold, and leaving out one
whole source at a time. Rebuild (npm run build) for the CLI to use new profiles.

Options:
  --out PATH            where to write the profiles (default data/profiles.json)
  --no-cross-validate   skip the out-of-sample checks
  --json                print the fit and the cross-validation as JSON
  -h, --help            show this help`;

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "calibrate",
    args,
    { out: { type: "string" }, "no-cross-validate": { type: "boolean" }, json: { type: "boolean" } },
    true,
  );
  const file = positionals[0];
  const raw = file ? parseScenarioText(await readInputFile(file), file) : validationSet;
  const fittedOn = file ?? "data/validation/dev.json";
  const { cases } = loadCases(raw);
  const prior = measuredPrior();
  const fit = calibrate(cases, { prior: prior.profile });
  const draft = toProfileFile(fit, [], fittedOn, "trainplan calibrate");
  const report = validateCases(cases, { profiles: draft });
  const residuals = report.cases.map((c) => ({
    id: c.id,
    chip: c.chip,
    measured: c.measured,
    predicted: c.predicted,
    errorPct: c.errorPct,
  }));
  const kfold = values["no-cross-validate"] ? null : crossValidate(cases, prior.profile, "kfold");
  const loso = values["no-cross-validate"] ? null : crossValidate(cases, prior.profile, "source");
  const banded = loso ? bandResiduals(cases, loso) : null;
  const profiles = {
    ...toProfileFile(fit, residuals, fittedOn, "trainplan calibrate"),
    date: new Date().toISOString().slice(0, 10),
    ...(banded ? { bands: errorBands(banded), bandCoverage: bandCoverage(banded) } : {}),
  };
  const out = (values.out as string | undefined) ?? "data/profiles.json";
  await writeFile(out, `${JSON.stringify(profiles, null, 2)}\n`);
  const cv =
    kfold && loso
      ? {
          kfold: summarize(kfold.map((c) => c.errorPct)),
          leaveOneSourceOut: summarize(loso.map((c) => c.errorPct)),
        }
      : null;
  if (values.json) {
    writeJson(io, { out, prior: prior.notes, fit: report.summary, crossValidation: cv, profiles });
    return 0;
  }
  io.stdout.write(
    `fitted ${Object.keys(fit.profiles).length} chip profiles on ${cases.length} cases from ${fittedOn}; wrote ${out}\n`,
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
