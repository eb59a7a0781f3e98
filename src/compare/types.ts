import type { SimulationResult } from "../engine/result.js";
import type { ProfileFile } from "../hardware/profile.js";
import type { Chip } from "../hardware/schema.js";
import type { PlanConstraints } from "../plan/constraints.js";
import type { Precision } from "../plan/schema.js";
import type { Framework, Software } from "../plan/software.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import type { Model } from "../workload/schema.js";
import type { EconomicsInput, PriceSource, RunEconomics } from "./economics.js";
import type { NoPlan } from "./noPlan.js";

/** The shapes of a chip comparison: its input, each chip's row and the candidate counts behind it. */

/** Inputs of a comparison that have a default. */
export type DefaultedInput = "globalBatch" | "precision";

/** The run-economics options (prices, goodput, energy, carbon) pass straight through to runEconomics. */
export interface CompareInput
  extends Pick<
    EconomicsInput,
    "pricing" | "region" | "priceOverrides" | "goodput" | "gCO2PerKWh" | "pue" | "tdpW"
  > {
  model: Model;
  tokens: number;
  /** Default: every chip in the catalog (those that cannot hold the model report why). */
  chips?: readonly Chip[];
  /** "auto" (default): the instance size × 2^k up to 65,536. */
  chipCounts?: readonly number[] | "auto";
  deadlineDays?: number;
  budgetUsd?: number;
  seqLen?: number;
  /** Global batch in sequences; default by model size (batch.ts). */
  globalBatch?: number;
  /** Default bf16, what published large runs used; "auto" lets the search use fp8 where the chip has it. */
  precision?: Precision | "auto";
  profiles?: ProfileFile;
  /** Fixed or bounded plan dimensions, applied to every chip's search. */
  constraints?: PlanConstraints;
  /** The stack's knobs (its physics), for every chip's search; default each chip's usual stack, stated. */
  software?: Software;
  /** The stack that runs the plans (default: none on NVIDIA, NeuronX Distributed on Trainium, stated). */
  framework?: Framework;
  /** Longest run considered without a deadline (default 120 days). */
  maxDays?: number;
  onProgress?: (done: number, total: number) => void;
  /** Plan search (default searchPlans); tests pass stubs, the web app a cached one. */
  search?: (request: PlanSearchRequest) => PlanSearchResult;
}

/** One chip count tried for a chip. */
export interface CandidateSummary {
  chips: number;
  feasible: boolean;
  days: number | null;
  costUsd: number | null;
  tokensPerSecondPerChip: number | null;
  goodput: number | null;
  /** Why there is no plan, as a fact; null when there is one. */
  noPlan: NoPlan | null;
  /** The same in words (report/noPlanText.ts). */
  note: string | null;
}

export interface CompareRow {
  chip: string;
  instance: string | null;
  chips: number | null;
  days: number | null;
  costUsd: number | null;
  usdPerChipHour: number | null;
  usdPerMillionTokens: number | null;
  energyMWh: number | null;
  tCO2e: number | null;
  /** Useful fraction of wall-clock time (goodput.ts). */
  goodput: number | null;
  /** The full goodput result: hours lost per 1,000 to checkpoints, rework and restarts, and why. */
  goodputDetail: RunEconomics["goodput"] | null;
  chipHours: number | null;
  priceSource: PriceSource | null;
  meetsConstraints: boolean;
  /** Why this count (pickCount.ts), or why no count has a plan (noPlanText.ts). */
  reason: string;
  /** Set when no count has a plan: the reason at the largest count searched (and at the last, if other). */
  noPlan: NoPlan[] | null;
  /** The chosen plan, as `plan --json` prints it. */
  plan: SimulationResult | null;
  candidates: CandidateSummary[];
}

export interface CompareResult {
  model: string;
  tokens: number;
  seqLen: number;
  globalBatch: number;
  rows: CompareRow[];
  /** Chip ids of the rows on the time-versus-cost Pareto frontier, fastest first. */
  frontier: string[];
  assumptions: string[];
  /** The inputs left unsaid and filled with a default. */
  defaulted: DefaultedInput[];
}
