import type { SimulationResult } from "../engine/result.js";
import type { RunSpec } from "../engine/run.js";
import type { ProfileFile } from "../hardware/profile.js";
import type { Precision } from "../plan/schema.js";

/** What the user knows: the run (model, chip, stack) and the chip count; the plan is what search finds. */
export interface PlanSearchRequest extends RunSpec {
  chips: number;
  /** Global batch in sequences. */
  globalBatch: number;
  /** "auto" tries bf16 and, where the chip has an fp8 path, fp8. */
  precision?: Precision | "auto";
  /** How many plans to return, best first. */
  top?: number;
  profiles?: ProfileFile;
  /** When set, also count the plans whose tokens/s per chip beats this (to rank a given plan). */
  countBetterThan?: number;
}

/** Why candidate plans were thrown away, with counts. */
export type RejectionReason =
  | "tp does not divide attention heads"
  | "tp does not divide key-value heads"
  | "cp does not divide the sequence into 2·cp chunks"
  | "chips not divisible by tp x cp x pp"
  | "more pipeline chunks (pp x vpp) than layers"
  | "uneven pipeline split other than powers of two"
  | "ep does not divide experts or tp x cp x dp"
  | "global batch not divisible by dp x micro-batch"
  | "interleaved micro-batches not a multiple of pp"
  | "does not fit in memory";

/**
 * Why a search found no plan: "memory", every layout that divides was checked and none fits in
 * memory; "layout", no parallel layout divides the chips and the global batch.
 */
export type InfeasibleReason = "memory" | "layout";

export interface Infeasible {
  reason: InfeasibleReason;
  smallestFittingChips: number | null;
}

export interface PlanSearchResult {
  /**
   * Complete configurations examined: every one that keeps the layout rules, checked for memory one by
   * one or, as a group, by its leanest member (when that does not fit, none of the group does).
   */
  evaluated: number;
  /** Configurations that fit in memory (each is timed when the search ranks plans). */
  feasible: number;
  rejected: Partial<Record<RejectionReason, number>>;
  elapsedSeconds: number;
  /** Best first; each is what `simulate --json` prints for that plan. */
  plans: SimulationResult[];
  /** Plans faster than `countBetterThan` tokens/s per chip (when asked). */
  betterCount?: number;
  /** When no plan was found: why, and the smallest chip count that would fit (if any up to 1M chips). */
  infeasible?: Infeasible;
}
