import { newPlanRecord, type PlanRecord } from "../engine/planRecord.js";

/**
 * The best K plans seen so far, as numbers in one typed array sorted best first: a score (tokens/s
 * per rank) and the plan record's fields. Inserting allocates nothing.
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
const ROW = 1 + FIELDS.length;

export function newBestPlans(top: number): BestPlans {
  return { top, kept: 0, rows: new Float64Array(top * ROW) };
}

/** Inserts a plan if it beats the worst kept one (ties keep the earlier plan first). */
export function keep(b: BestPlans, score: number, plan: PlanRecord): void {
  if (b.kept === b.top && score <= b.rows[(b.top - 1) * ROW]) return;
  let i = b.kept < b.top ? b.kept++ : b.top - 1;
  while (i > 0 && b.rows[(i - 1) * ROW] < score) {
    b.rows.copyWithin(i * ROW, (i - 1) * ROW, i * ROW);
    i--;
  }
  const o = i * ROW;
  b.rows[o] = score;
  for (let f = 0; f < FIELDS.length; f++) b.rows[o + 1 + f] = plan[FIELDS[f]];
}

/** The i-th best plan, as a new record. */
export function keptPlan(b: BestPlans, i: number): PlanRecord {
  const rec = newPlanRecord();
  const o = i * ROW;
  for (let f = 0; f < FIELDS.length; f++) rec[FIELDS[f]] = b.rows[o + 1 + f];
  return rec;
}
