import type { SimulationResult } from "../engine/result.js";
import { formatGiB, formatNumber, formatPercent, formatSeconds } from "./format.js";
import { planLabel } from "./planLabel.js";
import { renderTable } from "./table.js";

/** One line naming a plan (planLabel.ts). */
export function describePlan(r: SimulationResult): string {
  return planLabel(r.parallelism);
}

/** The readable report of one simulated run: fit, memory, step breakdown, throughput, assumptions. */
export function renderSimulation(
  r: SimulationResult,
  measuredTokensPerSecondPerChip?: number | null,
): string {
  const lines: string[] = [];
  lines.push(`${r.chips} x ${r.chip}   plan: ${describePlan(r)}`);
  lines.push(
    `memory per chip: ${formatGiB(r.memory.perChipBytes)} of ${formatGiB(r.memory.capacityBytes)} -> ${r.fits ? "fits" : "DOES NOT FIT"}`,
  );
  const b = r.memory.breakdown;
  lines.push(
    renderTable(
      [{ header: "memory" }, { header: "GiB/chip", align: "right" }],
      [
        ["weights", formatNumber(b.weights / 2 ** 30, 1)],
        ["gradients", formatNumber(b.gradients / 2 ** 30, 1)],
        ["optimizer states", formatNumber(b.optimizerStates / 2 ** 30, 1)],
        ["activations", formatNumber(b.activations / 2 ** 30, 1)],
        ["logits", formatNumber(b.logits / 2 ** 30, 1)],
        ["reserved + fragmentation", formatNumber(b.reserved / 2 ** 30, 1)],
      ],
    ).trimEnd(),
  );
  const step = r.step.seconds;
  const rows = Object.entries(r.step.breakdown)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => [k, formatSeconds(v), formatPercent(v / step)]);
  rows.push(["step", formatSeconds(step), "100%"]);
  lines.push(
    renderTable(
      [{ header: "step time" }, { header: "time", align: "right" }, { header: "share", align: "right" }],
      rows,
    ).trimEnd(),
  );
  lines.push(
    `throughput: ${formatNumber(r.throughput.tokensPerSecondPerChip, 1)}${r.band ? ` (80% band ${formatNumber(r.band.low, 0)}-${formatNumber(r.band.high, 0)})` : ""} tokens/s per chip, ${formatNumber(r.throughput.tokensPerSecond, 0)} tokens/s in all; MFU ${formatPercent(r.throughput.mfu)} of dense bf16 peak${r.parallelism.precision === "fp8" ? ` (${formatPercent(r.throughput.mfuAtPrecisionPeak)} of fp8 peak)` : ""}; ${formatNumber(r.step.microBatches, 0)} micro-batches per step`,
  );
  if (measuredTokensPerSecondPerChip) {
    const err =
      (r.throughput.tokensPerSecondPerChip - measuredTokensPerSecondPerChip) / measuredTokensPerSecondPerChip;
    lines.push(
      `measured: ${formatNumber(measuredTokensPerSecondPerChip, 1)} tokens/s per chip; error ${formatPercent(err)}`,
    );
  }
  if (r.assumptions.length > 0) {
    lines.push("assumptions:");
    for (const a of r.assumptions) lines.push(`  - ${a}`);
  }
  return `${lines.join("\n")}\n`;
}
