import type { PlanMetrics } from "../search/allPlans.js";
import { type CsvValue, csvRecords } from "./csv.js";
import { planLabel } from "./planLabel.js";

/**
 * Plans as CSV, one row each with its metrics (`plan --all --csv`: every plan that fits, for users
 * who analyse the space themselves). Numbers are written in full, units in the column names.
 */
const HEADER = [
  "plan",
  "tp",
  "pp",
  "vpp",
  "dp",
  "cp",
  "ep",
  "micro_batch",
  "recompute",
  "zero",
  "sequence_parallel",
  "precision",
  "step_seconds",
  "tokens_per_second_per_chip",
  "tokens_per_second_per_chip_band_low",
  "tokens_per_second_per_chip_band_high",
  "mfu",
  "memory_per_chip_bytes",
];

/**
 * `band`: the run's 80% band as ratios of measured to predicted throughput (one class for every plan
 * of a search), or null when none is known (its columns are left empty).
 */
export function plansCsv(
  plans: readonly PlanMetrics[],
  band: { low: number; high: number } | null = null,
): string {
  const rows: CsvValue[][] = plans.map((m) => {
    const p = m.parallelism;
    return [
      planLabel(p),
      p.tp,
      p.pp,
      p.vpp,
      p.dp,
      p.cp,
      p.ep,
      p.microBatch,
      p.recompute,
      p.zero,
      p.sequenceParallel,
      p.precision,
      m.stepSeconds,
      m.tokensPerSecondPerChip,
      band ? m.tokensPerSecondPerChip * band.low : "",
      band ? m.tokensPerSecondPerChip * band.high : "",
      m.mfu,
      Math.round(m.memoryPerChipBytes),
    ];
  });
  return csvRecords([HEADER, ...rows]);
}
