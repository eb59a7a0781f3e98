import { type PlanRecord, parallelismOf, planRecordOf } from "../engine/planRecord.js";
import { OUT_MEM_TOTAL, OUT_STEP, OUT_TOKENS_PER_SECOND_PER_RANK } from "../engine/slots.js";
import type { Parallelism } from "../plan/schema.js";

/**
 * Every plan a search timed, with its metrics (Calculon's all-executions view, for `plan --all`):
 * numbers in one growing typed array while the search runs, readable records once it is done.
 */

const FIELDS = ["tp", "pp", "vpp", "dp", "cp", "ep", "microBatch", "recompute", "zero", "sp", "fp8"] as const;
const STEP = FIELDS.length;
const TOKENS = STEP + 1;
const MEMORY = STEP + 2;
const ROW = STEP + 3;

export interface AllPlans {
  count: number;
  rows: Float64Array;
}

export function newAllPlans(): AllPlans {
  return { count: 0, rows: new Float64Array(1024 * ROW) };
}

/** Appends the plan in `plan` with its evaluated step (the array doubles when full). */
export function record(all: AllPlans, plan: PlanRecord, out: Float64Array): void {
  if ((all.count + 1) * ROW > all.rows.length) {
    const grown = new Float64Array(all.rows.length * 2);
    grown.set(all.rows);
    all.rows = grown;
  }
  const o = all.count * ROW;
  for (let f = 0; f < FIELDS.length; f++) all.rows[o + f] = plan[FIELDS[f]];
  all.rows[o + STEP] = out[OUT_STEP];
  all.rows[o + TOKENS] = out[OUT_TOKENS_PER_SECOND_PER_RANK];
  all.rows[o + MEMORY] = out[OUT_MEM_TOTAL];
  all.count++;
}

/** One timed plan and what it achieves, per chip. */
export interface PlanMetrics {
  parallelism: Parallelism;
  stepSeconds: number;
  tokensPerSecondPerChip: number;
  /** Model FLOPs over the chip's dense bf16 peak, as simulate reports it. */
  mfu: number;
  memoryPerChipBytes: number;
}

/** The collected plans as records, fastest first (ties keep the search's order). */
export function planMetrics(
  all: AllPlans,
  ranksPerChip: number,
  flopsPerToken: number,
  peakBf16Tflops: number,
): PlanMetrics[] {
  const out: PlanMetrics[] = [];
  for (let i = 0; i < all.count; i++) {
    const o = i * ROW;
    const fields: Partial<PlanRecord> = {};
    for (let f = 0; f < FIELDS.length; f++) fields[FIELDS[f]] = all.rows[o + f];
    const perChip = all.rows[o + TOKENS] * ranksPerChip;
    out.push({
      parallelism: parallelismOf(planRecordOf(fields)),
      stepSeconds: all.rows[o + STEP],
      tokensPerSecondPerChip: perChip,
      mfu: (flopsPerToken * perChip) / (peakBf16Tflops * 1e12),
      memoryPerChipBytes: all.rows[o + MEMORY] * ranksPerChip,
    });
  }
  return out.sort((a, b) => b.tokensPerSecondPerChip - a.tokensPerSecondPerChip);
}
