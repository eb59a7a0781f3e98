import type { NoPlan } from "../compare/noPlan.js";
import type { Infeasible } from "../search/types.js";

/** What a sentence about a missing plan needs to name. */
export interface NoPlanContext {
  model: string;
  chip: string;
  chips: number;
  globalBatch: number;
}

/** A search's reason for finding no plan, as one clause. */
export function infeasibleText(inf: Infeasible | undefined, c: NoPlanContext): string {
  if (inf?.reason === "memory") return `no plan for ${c.model} fits in ${c.chip} memory on ${c.chips} chips`;
  if (inf?.reason === "layout") {
    return `no parallel layout divides evenly for ${c.chips} chips and global batch ${c.globalBatch}`;
  }
  if (inf?.reason === "constraints") {
    return `the constraints (and the stack) remove every layout that divides ${c.chips} chips and global batch ${c.globalBatch}`;
  }
  return "no plan found";
}

/** A comparison's reason for a chip count without a plan, as one clause. */
export function noPlanText(n: NoPlan, c: NoPlanContext): string {
  switch (n.kind) {
    case "search":
      return n.reason === "unknown"
        ? "no plan found"
        : infeasibleText({ reason: n.reason, smallestFittingChips: n.smallestFittingChips }, c);
    case "noProgress":
      return `no forward progress: ${n.warnings.join("; ")}`;
    case "skipped":
      return n.smallestFittingChips === null
        ? `no plan fits on ${n.chainStart} x 2^k chips (checked after ${n.chainStart})`
        : `no plan fits below ${n.smallestFittingChips} chips on ${n.chainStart} x 2^k (checked after ${n.chainStart})`;
  }
}
