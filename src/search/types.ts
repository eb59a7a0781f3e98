import type { SimulationResult } from "../engine/result.js";
import type { RunSpec } from "../engine/run.js";
import type { ProfileFile } from "../hardware/profile.js";
import type { ConstrainedDimension, PlanConstraints } from "../plan/constraints.js";
import type { Precision } from "../plan/schema.js";
import type { Framework } from "../plan/software.js";
import type { StackCapabilities } from "../plan/stackCapabilities.js";
import type { PlanMetrics } from "./allPlans.js";

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
  /** Fixed or bounded dimensions (`tp: 8`, `pp: { min: 1, max: 4 }`); what is left out is searched in full. */
  constraints?: PlanConstraints;
  /**
   * The stack that will run the plan: the search keeps to what it can run (stackCapabilities.ts).
   * Unset: no stack restriction, except on Trainium, where NeuronX Distributed applies (and is stated).
   */
  framework?: Framework;
  /** Also return every plan that fits, with its metrics (`plan --all`); one search, not a sweep. */
  collectAll?: boolean;
  /**
   * Check and time every configuration, with no step-time bound (boundedSearch.ts): the same plans,
   * slower; `feasible` then counts every plan that fits. The reference the bounded search is tested
   * against.
   */
  exhaustive?: boolean;
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
  | "does not fit in memory"
  | "cannot enter the top plans (step-time lower bound)"
  | `outside the constraint on ${ConstrainedDimension}`
  | `not run by the stack (${ConstrainedDimension})`;

/**
 * Why a search found no plan: "memory", every layout that divides was checked and none fits in
 * memory; "layout", no parallel layout divides the chips and the global batch; "constraints", layouts
 * divide but the user's constraints or the stack removed every one of them before memory was checked.
 */
export type InfeasibleReason = "memory" | "layout" | "constraints";

export interface Infeasible {
  reason: InfeasibleReason;
  smallestFittingChips: number | null;
}

/** The stack a search kept to, and whether it was the default (Trainium with no framework named). */
export type SearchStack = StackCapabilities & { defaulted: boolean };

export interface PlanSearchResult {
  /**
   * Complete configurations examined: every one that keeps the layout rules and the constraints,
   * checked for memory one by one or, as a group, by its leanest member (when that does not fit, none
   * of the group does), or ruled out by the step-time bound (rejected "cannot enter the top plans"):
   * the same number whether the search is bounded or exhaustive.
   */
  evaluated: number;
  /**
   * Configurations found to fit in memory, each timed when the search ranks plans. The bounded search
   * checks only those its bound does not rule out; the exhaustive one, all.
   */
  feasible: number;
  /** Memory evaluations made, one per configuration checked one by one plus the leanest-member probes. */
  memoryChecks: number;
  rejected: Partial<Record<RejectionReason, number>>;
  elapsedSeconds: number;
  /** Best first; each is what `simulate --json` prints for that plan. */
  plans: SimulationResult[];
  /** Plans faster than `countBetterThan` tokens/s per chip (when asked). */
  betterCount?: number;
  /** When no plan was found: why, and the smallest chip count that would fit (if any up to 1M chips). */
  infeasible?: Infeasible;
  /** The user's constraints, when given. */
  constraints?: PlanConstraints;
  /** The stack whose capabilities restricted the search, when one did. */
  stack?: SearchStack;
  /** Every plan that fits, fastest first, when `collectAll` was asked. */
  allPlans?: PlanMetrics[];
}
