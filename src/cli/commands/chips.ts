import { chips } from "../../hardware/catalog.js";
import type { Chip } from "../../hardware/schema.js";
import { formatNumber } from "../../report/format.js";
import { renderTable } from "../../report/table.js";
import { parseCommandArgs } from "../args.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan chips [--json]

Lists the accelerator catalog: dense peak TFLOP/s (BF16, FP8), HBM capacity and bandwidth,
scale-up domain and per-chip bandwidth (one direction), scale-out network per chip, board
power and year. "*" after the power marks an assumed figure the vendor does not publish.

Options:
  --json    print the full catalog (with sources) as JSON
  -h, --help  show this help`;

function row(c: Chip): string[] {
  return [
    c.id,
    formatNumber(c.peakTflops.bf16, 0),
    c.peakTflops.fp8 == null ? "-" : formatNumber(c.peakTflops.fp8, 0),
    formatNumber(c.hbmGiB, 0),
    formatNumber(c.hbmTBps, 1),
    `${c.scaleUp.domainChips} x ${formatNumber(c.scaleUp.unidirGBps, 0)} GB/s`,
    `${formatNumber(c.scaleOut.gbpsPerChip, 0)} Gb/s`,
    `${formatNumber(c.tdpW, 0)} W${c.tdpAssumed ? "*" : ""}`,
    String(c.year),
  ];
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs("chips", args, { json: { type: "boolean" } });
  if (values.json) {
    writeJson(io, chips);
    return 0;
  }
  const r = "right" as const;
  const columns = [
    { header: "id" },
    { header: "bf16 TFLOP/s", align: r },
    { header: "fp8 TFLOP/s", align: r },
    { header: "HBM GiB", align: r },
    { header: "HBM TB/s", align: r },
    { header: "scale-up (chips x BW)", align: r },
    { header: "scale-out", align: r },
    { header: "power", align: r },
    { header: "year", align: r },
  ];
  io.stdout.write(renderTable(columns, chips.map(row)));
  return 0;
}

export const command: Command = {
  name: "chips",
  summary: "list accelerator chips (peak TFLOP/s, HBM, bandwidths, power, year)",
  usage,
  run,
};
