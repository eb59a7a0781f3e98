import {
  RECOMPUTE_FULL,
  RECOMPUTE_OFFLOAD,
  RECOMPUTE_SELECTIVE,
  ZERO_0,
  ZERO_1,
  ZERO_3,
} from "../engine/codes.js";
import { newStageLayout, type StageLayout } from "../engine/layout.js";
import { evaluateMemory } from "../engine/memory.js";
import { C_SIZE, microBatchCosts } from "../engine/microBatch.js";
import { newPlanRecord, type PlanRecord } from "../engine/planRecord.js";
import type { Prepared } from "../engine/prepare.js";
import { OUT_SIZE, OUT_TOKENS_PER_SECOND_PER_RANK } from "../engine/slots.js";
import { assembleStep } from "../engine/step.js";
import { interleavingFillsRounds } from "../plan/rules.js";
import { type AllPlans, record } from "./allPlans.js";
import { type BestPlans, keep, newBestPlans } from "./bestPlans.js";
import { integerVerdict, recomputeCodesToTry, type SearchFilter } from "./constraintFilter.js";
import type { RejectionReason } from "./types.js";

/**
 * The search's innermost loops, over one layout: micro-batch, recomputation, ZeRO stage, sequence
 * parallelism and precision. Memory is checked first (cheap); only plans that fit are timed.
 */

const MAX_MICRO_BATCH = 64;

export interface SearchState {
  prep: Prepared;
  plan: PlanRecord;
  /** What the layout in `plan` fixes (filled once per layout by layouts.ts). */
  layout: StageLayout;
  precisions: number[];
  best: BestPlans;
  evaluated: number;
  feasible: number;
  rejected: Partial<Record<RejectionReason, number>>;
  out: Float64Array;
  timing: boolean;
  /** Micro-batch costs for [sequenceParallel x 2 + precision index], computed once per micro-batch size. */
  costs: Float64Array[];
  costsReady: boolean[];
  /** Score (tokens/s per rank) to rank against, and how many plans beat it. */
  rankAgainst: number;
  better: number;
  /** What the user's constraints and the stack allow. */
  filter: SearchFilter;
  /** The recomputation codes tried, in loop order (recomputeCodesToTry, constraintFilter.ts). */
  recomputes: readonly number[];
  /**
   * Set by layouts.ts when the layout in `plan` is outside the constraints: its plans are then only
   * counted against that reason (never evaluated), so the counts say how many plans it removed.
   */
  removedBy: RejectionReason | null;
  /** Every plan that fits, when the search collects them (`plan --all`). */
  all: AllPlans | null;
}

/** What a search over one run starts from: its precisions, how many plans it keeps, and its filter. */
export interface SearchSetup {
  globalBatch: number;
  /** PRECISION_* codes tried. */
  precisions: number[];
  top: number;
  /** Tokens/s per rank to count better plans against (infinity: not counted). */
  rankAgainst: number;
  /** False: count what fits without timing it. */
  timing: boolean;
  filter: SearchFilter;
}

export function newSearchState(prep: Prepared, setup: SearchSetup): SearchState {
  const plan = newPlanRecord();
  plan.globalBatch = setup.globalBatch;
  return {
    prep,
    plan,
    layout: newStageLayout(),
    precisions: setup.precisions,
    best: newBestPlans(Math.max(1, setup.top)),
    evaluated: 0,
    feasible: 0,
    rejected: {},
    out: new Float64Array(OUT_SIZE),
    timing: setup.timing,
    costs: [0, 1, 2, 3].map(() => new Float64Array(C_SIZE)),
    costsReady: [false, false, false, false],
    rankAgainst: setup.rankAgainst,
    better: 0,
    filter: setup.filter,
    recomputes: recomputeCodesToTry(setup.filter, prep.hw.hostLinkBytesPerSecond > 0),
    removedBy: null,
    all: null,
  };
}

export function reject(state: SearchState, reason: RejectionReason, count = 1): void {
  state.rejected[reason] = (state.rejected[reason] ?? 0) + count;
}

/**
 * Memory only grows with the micro-batch, and only shrinks with more sharding and sequence
 * parallelism: when the leanest variant of a micro-batch (most sharding, sequence parallelism, the
 * leanest precision, the leanest recomputation) does not fit, no larger micro-batch does.
 */
function leanestFits(s: SearchState, zeroTop: number, spMax: number): boolean {
  const { prep: p, plan, out } = s;
  plan.zero = zeroTop;
  plan.sp = spMax;
  // fp8, where tried, stores GEMM inputs in one byte: the leanest precision is the last one.
  plan.fp8 = s.precisions[s.precisions.length - 1];
  plan.recompute = RECOMPUTE_FULL;
  const full = evaluateMemory(p, plan, s.layout, out);
  plan.recompute = RECOMPUTE_SELECTIVE;
  const selective = evaluateMemory(p, plan, s.layout, out);
  let leanest = Math.min(full, selective);
  // Offloading, and the recomputations beyond the first four a stack or the user names.
  for (const rc of s.recomputes) {
    if (rc < RECOMPUTE_OFFLOAD) continue;
    plan.recompute = rc;
    leanest = Math.min(leanest, evaluateMemory(p, plan, s.layout, out));
  }
  return leanest <= p.hw.hbmBytes;
}

/**
 * The innermost loops over one layout (tp, cp, pp, vpp, dp, ep already in `s.plan`): micro-batch,
 * recompute, ZeRO, sequence parallelism, precision.
 */
export function searchLayout(s: SearchState): void {
  const plan = s.plan;
  const { tp, pp, vpp, dp, cp } = plan;
  const perRankBatch = plan.globalBatch / dp;
  if (!Number.isInteger(perRankBatch)) {
    reject(s, "global batch not divisible by dp x micro-batch");
    return;
  }
  const zeroMax = pp === 1 ? ZERO_3 : ZERO_1; // Megatron shards gradients/weights only without pipelining
  const spMax = tp > 1 ? 1 : 0;
  const zeroTop = dp * cp === 1 ? ZERO_0 : zeroMax; // nothing to shard without replicas
  const recomputes = s.recomputes;
  const perMicroBatch = recomputes.length * (zeroTop + 1) * (spMax + 1) * s.precisions.length;
  const f = s.filter;
  const allowedPerMicroBatch = f.active ? allowedInner(s, zeroTop, spMax) : perMicroBatch;
  let searched = 0;
  let noneFit = false;
  // Every micro-batch that divides the per-rank batch (published runs use 6, 10, 12, 40...).
  for (let mb = 1; mb <= MAX_MICRO_BATCH && mb <= perRankBatch; mb++) {
    if (perRankBatch % mb !== 0) continue;
    const m = perRankBatch / mb;
    if (!interleavingFillsRounds(m, pp, vpp)) {
      reject(s, "interleaved micro-batches not a multiple of pp", perMicroBatch);
      continue;
    }
    const removedBy = s.removedBy ?? integerVerdict(f, "microBatch", mb);
    if (removedBy !== null) {
      reject(s, removedBy, perMicroBatch);
      continue;
    }
    searched++;
    plan.microBatch = mb;
    plan.microBatches = m;
    if (!noneFit) noneFit = !leanestFits(s, zeroTop, spMax);
    if (noneFit) {
      // Examined as a group: the leanest of them does not fit, so none of those the filter allows does.
      s.evaluated += allowedPerMicroBatch;
      reject(s, "does not fit in memory", allowedPerMicroBatch);
      continue;
    }
    for (let i = 0; i < 4; i++) s.costsReady[i] = false;
    for (const rc of recomputes) {
      if (f.recompute[rc] !== null) continue;
      plan.recompute = rc;
      for (let zero = 0; zero <= zeroTop; zero++) {
        if (f.zero[zero] !== null) continue;
        plan.zero = zero;
        for (let sp = 0; sp <= spMax; sp++) {
          if (spMax > 0 && f.sequenceParallel[sp] !== null) continue;
          plan.sp = sp;
          for (let k = 0; k < s.precisions.length; k++) {
            plan.fp8 = s.precisions[k];
            if (f.precision[plan.fp8] !== null) continue;
            timeIfItFits(s, sp * 2 + k);
          }
        }
      }
    }
  }
  if (f.active && searched > 0) rejectInner(s, zeroTop, spMax, searched);
}

/** How many of one micro-batch's recompute x ZeRO x sp x precision variants the filter allows. */
function allowedInner(s: SearchState, zeroTop: number, spMax: number): number {
  const f = s.filter;
  let n = 1;
  n *= allowedRecomputes(s);
  n *= allowedCodes(f.zero, zeroTop + 1);
  // Sequence parallelism needs tp > 1: a constraint on it says nothing about tp = 1 plans.
  if (spMax > 0) n *= allowedCodes(f.sequenceParallel, spMax + 1);
  let precisions = 0;
  for (const code of s.precisions) if (f.precision[code] === null) precisions++;
  return n * precisions;
}

function allowedCodes(verdicts: readonly (RejectionReason | null)[], size: number): number {
  let n = 0;
  for (let c = 0; c < size; c++) if (verdicts[c] === null) n++;
  return n;
}

function allowedRecomputes(s: SearchState): number {
  let n = 0;
  for (const rc of s.recomputes) if (s.filter.recompute[rc] === null) n++;
  return n;
}

/**
 * Counts the inner variants the filter removed over `times` micro-batch sizes, each against the first
 * dimension (in loop order: recompute, ZeRO, sp, precision) whose value it removes.
 */
function rejectInner(s: SearchState, zeroTop: number, spMax: number, times: number) {
  const f = s.filter;
  const nZero = zeroTop + 1;
  const nSp = spMax + 1;
  const nPrecision = s.precisions.length;
  const okRc = allowedRecomputes(s);
  const okZero = allowedCodes(f.zero, nZero);
  const okSp = spMax > 0 ? allowedCodes(f.sequenceParallel, nSp) : nSp;
  for (const rc of s.recomputes) {
    const why = f.recompute[rc];
    if (why !== null) reject(s, why, times * nZero * nSp * nPrecision);
  }
  for (let z = 0; z < nZero; z++) {
    const why = f.zero[z];
    if (why !== null) reject(s, why, times * okRc * nSp * nPrecision);
  }
  for (let sp = 0; sp < nSp && spMax > 0; sp++) {
    const why = f.sequenceParallel[sp];
    if (why !== null) reject(s, why, times * okRc * okZero * nPrecision);
  }
  for (const code of s.precisions) {
    const why = f.precision[code];
    if (why !== null) reject(s, why, times * okRc * okZero * okSp);
  }
}

/** Checks the plan in `s.plan` against memory and, if it fits (and the search times), times and ranks it. */
function timeIfItFits(s: SearchState, costSlot: number): void {
  const { prep: p, plan, out } = s;
  s.evaluated++;
  if (evaluateMemory(p, plan, s.layout, out) > p.hw.hbmBytes) {
    reject(s, "does not fit in memory");
    return;
  }
  s.feasible++;
  if (!s.timing) return;
  const costs = s.costs[costSlot];
  if (!s.costsReady[costSlot]) {
    microBatchCosts(p, plan, costs);
    s.costsReady[costSlot] = true;
  }
  assembleStep(p, costs, plan, s.layout, out);
  const score = out[OUT_TOKENS_PER_SECOND_PER_RANK];
  if (score > s.rankAgainst) s.better++;
  keep(s.best, score, plan);
  if (s.all !== null) record(s.all, plan, out);
}
