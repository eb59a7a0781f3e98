import validationSet from "../../../data/validation/dev.json" with { type: "json" };
import { renderErrorSummaries } from "../../report/errorSummary.js";
import { formatNumber } from "../../report/format.js";
import { renderTable } from "../../report/table.js";
import { parseScenarioText } from "../../scenario/readText.js";
import { loadCases } from "../../validation/cases.js";
import { validateCases } from "../../validation/validate.js";
import { parseCommandArgs } from "../args.js";
import { readProfiles } from "../inputs.js";
import { readInputFile } from "../io.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan validate [FILE] [--json]

Predicts every published, measured run in FILE (default: the bundled dev set,
data/validation/dev.json) and compares predicted with measured tokens/s per chip:
error = (predicted - measured) / measured. Prints each case, then the median and worst
absolute error overall and per chip, beside a naive baseline (6N FLOPs per token at
one fixed MFU, the median MFU of the cases).

Options:
  --json            print { cases: [{ id, chip, measured, predicted, errorPct, ... }], summary }
  --profiles FILE   performance profiles to use (e.g. from trainplan calibrate --out FILE)
  -h, --help  show this help`;

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "validate",
    args,
    { json: { type: "boolean" }, profiles: { type: "string" } },
    true,
  );
  const profiles = typeof values.profiles === "string" ? await readProfiles(values.profiles) : undefined;
  const file = positionals[0];
  const raw = file ? parseScenarioText(await readInputFile(file), file) : validationSet;
  const loaded = loadCases(raw);
  const report = validateCases(loaded.cases, { profiles });
  if (values.json) {
    writeJson(io, {
      file: file ?? "data/validation/dev.json",
      cases: report.cases,
      summary: report.summary,
      rejected: loaded.rejected.map((r) => ({ id: r.id, error: r.error.message })),
      unmeasured: loaded.unmeasured,
    });
    return 0;
  }
  const rows = report.cases.map((c) => [
    c.id,
    c.chip,
    formatNumber(c.measured, 1),
    formatNumber(c.predicted, 1),
    `${c.errorPct >= 0 ? "+" : ""}${formatNumber(c.errorPct, 1)}%`,
    `${c.baselineErrorPct >= 0 ? "+" : ""}${formatNumber(c.baselineErrorPct, 1)}%`,
    c.confidence.startsWith("high") ? "high" : c.confidence,
  ]);
  io.stdout.write(
    renderTable(
      [
        { header: "case" },
        { header: "chip" },
        { header: "measured tok/s/chip", align: "right" },
        { header: "predicted", align: "right" },
        { header: "error", align: "right" },
        { header: "naive error", align: "right" },
        { header: "confidence" },
      ],
      rows,
    ),
  );
  const s = report.summary;
  const summaryRows = [{ name: "all", engine: s.overall, naive: s.baseline.overall }];
  for (const [chip, cs] of Object.entries(s.perChip)) {
    summaryRows.push({ name: chip, engine: cs, naive: s.baseline.perChip[chip] });
  }
  io.stdout.write("\n");
  io.stdout.write(renderErrorSummaries(summaryRows));
  const withMemory = report.cases.filter((c) => c.memory);
  if (withMemory.length > 0) {
    io.stdout.write(
      "\nmemory where the run measured it (framework peak allocation vs predicted, without the runtime allowance):\n",
    );
    const rows = withMemory.map((c) => {
      const m = c.memory!;
      return [
        c.id,
        formatNumber(m.measuredBytes / 2 ** 30, 1),
        formatNumber(m.predictedBytes / 2 ** 30, 1),
        `${m.errorPct >= 0 ? "+" : ""}${formatNumber(m.errorPct, 1)}%`,
      ];
    });
    const columns = [
      { header: "case" },
      { header: "measured GiB", align: "right" as const },
      { header: "predicted GiB", align: "right" as const },
      { header: "error", align: "right" as const },
    ];
    io.stdout.write(renderTable(columns, rows));
  }
  io.stdout.write(
    `naive baseline: 6N FLOPs per token at MFU ${formatNumber(100 * s.baseline.mfu, 1)}% of dense bf16 peak\n`,
  );
  for (const r of loaded.rejected) io.stderr.write(`skipped ${r.id}: ${r.error.message}\n`);
  if (loaded.unmeasured.length > 0)
    io.stderr.write(`no measurement, skipped: ${loaded.unmeasured.join(", ")}\n`);
  return 0;
}

export const command: Command = {
  name: "validate",
  summary: "compare predictions with published measured runs (median and worst error)",
  usage,
  run,
};
