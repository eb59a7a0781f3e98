import { newPlanRecord, type PlanRecord } from "../engine/planRecord.js";

/**
 * The best K plans seen so far, as numbers in one typed array sorted best first: a score (tokens/s
 * per rank), the plan's place in the exhaustive search's order, and the plan record's fields.
 * Inserting allocates nothing. Plans are ranked by score and, at equal scores, by that place, so the
 * top K do not depend on the order plans are offered in: the bounded search (boundedSearch.ts) visits
 * layouts best bound first and keeps the same plans as the exhaustive one.
 */
export interface BestPlans {
  top: number;
  kept: number;
  rows: Float64Array;
}

const FIELDS = [
  "tp",
  "pp",
  "vpp",
  "dp",
  "cp",
  "ep",
  "microBatch",
  "microBatches",
  "globalBatch",
  "recompute",
  "zero",
  "sp",
  "fp8",
] as const;
const SCORE = 0;
const ORDER = 1;
const ROW = 2 + FIELDS.length;

export function newBestPlans(top: number): BestPlans {
  return { top, kept: 0, rows: new Float64Array(top * ROW) };
}

/** Whether a plan of `score` at place `order` ranks after the kept row `i`. */
function ranksAfter(b: BestPlans, i: number, score: number, order: number): boolean {
  const kept = b.rows[i * ROW + SCORE];
  return score < kept || (score === kept && order > b.rows[i * ROW + ORDER]);
}

/**
 * Inserts a plan if it beats the worst kept one; at equal scores the plan earlier in the exhaustive
 * order (`order`) ranks first.
 */
export function keep(b: BestPlans, score: number, plan: PlanRecord, order: number): void {
  if (b.kept === b.top && ranksAfter(b, b.top - 1, score, order)) return;
  let i = b.kept < b.top ? b.kept++ : b.top - 1;
  while (i > 0 && !ranksAfter(b, i - 1, score, order)) {
    b.rows.copyWithin(i * ROW, (i - 1) * ROW, i * ROW);
    i--;
  }
  const o = i * ROW;
  b.rows[o + SCORE] = score;
  b.rows[o + ORDER] = order;
  for (let f = 0; f < FIELDS.length; f++) b.rows[o + 2 + f] = plan[FIELDS[f]];
}

/** The score a plan must beat to enter: the worst kept one's, or none (-Infinity) while there is room. */
export function scoreToBeat(b: BestPlans): number {
  return b.kept === b.top ? b.rows[(b.top - 1) * ROW + SCORE] : Number.NEGATIVE_INFINITY;
}

/** The i-th best plan, as a new record. */
export function keptPlan(b: BestPlans, i: number): PlanRecord {
  const rec = newPlanRecord();
  const o = i * ROW;
  for (let f = 0; f < FIELDS.length; f++) rec[FIELDS[f]] = b.rows[o + 2 + f];
  return rec;
}
