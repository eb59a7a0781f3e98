import type { CompareRow } from "./types.js";

/** Days and cost of a compared run at the ends of its throughput's error band. */
export interface RowBand {
  days: [number, number];
  costUsd: [number, number] | null;
}

/**
 * The row's days and cost at the ends of its plan's 80% throughput band: both scale as one over
 * throughput (days = tokens / throughput / goodput; cost = chips x hours x price), so the slow end of
 * the band is the long, dear end. Null when the row has no plan or no band.
 */
export function rowBand(r: Pick<CompareRow, "plan" | "days" | "costUsd">): RowBand | null {
  const plan = r.plan;
  if (!plan?.band || r.days == null) return null;
  const perChip = plan.throughput.tokensPerSecondPerChip;
  const longest = perChip / plan.band.low;
  const shortest = perChip / plan.band.high;
  return {
    days: [r.days * shortest, r.days * longest],
    costUsd: r.costUsd == null ? null : [r.costUsd * shortest, r.costUsd * longest],
  };
}
