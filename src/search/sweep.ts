import { powersOfTwo } from "./candidates.js";
import type { PlanSearchResult } from "./types.js";

/** Chip counts to try between min and max: powers of two, or every multiple of `step`. */
export function sweepSizes(min: number, max: number, mode: "pow2" | "all", step = 8): number[] {
  if (mode === "pow2") return powersOfTwo(max).filter((n) => n >= min);
  const out: number[] = [];
  const first = Math.max(step, Math.ceil(min / step) * step);
  for (let n = first; n <= max; n += step) out.push(n);
  if (min < step && min >= 1) out.unshift(min);
  return out;
}

export interface ScalingRow {
  chips: number;
  result: PlanSearchResult;
  tokensPerSecond: number | null;
  /** Tokens/s per chip relative to the smallest size that has a plan (1 = perfect weak scaling). */
  efficiency: number | null;
}

/** Fills in scaling efficiency against the smallest size with a feasible plan. */
export function scalingTable(rows: { chips: number; result: PlanSearchResult }[]): ScalingRow[] {
  const firstOk = rows.find((r) => r.result.plans.length > 0);
  const base = firstOk ? firstOk.result.plans[0].throughput.tokensPerSecondPerChip : null;
  return rows.map((r) => {
    const best = r.result.plans[0];
    return {
      chips: r.chips,
      result: r.result,
      tokensPerSecond: best ? best.throughput.tokensPerSecond : null,
      efficiency: best && base ? best.throughput.tokensPerSecondPerChip / base : null,
    };
  });
}
