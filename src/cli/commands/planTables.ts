import type { SimulationResult } from "../../engine/simulate.js";
import type { Chip } from "../../hardware/schema.js";
import { rejectedLine, searchLimitsLines } from "../../report/constraintsText.js";
import { formatGiB, formatNumber, formatPercent, formatSeconds } from "../../report/format.js";
import { infeasibleText } from "../../report/noPlanText.js";
import { describePlan } from "../../report/simulationReport.js";
import { type Column, renderTable } from "../../report/table.js";
import { whyBestWins } from "../../report/whyBestWins.js";
import type { ScalingRow } from "../../search/sweep.js";
import type { PlanSearchResult } from "../../search/types.js";
import type { CliIO } from "../types.js";
import type { Objective } from "./planInput.js";

/** What a message about the search names besides the chip: the model's display name and the batch. */
interface SearchContext {
  model: string;
  globalBatch: number;
}

/** One size's search: what was timed and rejected, then the plans, or why none fits. */
export function renderSearch(
  io: CliIO,
  chip: Chip,
  chips: number,
  result: PlanSearchResult,
  context: SearchContext,
): void {
  io.stdout.write(
    `${chips} x ${chip.id}: ${result.evaluated.toLocaleString("en-US")} configurations examined, ${result.feasible.toLocaleString("en-US")} fit and timed, in ${formatNumber(result.elapsedSeconds, 2)} s\n`,
  );
  for (const line of searchLimitsLines(result)) io.stdout.write(`${line}\n`);
  const rejected = rejectedLine(result);
  if (rejected) io.stdout.write(`${rejected}\n`);
  if (result.plans.length === 0) {
    io.stdout.write(noPlanLine(chip, chips, result, context));
    return;
  }
  io.stdout.write(renderTable(PLAN_COLUMNS, planRows(result)));
  if (result.plans.length > 1) io.stdout.write(`why #1: ${whyBestWins(result.plans[0], result.plans[1])}\n`);
}

/** Why nothing fits, and the smallest count that would (the search looked for one up to 2^20). */
function noPlanLine(chip: Chip, chips: number, result: PlanSearchResult, context: SearchContext): string {
  const inf = result.infeasible;
  const hint =
    inf?.smallestFittingChips != null
      ? `the smallest power-of-two chip count with a plan that fits is ${inf.smallestFittingChips}`
      : "no chip count up to 1M fits";
  const why = infeasibleText(inf, {
    model: context.model,
    chip: chip.id,
    chips,
    globalBatch: context.globalBatch,
  });
  return `no feasible plan: ${why}; ${hint}\n`;
}

const PLAN_COLUMNS: Column[] = [
  { header: "#" },
  { header: "plan" },
  { header: "step", align: "right" },
  { header: "tokens/s/chip (80% band)", align: "right" },
  { header: "MFU (bf16 peak)", align: "right" },
  { header: "memory/chip", align: "right" },
  { header: "compute", align: "right" },
  { header: "comm", align: "right" },
  { header: "bubble", align: "right" },
];

/** One row per plan, best first; compute, comm and bubble are shares of the step. */
function planRows(result: PlanSearchResult): string[][] {
  return result.plans.map((p, i) => {
    const b = p.step.breakdown;
    const compute =
      (b["compute.matmul"] ?? 0) + (b["compute.attention"] ?? 0) + (b["compute.elementwise"] ?? 0);
    const comm = Object.entries(b)
      .filter(([k]) => k.startsWith("comm."))
      .reduce((s, [, v]) => s + v, 0);
    return [
      String(i + 1),
      describePlan(p),
      formatSeconds(p.step.seconds),
      withBand(p),
      formatPercent(p.throughput.mfu),
      `${formatGiB(p.memory.perChipBytes)}`,
      formatPercent(compute / p.step.seconds, 0),
      formatPercent(comm / p.step.seconds, 0),
      formatPercent((b.pipelineBubble ?? 0) / p.step.seconds, 0),
    ];
  });
}

/** Tokens/s per chip with the 80% band of measured throughput for runs of its class, where one is known. */
function withBand(p: SimulationResult): string {
  const value = formatNumber(p.throughput.tokensPerSecondPerChip, 1);
  return p.band ? `${value} (${formatNumber(p.band.low, 0)}-${formatNumber(p.band.high, 0)})` : value;
}

/** A sweep: the best plan at each size, then the size the objective picks (if any size has a plan). */
export function renderSweep(io: CliIO, table: ScalingRow[], objective: Objective): void {
  io.stdout.write(renderTable(SWEEP_COLUMNS, table.map(sweepRow)));
  const pick = bestSize(table, objective);
  if (pick) {
    io.stdout.write(
      `best by ${objective === "throughput" ? "total tokens/s" : "tokens/s per chip (cost per token)"}: ${pick.chips} chips\n`,
    );
  }
}

const SWEEP_COLUMNS: Column[] = [
  { header: "chips", align: "right" },
  { header: "best plan" },
  { header: "tokens/s/chip (80% band)", align: "right" },
  { header: "tokens/s total", align: "right" },
  { header: "MFU (bf16 peak)", align: "right" },
  { header: "scaling eff.", align: "right" },
];

function sweepRow(r: ScalingRow): string[] {
  const best = r.result.plans[0];
  return [
    String(r.chips),
    best ? describePlan(best) : "no feasible plan",
    best ? withBand(best) : "n/a",
    r.tokensPerSecond != null ? formatNumber(r.tokensPerSecond, 0) : "n/a",
    best ? formatPercent(best.throughput.mfu) : "n/a",
    r.efficiency != null ? formatPercent(r.efficiency, 0) : "n/a",
  ];
}

/** The size with the most total tokens/s (throughput) or the best scaling efficiency (cost); ties keep the smaller. */
function bestSize(table: ScalingRow[], objective: Objective): ScalingRow | undefined {
  const ok = table.filter((r) => r.tokensPerSecond != null);
  if (ok.length === 0) return undefined;
  return objective === "throughput"
    ? ok.reduce((a, b) => ((b.tokensPerSecond ?? 0) > (a.tokensPerSecond ?? 0) ? b : a))
    : ok.reduce((a, b) => ((b.efficiency ?? 0) > (a.efficiency ?? 0) ? b : a));
}
