import { PRECISION_BF16, PRECISION_FP8 } from "../engine/codes.js";
import { checkResolvedPlan, checkSearchRequest } from "../engine/inputChecks.js";
import { newStageLayout } from "../engine/layout.js";
import { C_SIZE } from "../engine/microBatch.js";
import { newPlanRecord, parallelismOf } from "../engine/planRecord.js";
import type { Prepared } from "../engine/prepare.js";
import { precisionNotes } from "../engine/resolvePlan.js";
import { type SimulationResult, simulationResult } from "../engine/result.js";
import { prepareRun } from "../engine/run.js";
import { OUT_SIZE } from "../engine/slots.js";
import { keptPlan, newBestPlans } from "./bestPlans.js";
import type { SearchState } from "./layoutSearch.js";
import { enumerateLayouts } from "./layouts.js";
import type { PlanSearchRequest, PlanSearchResult } from "./types.js";

/**
 * Exhaustive plan search. Every combination of tp, cp, pp, vpp, ep (layouts.ts), micro-batch,
 * recomputation, ZeRO stage, sequence parallelism and precision that divides evenly is checked for
 * memory first (cheap), and only plans that fit are timed. The loop allocates nothing per
 * configuration: one plan record is rewritten in place, the evaluator writes into one scratch array,
 * and the best K plans are kept as numbers in a typed array (bestPlans.ts). The K winners are then
 * built into readable results by the same evaluator simulate uses, so the two agree by construction.
 */

function precisionCodes(req: PlanSearchRequest): number[] {
  const want = req.precision ?? "auto";
  if (want === "bf16" || want === "fp16") return [PRECISION_BF16];
  if (want === "fp8") return [PRECISION_FP8];
  return req.chip.peakTflops.fp8 != null ? [PRECISION_BF16, PRECISION_FP8] : [PRECISION_BF16];
}

function newState(prep: Prepared, req: PlanSearchRequest, timing: boolean): SearchState {
  const plan = newPlanRecord();
  plan.globalBatch = req.globalBatch;
  return {
    prep,
    plan,
    layout: newStageLayout(),
    precisions: precisionCodes(req),
    best: newBestPlans(Math.max(1, req.top ?? 5)),
    evaluated: 0,
    feasible: 0,
    rejected: {},
    out: new Float64Array(OUT_SIZE),
    timing,
    costs: [0, 1, 2, 3].map(() => new Float64Array(C_SIZE)),
    costsReady: [false, false, false, false],
    rankAgainst:
      req.countBetterThan != null ? req.countBetterThan / prep.hw.ranksPerChip : Number.POSITIVE_INFINITY,
    better: 0,
  };
}

/** The smallest chip count (powers of two from `from`) at which some plan fits, or null. */
export function smallestFittingChips(req: PlanSearchRequest, from: number): number | null {
  checkSearchRequest(req);
  const { prep } = prepareRun(req, { profiles: req.profiles });
  return smallestFittingFrom(prep, req, from);
}

function smallestFittingFrom(prep: Prepared, req: PlanSearchRequest, from: number): number | null {
  if (req.globalBatch < 1) return null;
  for (let n = Math.max(1, from); n <= 1 << 20; n *= 2) {
    const s = newState(prep, req, false);
    enumerateLayouts(s, n * prep.hw.ranksPerChip);
    if (s.feasible > 0) return n;
  }
  return null;
}

/** Runs the exhaustive search and returns the top plans, fully evaluated. */
export function searchPlans(req: PlanSearchRequest, now: () => number = () => 0): PlanSearchResult {
  checkSearchRequest(req);
  const t0 = now();
  const run = prepareRun(req, { profiles: req.profiles });
  const s = newState(run.prep, req, true);
  enumerateLayouts(s, req.chips * run.prep.hw.ranksPerChip);
  const plans: SimulationResult[] = [];
  const scale = { model: req.model, chip: req.chip, chipCount: req.chips };
  for (let i = 0; i < s.best.kept; i++) {
    const plan = parallelismOf(keptPlan(s.best, i));
    const assumptions = [...run.assumptions, ...precisionNotes(req.chip, plan.precision)];
    plans.push(simulationResult(scale, run.prep, plan, req.globalBatch, run.profileFrom, assumptions));
  }
  const result: PlanSearchResult = {
    evaluated: s.evaluated,
    feasible: s.feasible,
    rejected: s.rejected,
    elapsedSeconds: 0,
    plans,
  };
  if (req.countBetterThan != null) result.betterCount = s.better;
  if (s.best.kept === 0) {
    result.infeasible = {
      reason: s.feasible === 0 && (s.rejected["does not fit in memory"] ?? 0) > 0 ? "memory" : "layout",
      smallestFittingChips: smallestFittingFrom(run.prep, req, req.chips * 2),
    };
  }
  result.elapsedSeconds = (now() - t0) / 1000;
  return result;
}

/** One fully specified plan of a search request (a search winner's, as is), evaluated for its readable breakdown. */
export function simulatePlan(
  req: PlanSearchRequest,
  plan: SimulationResult["parallelism"],
): SimulationResult {
  checkSearchRequest(req);
  const run = prepareRun(req, { profiles: req.profiles });
  checkResolvedPlan(plan, req.chips * run.prep.hw.ranksPerChip, run.prep.seqLen, req.globalBatch);
  const scale = { model: req.model, chip: req.chip, chipCount: req.chips };
  const assumptions = [...run.assumptions, ...precisionNotes(req.chip, plan.precision)];
  return simulationResult(scale, run.prep, plan, req.globalBatch, run.profileFrom, assumptions);
}
