import { writeFile } from "node:fs/promises";
import validationSet from "../../../data/validation/dev.json" with { type: "json" };
import { renderErrorSummaries } from "../../report/errorSummary.js";
import { parseScenarioText } from "../../scenario/readText.js";
import { calibrate, toProfileFile } from "../../validation/calibrate.js";
import { loadCases } from "../../validation/cases.js";
import { crossValidate } from "../../validation/crossValidate.js";
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
  const profiles = {
    ...toProfileFile(fit, residuals, fittedOn, "trainplan calibrate"),
    date: new Date().toISOString().slice(0, 10),
  };
  const out = (values.out as string | undefined) ?? "data/profiles.json";
  await writeFile(out, `${JSON.stringify(profiles, null, 2)}\n`);
  const cv = values["no-cross-validate"]
    ? null
    : {
        kfold: summarize(crossValidate(cases, prior.profile, "kfold").map((c) => c.errorPct)),
        leaveOneSourceOut: summarize(crossValidate(cases, prior.profile, "source").map((c) => c.errorPct)),
      };
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
  return 0;
}

export const command: Command = {
  name: "calibrate",
  summary: "fit the per-chip performance profiles to measured runs (writes data/profiles.json)",
  usage,
  run,
};
