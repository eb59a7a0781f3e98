import { PRECISION_BF16, PRECISION_FP8 } from "../engine/codes.js";
import { checkResolvedPlan, checkSearchRequest } from "../engine/inputChecks.js";
import { parallelismOf } from "../engine/planRecord.js";
import type { Prepared } from "../engine/prepare.js";
import { precisionNotes } from "../engine/resolvePlan.js";
import { type SimulationResult, simulationResult } from "../engine/result.js";
import { prepareRun, runSoftware } from "../engine/run.js";
import type { PlanConstraints } from "../plan/constraints.js";
import { inStackWords, selectiveRecomputeOf } from "../plan/softwareDefaults.js";
import { intersectConstraints, knobConstraints, stackFor } from "../plan/stackCapabilities.js";
import { modelFlopsPerToken } from "../workload/flops.js";
import { newAllPlans, planMetrics } from "./allPlans.js";
import { keptPlan } from "./bestPlans.js";
import { boundedSearch } from "./boundedSearch.js";
import { removedByWhom, type SearchFilter, sharedFilter } from "./constraintFilter.js";
import { newSearchState, rejectionCounts, type SearchState } from "./layoutSearch.js";
import { enumerateLayouts } from "./layouts.js";
import { type FitsByRanks, fitsKnown, type SearchRun, searchRun } from "./searchRuns.js";
import type { PlanSearchRequest, PlanSearchResult, RejectionReason, SearchStack } from "./types.js";

/**
 * Plan search over every combination of tp, cp, pp, vpp, ep (layouts.ts), micro-batch,
 * recomputation, ZeRO stage, sequence parallelism and precision that divides evenly: memory is
 * checked first (cheap), and only plans that fit are timed. By default the search is bounded
 * (boundedSearch.ts): what a lower bound on its step time shows cannot enter the top K is skipped,
 * and the top K are those of the exhaustive search (`exhaustive: true`), which checks everything. The
 * loop allocates nothing per configuration: one plan record is rewritten in place, the evaluator
 * writes into one scratch array, and the best K plans are kept as numbers in a typed array
 * (bestPlans.ts). The K winners are then built into readable results by the same evaluator simulate
 * uses, so the two agree by construction.
 */

function precisionCodes(req: PlanSearchRequest): number[] {
  const want = req.precision ?? "auto";
  if (want === "bf16" || want === "fp16") return [PRECISION_BF16];
  if (want === "fp8") return [PRECISION_FP8];
  return req.chip.peakTflops.fp8 != null ? [PRECISION_BF16, PRECISION_FP8] : [PRECISION_BF16];
}

function newState(
  prep: Prepared,
  req: PlanSearchRequest,
  timing: boolean,
  filter: SearchFilter,
  shared: Pick<SearchRun, "microBatches" | "pairFloors"> | null = null,
): SearchState {
  return newSearchState(prep, {
    globalBatch: req.globalBatch,
    precisions: precisionCodes(req),
    top: req.top ?? 5,
    rankAgainst:
      req.countBetterThan != null ? req.countBetterThan / prep.hw.ranksPerChip : Number.POSITIVE_INFINITY,
    timing,
    filter,
    shared,
    shardWithPipelining: searchStack(req)?.shardsWithPipelining === true,
  });
}

/**
 * A framework named for the search is also the stack the plans are timed with (its knobs' defaults,
 * softwareDefaults.ts), unless the request's software names one itself: the plans kept to what
 * torchtitan runs are timed as torchtitan runs them, not as Megatron-Core would.
 */
function withStackSoftware(req: PlanSearchRequest): PlanSearchRequest {
  if (req.framework === undefined || req.software?.framework != null) return req;
  return { ...req, software: { ...req.software, framework: req.framework } };
}

/**
 * The stack the search keeps to: the framework named for the search, else the one the run's software
 * names (the stack its plans are timed with, as simulate's fill keeps to it), or Trainium's default
 * (stated), or none.
 */
function searchStack(req: PlanSearchRequest): SearchStack | null {
  const stack = stackFor(req.chip, req.framework ?? req.software?.framework ?? undefined);
  return stack ? { ...stack.capabilities, defaulted: stack.defaulted } : null;
}

/** What a plan found under a stack assumed: that stack, and whether it was chosen by default. */
function stackNotes(req: PlanSearchRequest, stack: SearchStack | null): string[] {
  if (!stack) return [];
  const why = stack.defaulted
    ? ", the default Neuron stack on Trainium (name a framework to choose another)"
    : "";
  const notes = [`plans kept to what ${stack.framework} runs${why}; capabilities read at ${stack.version}`];
  const selective = selectiveRecomputeOf(stack.framework);
  if (selective.recompute !== "selective" && req.constraints?.recompute?.includes("selective")) {
    notes.push(
      `recompute "selective" read as ${selective.recompute} on ${stack.framework} (${selective.because})`,
    );
  }
  return notes;
}

/** The user's constraints in the stack's words: its own "selective" (selectiveRecomputeOf). */
function constraintsOnStack(req: PlanSearchRequest, stack: SearchStack | null): PlanConstraints | undefined {
  const c = req.constraints;
  return stack && c ? inStackWords(c, stack.framework) : c;
}

function filterOf(req: PlanSearchRequest, stack: SearchStack | null): SearchFilter {
  // No stack: every recomputation the engine models, Megatron-Core's modules among them (null).
  const forms = stack ? (stack.recomputeForms ?? []) : null;
  return sharedFilter(constraintsOnStack(req, stack), stackLimits(req, stack), forms);
}

/** The stack's table, narrowed by what the run's own release and knobs cannot run (knobConstraints). */
function stackLimits(req: PlanSearchRequest, stack: SearchStack | null): PlanConstraints | undefined {
  const knobs = knobConstraints(runSoftware(withStackSoftware(req)));
  if (Object.keys(knobs).length === 0) return stack?.constraints;
  return stack ? intersectConstraints(knobs, stack.constraints, stack.recomputeForms) : knobs;
}

/** The smallest chip count (powers of two from `from`) at which some plan fits, or null. */
export function smallestFittingChips(req: PlanSearchRequest, from: number): number | null {
  checkSearchRequest(req);
  const cached = searchRun(req);
  const filter = filterOf(req, searchStack(req));
  return smallestFittingFrom(cached.run.prep, req, from, filter, fitsOf(cached, req, filter));
}

/**
 * What is known of the counts that fit for this request's run (fitsKnown), or null for the
 * exhaustive search, which probes afresh as the reference.
 */
function fitsOf(cached: SearchRun | null, req: PlanSearchRequest, filter: SearchFilter): FitsByRanks | null {
  if (cached === null) return null;
  const setting = `${req.globalBatch} ${precisionCodes(req).join(",")} ${searchStack(req)?.shardsWithPipelining === true}`;
  return fitsKnown(cached, filter, setting);
}

function smallestFittingFrom(
  prep: Prepared,
  req: PlanSearchRequest,
  from: number,
  filter: SearchFilter,
  known: FitsByRanks | null,
): number | null {
  if (req.globalBatch < 1) return null;
  for (let n = Math.max(1, from); n <= 1 << 20; n *= 2) {
    if (fitsAt(prep, req, n * prep.hw.ranksPerChip, filter, known)) return n;
  }
  return null;
}

/** Whether any plan fits at `ranks`: from what is known, else a search stopping at the first fit. */
function fitsAt(
  prep: Prepared,
  req: PlanSearchRequest,
  ranks: number,
  filter: SearchFilter,
  known: FitsByRanks | null,
): boolean {
  const before = known?.get(ranks);
  if (before !== undefined) return before;
  const s = newState(prep, req, false, filter);
  s.stopAtFirstFit = true;
  enumerateLayouts(s, ranks);
  known?.set(ranks, s.feasible > 0);
  return s.feasible > 0;
}

/**
 * Runs the search (bounded unless `exhaustive` or `collectAll`, which needs every plan timed) and
 * returns the top plans, fully evaluated.
 */
export function searchPlans(request: PlanSearchRequest, now: () => number = () => 0): PlanSearchResult {
  checkSearchRequest(request);
  const req = withStackSoftware(request);
  const t0 = now();
  const exhaustive = req.exhaustive === true || req.collectAll === true;
  // The exhaustive search is the reference: prepared afresh, its costs computed per layout, as ever.
  const cached = exhaustive ? null : searchRun(req);
  const run = cached?.run ?? prepareRun(req, { profiles: req.profiles });
  const stack = searchStack(req);
  const filter = filterOf(req, stack);
  const s = newState(run.prep, req, true, filter, cached);
  if (req.collectAll) s.all = newAllPlans();
  const ranks = req.chips * run.prep.hw.ranksPerChip;
  const known = fitsOf(cached, req, filter);
  if (exhaustive) enumerateLayouts(s, ranks);
  else boundedSearch(s, ranks);
  // Nothing is pruned before a plan fits (boundedSearch.ts), so `feasible` says whether any does.
  known?.set(ranks, s.feasible > 0);
  const plans: SimulationResult[] = [];
  const scale = { model: req.model, chip: req.chip, chipCount: req.chips };
  for (let i = 0; i < s.best.kept; i++) {
    const plan = parallelismOf(keptPlan(s.best, i));
    const assumptions = [
      ...run.assumptions,
      ...precisionNotes(req.chip, plan.precision),
      ...stackNotes(req, stack),
    ];
    plans.push(simulationResult(scale, run.prep, plan, req.globalBatch, run, assumptions));
  }
  const result: PlanSearchResult = {
    evaluated: s.evaluated,
    feasible: s.feasible,
    memoryChecks: s.memoryChecks,
    rejected: rejectionCounts(s),
    elapsedSeconds: 0,
    plans,
  };
  if (req.countBetterThan != null) result.betterCount = s.better;
  if (req.constraints !== undefined) result.constraints = req.constraints;
  if (stack) result.stack = stack;
  if (s.all) {
    const flops = modelFlopsPerToken(req.model, run.prep.seqLen);
    result.allPlans = planMetrics(s.all, run.prep.hw.ranksPerChip, flops, req.chip.peakTflops.bf16);
  }
  if (s.best.kept === 0) {
    result.infeasible = {
      reason: infeasibleReason(s.feasible, result.rejected),
      smallestFittingChips: smallestFittingFrom(run.prep, req, req.chips * 2, filter, known),
    };
  }
  result.elapsedSeconds = (now() - t0) / 1000;
  return result;
}

/**
 * Why nothing was found: plans were checked and none fits ("memory"), layouts divided but the
 * constraints or the stack removed them all ("constraints"), or nothing divides ("layout").
 */
function infeasibleReason(
  feasible: number,
  rejected: Partial<Record<RejectionReason, number>>,
): "memory" | "layout" | "constraints" {
  if (feasible === 0 && (rejected["does not fit in memory"] ?? 0) > 0) return "memory";
  const removed = Object.entries(rejected).some(
    ([reason, n]) => (n ?? 0) > 0 && removedByWhom(reason as RejectionReason) !== null,
  );
  return removed ? "constraints" : "layout";
}

/** One fully specified plan of a search request (a search winner's, as is), evaluated for its readable breakdown. */
export function simulatePlan(
  req: PlanSearchRequest,
  plan: SimulationResult["parallelism"],
): SimulationResult {
  checkSearchRequest(req);
  const { run } = searchRun(req);
  checkResolvedPlan(
    plan,
    req.chips * run.prep.hw.ranksPerChip,
    run.prep.seqLen,
    req.globalBatch,
    run.prep.layers,
  );
  const scale = { model: req.model, chip: req.chip, chipCount: req.chips };
  const assumptions = [...run.assumptions, ...precisionNotes(req.chip, plan.precision)];
  return simulationResult(scale, run.prep, plan, req.globalBatch, run, assumptions);
}
