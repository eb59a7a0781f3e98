import type { InfeasibleReason } from "../search/types.js";

/**
 * Why a chip count has no plan in a comparison, as a fact (report/noPlanText.ts words it):
 * - "search": the plan search found none (nothing fits in memory, or no layout divides);
 * - "noProgress": a plan runs but failures outpace checkpoints, so the run never finishes;
 * - "skipped": not searched, because a smaller count on the same doubling chain `chainStart` x 2^k
 *   found nothing fitting up to `smallestFittingChips` (null: nothing up to 2^20).
 */
export type NoPlan =
  | { kind: "search"; reason: InfeasibleReason | "unknown"; smallestFittingChips: number | null }
  | { kind: "noProgress"; warnings: string[] }
  | { kind: "skipped"; chainStart: number; smallestFittingChips: number | null };
