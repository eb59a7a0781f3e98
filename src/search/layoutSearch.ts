import {
  RECOMPUTE_CODES,
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
import { modulesCandidateCode } from "../engine/recompute.js";
import { OUT_SIZE, OUT_TOKENS_PER_SECOND_PER_RANK } from "../engine/slots.js";
import { assembleStep } from "../engine/step.js";
import { interleavingFillsRounds } from "../plan/rules.js";
import { type AllPlans, record } from "./allPlans.js";
import { type BestPlans, keep, newBestPlans } from "./bestPlans.js";
import { integerVerdict, recomputeCodesToTry, type SearchFilter } from "./constraintFilter.js";
import { cachedCosts, type MicroBatchCache } from "./lowerBound.js";
import type { RejectionReason } from "./types.js";

/**
 * The search's innermost loops, over one layout: micro-batch, recomputation, ZeRO stage, sequence
 * parallelism and precision. Memory is checked first (cheap); only plans that fit are timed.
 */

export const MAX_MICRO_BATCH = 64;

/**
 * Places in the exhaustive order: a layout's plans follow the layout's ordinal (ORDER_STRIDE apart),
 * and within it (micro-batch, recomputation, ZeRO, sp, precision) in loop order (innerOrder). The
 * recomputations are tried in ascending code order (recomputeCodesToTry), so the code orders them; a
 * layout spans at most (64 + 1) x RECOMPUTE_CODES x 4 x 2 x 2 < 2^22 places, and 2^22 times the
 * largest ordinal (layouts.ts) stays far inside a double's exact integers.
 */
export const ORDER_STRIDE = 1 << 22;

export interface SearchState {
  prep: Prepared;
  /** ZeRO-2/3 tried with pipelining too (SearchSetup.shardWithPipelining). */
  shardWithPipelining: boolean;
  plan: PlanRecord;
  /** What the layout in `plan` fixes (filled once per layout by layouts.ts). */
  layout: StageLayout;
  precisions: number[];
  best: BestPlans;
  evaluated: number;
  feasible: number;
  /** Plans refused, by reason; the three refused most often are tallied apart (rejectionCounts). */
  rejected: Partial<Record<RejectionReason, number>>;
  interleaved: number;
  tooLarge: number;
  boundedOut: number;
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
  /** Memory evaluations made, the leanest-variant probes included (the bench's "memory-checked"). */
  memoryChecks: number;
  /** The place of the current layout's first plan in the exhaustive order (see ORDER_STRIDE). */
  order: number;
  /** Layouts handed to the inner loops so far, removed ones included: the next layout's ordinal. */
  layoutsSeen: number;
  /**
   * The run's micro-batch costs shared across layouts and chip counts (lowerBound.ts), or null in the
   * exhaustive search, which computes them afresh per layout as it always has.
   */
  microBatches: MicroBatchCache | null;
  /** The bounded search's floors per (tp, cp) pair, shared like `microBatches` (boundedSearch.ts). */
  pairFloors: Map<string, Float64Array> | null;
  /** Stop at the first plan that fits (the search for the smallest fitting chip count). */
  stopAtFirstFit: boolean;
  /** The micro-batch sizes tried per per-rank batch and interleaving, worked out once per search. */
  microBatchLists: Map<number, MicroBatchList>;
}

/**
 * The micro-batch sizes a layout tries and what refuses the others (microBatchTried, for every size
 * at once): they depend only on the per-rank batch, pp when interleaved, and the constraints.
 */
export interface MicroBatchList {
  sizes: number[];
  /** Sizes refused because the interleaved rounds would not fill. */
  interleaved: number;
  /** Sizes the constraints or the stack remove: the reasons, how many sizes each, and in all. */
  removedBy: RejectionReason[];
  removedCounts: number[];
  removedSizes: number;
}

/** The place of a layout's first plan in the exhaustive order. */
export function layoutOrder(ordinal: number): number {
  return ordinal * ORDER_STRIDE;
}

function innerOrder(plan: PlanRecord, k: number): number {
  return (((plan.microBatch * RECOMPUTE_CODES + plan.recompute) * 4 + plan.zero) * 2 + plan.sp) * 2 + k;
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
  /** A prepared run's shared micro-batch costs and pair floors (searchRuns.ts); none: computed afresh. */
  shared?: { microBatches: MicroBatchCache; pairFloors: Map<string, Float64Array> } | null;
  /** The stack shards gradients and weights (ZeRO-2/3) with pipelining too (stackCapabilities.ts). */
  shardWithPipelining?: boolean;
  /**
   * Whether to try the recompute modules that act on the model (recompute.ts modulesCandidateCode):
   * the plan search does; the fill of a run's unpublished fields does not, as cross-validation chose
   * (docs/model.md, "Megatron's recompute modules").
   */
  tryRecomputeModules?: boolean;
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
    interleaved: 0,
    tooLarge: 0,
    boundedOut: 0,
    out: new Float64Array(OUT_SIZE),
    timing: setup.timing,
    costs: [0, 1, 2, 3].map(() => new Float64Array(C_SIZE)),
    costsReady: [false, false, false, false],
    rankAgainst: setup.rankAgainst,
    better: 0,
    filter: setup.filter,
    recomputes: recomputeCodesToTry(
      setup.filter,
      prep.hw.hostLinkBytesPerSecond > 0,
      setup.tryRecomputeModules === false ? -1 : modulesCandidateCode(prep.ops),
    ),
    removedBy: null,
    all: null,
    memoryChecks: 0,
    order: 0,
    layoutsSeen: 0,
    microBatches: setup.shared?.microBatches ?? null,
    pairFloors: setup.shared?.pairFloors ?? null,
    stopAtFirstFit: false,
    microBatchLists: new Map(),
    shardWithPipelining: setup.shardWithPipelining === true,
  };
}

export function reject(state: SearchState, reason: RejectionReason, count = 1): void {
  state.rejected[reason] = (state.rejected[reason] ?? 0) + count;
}

/** Plans that do not fit in memory (counted in the hot loops as a number, not by their reason's key). */
function rejectTooLarge(state: SearchState, count: number): void {
  state.tooLarge += count;
}

/** What the step-time bound rules out (boundedSearch.ts): configurations never checked or timed. */
export const BOUNDED_OUT: RejectionReason = "cannot enter the top plans (step-time lower bound)";

/** The search's own refusals, in the order its loops meet them; the constraints' and stack's follow. */
const RULE_ORDER: RejectionReason[] = [
  "tp does not divide attention heads",
  "tp does not divide key-value heads",
  "cp does not divide the sequence into 2·cp chunks",
  "chips not divisible by tp x cp x pp",
  "more pipeline chunks (pp x vpp) than layers",
  "uneven pipeline split other than powers of two",
  "ep does not divide experts or tp x cp x dp",
  "global batch not divisible by dp x micro-batch",
  "interleaved micro-batches not a multiple of pp",
  "does not fit in memory",
  BOUNDED_OUT,
];

/**
 * Every refusal of the search, by reason (those with none left out), in a fixed order: the search's
 * rules in loop order, then what the constraints and the stack removed, by name. The order does not
 * depend on which layouts were visited first, so the bounded and exhaustive searches, and a search
 * answered partly from earlier counts (boundedSearch.ts), print alike.
 */
export function rejectionCounts(s: SearchState): Partial<Record<RejectionReason, number>> {
  const all: Partial<Record<RejectionReason, number>> = { ...s.rejected };
  const tallied: [RejectionReason, number][] = [
    ["interleaved micro-batches not a multiple of pp", s.interleaved],
    ["does not fit in memory", s.tooLarge],
    [BOUNDED_OUT, s.boundedOut],
  ];
  for (const [reason, n] of tallied) if (n > 0) all[reason] = (all[reason] ?? 0) + n;
  const others = (Object.keys(all) as RejectionReason[]).filter((r) => !RULE_ORDER.includes(r)).sort();
  const counts: Partial<Record<RejectionReason, number>> = {};
  for (const reason of [...RULE_ORDER, ...others]) if ((all[reason] ?? 0) > 0) counts[reason] = all[reason];
  return counts;
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
  s.memoryChecks += 2;
  let leanest = Math.min(full, selective);
  // Offloading, and the recomputations beyond the first four a stack or the user names.
  for (const rc of s.recomputes) {
    if (rc < RECOMPUTE_OFFLOAD) continue;
    plan.recompute = rc;
    leanest = Math.min(leanest, evaluateMemory(p, plan, s.layout, out));
    s.memoryChecks++;
  }
  return leanest <= p.hw.hbmBytes;
}

/** What the inner loops of one layout range over (innerShape fills it). */
export interface InnerShape {
  perRankBatch: number;
  zeroTop: number;
  spMax: number;
  /** recompute x ZeRO x sp x precision variants of one micro-batch size, and how many the filter allows. */
  perMicroBatch: number;
  allowedPerMicroBatch: number;
}

const shape: InnerShape = {
  perRankBatch: 0,
  zeroTop: 0,
  spMax: 0,
  perMicroBatch: 0,
  allowedPerMicroBatch: 0,
};

/**
 * The inner ranges of the layout in `s.plan` (valid until the next call), or null, counted, when dp
 * does not divide the global batch.
 */
export function innerShape(s: SearchState): InnerShape | null {
  const { tp, pp, dp, cp } = s.plan;
  const perRankBatch = s.plan.globalBatch / dp;
  if (!Number.isInteger(perRankBatch)) {
    reject(s, "global batch not divisible by dp x micro-batch");
    return null;
  }
  // Megatron shards gradients and weights only without pipelining; torchtitan's FSDP2 runs inside stages.
  const zeroMax = pp === 1 || s.shardWithPipelining ? ZERO_3 : ZERO_1;
  shape.perRankBatch = perRankBatch;
  shape.spMax = tp > 1 ? 1 : 0;
  shape.zeroTop = dp * cp === 1 ? ZERO_0 : zeroMax; // nothing to shard without replicas
  // The recomputations tried are the state's list (offloading only where the chip has a coherent host
  // link, and what the stack or the user names beyond the first four: recomputeCodesToTry).
  shape.perMicroBatch = s.recomputes.length * (shape.zeroTop + 1) * (shape.spMax + 1) * s.precisions.length;
  shape.allowedPerMicroBatch = s.filter.active
    ? allowedInner(s, shape.zeroTop, shape.spMax)
    : shape.perMicroBatch;
  return shape;
}

const NONE: number[] = [];

/**
 * The micro-batch sizes the search tries in the layout in `s.plan`: every one that divides the
 * per-rank batch (published runs use 6, 10, 12, 40...), fills the interleaved rounds and is allowed by
 * the constraints; none when a constraint removes the layout. When `count`, the refusals are counted,
 * each size's plans against its reason. The list is shared: not to be changed.
 */
export function triedMicroBatches(s: SearchState, sh: InnerShape, count: boolean): number[] {
  const { pp, vpp } = s.plan;
  const key = sh.perRankBatch * (s.prep.layers + 1) + (vpp > 1 ? pp : 0);
  let list = s.microBatchLists.get(key);
  if (list === undefined) {
    list = { sizes: [], interleaved: 0, removedBy: [], removedCounts: [], removedSizes: 0 };
    for (let mb = 1; mb <= MAX_MICRO_BATCH && mb <= sh.perRankBatch; mb++) {
      if (sh.perRankBatch % mb !== 0) continue;
      if (!interleavingFillsRounds(sh.perRankBatch / mb, pp, vpp)) {
        list.interleaved++;
        continue;
      }
      const removedBy = integerVerdict(s.filter, "microBatch", mb);
      if (removedBy === null) list.sizes.push(mb);
      else {
        const at = list.removedBy.indexOf(removedBy);
        if (at < 0) {
          list.removedBy.push(removedBy);
          list.removedCounts.push(1);
        } else list.removedCounts[at]++;
        list.removedSizes++;
      }
    }
    s.microBatchLists.set(key, list);
  }
  if (count && list.interleaved > 0) {
    s.interleaved += list.interleaved * sh.perMicroBatch;
  }
  if (s.removedBy !== null) {
    // The layout is removed: every size it would try counts against that constraint.
    if (count) reject(s, s.removedBy, (list.sizes.length + list.removedSizes) * sh.perMicroBatch);
    return NONE;
  }
  if (count) {
    for (let i = 0; i < list.removedBy.length; i++) {
      reject(s, list.removedBy[i], list.removedCounts[i] * sh.perMicroBatch);
    }
  }
  return list.sizes;
}

/**
 * The innermost loops over one layout (tp, cp, pp, vpp, dp, ep already in `s.plan`): micro-batch,
 * recompute, ZeRO, sequence parallelism, precision.
 */
export function searchLayout(s: SearchState): void {
  const sh = innerShape(s);
  if (sh === null) return;
  const sizes = triedMicroBatches(s, sh, true);
  countRemovedInner(s, sh, sizes.length);
  let noneFit = false;
  for (const mb of sizes) {
    noneFit = checkMicroBatch(s, sh, mb, noneFit);
    if (s.stopAtFirstFit && s.feasible > 0) return;
  }
}

/** Counts what the filter removed from the inner loops of `searched` micro-batch sizes. */
export function countRemovedInner(s: SearchState, sh: InnerShape, searched: number): void {
  if (s.filter.active && searched > 0) rejectInner(s, sh.zeroTop, sh.spMax, searched);
}

/**
 * Checks every variant of micro-batch `mb` for memory, and times those that fit. `noneFit`: a smaller
 * micro-batch's leanest variant did not fit, so none of this one's does; returns it for the next.
 */
export function checkMicroBatch(s: SearchState, sh: InnerShape, mb: number, noneFit: boolean): boolean {
  const plan = s.plan;
  const f = s.filter;
  const { zeroTop, spMax } = sh;
  plan.microBatch = mb;
  plan.microBatches = sh.perRankBatch / mb;
  const none = noneFit || !leanestFits(s, zeroTop, spMax);
  if (none) {
    // Examined as a group: the leanest of them does not fit, so none of those the filter allows does.
    s.evaluated += sh.allowedPerMicroBatch;
    rejectTooLarge(s, sh.allowedPerMicroBatch);
    return true;
  }
  for (let i = 0; i < 4; i++) s.costsReady[i] = false;
  for (const rc of s.recomputes) {
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
  return false;
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
  s.memoryChecks++;
  if (evaluateMemory(p, plan, s.layout, out) > p.hw.hbmBytes) {
    rejectTooLarge(s, 1);
    return;
  }
  s.feasible++;
  if (!s.timing) return;
  if (!s.costsReady[costSlot]) {
    if (s.microBatches !== null) s.costs[costSlot] = cachedCosts(s.microBatches, p, plan);
    else microBatchCosts(p, plan, s.costs[costSlot]);
    s.costsReady[costSlot] = true;
  }
  assembleStep(p, s.costs[costSlot], plan, s.layout, out);
  const score = out[OUT_TOKENS_PER_SECOND_PER_RANK];
  if (score > s.rankAgainst) s.better++;
  keep(s.best, score, plan, s.order + innerOrder(plan, costSlot & 1));
  if (s.all !== null) record(s.all, plan, out);
}
