import { stageLayout } from "../engine/layout.js";
import { pipelineImbalance } from "../engine/pipelineImbalance.js";
import { scoreToBeat } from "./bestPlans.js";
import {
  checkMicroBatch,
  countRemovedInner,
  type InnerShape,
  innerShape,
  layoutOrder,
  MAX_MICRO_BATCH,
  type SearchState,
  searchLayout,
  triedMicroBatches,
} from "./layoutSearch.js";
import { layoutsOfPair, type TpCp, tpCpPairs } from "./layouts.js";
import { BOUND_SLACK, shapeFloor, stepLowerBound } from "./lowerBound.js";
import type { RejectionReason } from "./types.js";

/**
 * Branch and bound over the layouts, exact: the same top K as the exhaustive search (searchLayout on
 * every layout in turn), in far fewer evaluations. Each (tp, cp) pair gets a lower bound on the step
 * time of all its layouts, and the pairs are taken best bound first; within a pair, each layout is
 * counted by the search's rules (as searchLayout counts them) and given its own bound, and the layouts
 * are searched best bound first, each micro-batch size only if its bound could still enter the top K.
 * Once a bound cannot, neither can anything after it in that order. What the bounds rule out is
 * counted as BOUNDED_OUT (layoutSearch.ts), never memory-checked or timed; equal scores rank by the exhaustive order
 * (bestPlans.ts), so the visiting order does not change which plans are kept. The exhaustive search
 * stays available (PlanSearchRequest.exhaustive) and boundedSearch.test.ts holds the two equal.
 */

/** One layout that divides and that the constraints allow, with its bound. */
interface Candidate {
  pp: number;
  vpp: number;
  dp: number;
  ep: number;
  ordinal: number;
  /** Lower bound on the step time of any of its plans, seconds. */
  bound: number;
  /** Configurations it holds (micro-batch sizes tried x the inner variants allowed). */
  configs: number;
}

/** Searches every layout of `ranks` in `s`, skipping what cannot enter the top K. */
export function boundedSearch(s: SearchState, ranks: number): void {
  const tokensPerRank = (s.plan.globalBatch * s.prep.seqLen) / ranks;
  const pairs = tpCpPairs(s, ranks).map((pair) => {
    const floors = pair.removedBy === null ? pairFloors(s, pair) : null;
    return { pair, floors, bound: floors ? pairBound(s, pair, floors, ranks) : Number.POSITIVE_INFINITY };
  });
  pairs.sort((a, b) => a.bound - b.bound || a.pair.index - b.pair.index);
  const candidates: Candidates = { list: [], used: 0, floors: EMPTY };
  const counting = countingKey(s, ranks);
  for (const { pair, floors, bound } of pairs) {
    if (floors === null) layoutsOfPair(s, ranks, pair, countRemoved);
    else if (cannotEnter(s, bound, tokensPerRank)) countPairBoundedOut(s, ranks, pair, counting);
    else {
      candidates.used = 0;
      candidates.floors = floors;
      layoutsOfPair(s, ranks, pair, (state, removedBy) => collect(state, removedBy, candidates));
      searchCandidates(s, pair, candidates, tokensPerRank);
    }
  }
}

/** What a bounded-out pair adds to the counts (countPairBoundedOut). */
interface PairCounts {
  rejected: [RejectionReason, number][];
  interleaved: number;
  boundedOut: number;
  evaluated: number;
}

/**
 * The counts of bounded-out pairs, by everything their counting reads (countingKey): a comparison
 * meets the same pair at the same count on chip after chip. Cleared when full.
 */
const pairCounts = new Map<string, PairCounts>();
const PAIR_COUNTS_KEPT = 50_000;

/**
 * What counting a pair's layouts depends on besides the pair: the ranks, the batch, the model's
 * layers and experts, the recomputations tried (offloading with a host link, the named ones), the
 * precisions and the filter's verdicts on what is tried. The verdicts are read for the codes tried
 * only: the filter holds one per code of the whole vocabulary (thousands), too long for a key.
 */
function countingKey(s: SearchState, ranks: number): string {
  const { layers, ops } = s.prep;
  const f = s.filter;
  return JSON.stringify([
    ranks,
    s.plan.globalBatch,
    layers,
    ops.model.moe?.experts ?? 0,
    s.precisions,
    s.shardWithPipelining,
    f.active,
    f.user.integers,
    f.stack.integers,
    s.recomputes,
    s.recomputes.map((rc) => f.recompute[rc]),
    f.zero,
    f.sequenceParallel,
    f.precision,
  ]);
}

/** A pair whose bound cannot enter the top K: its layouts counted, or their counts from an earlier search. */
function countPairBoundedOut(s: SearchState, ranks: number, pair: TpCp, counting: string): void {
  const key = `${pair.tp} ${pair.cp} ${counting}`;
  const known = pairCounts.get(key);
  if (known !== undefined) {
    for (const [reason, n] of known.rejected) s.rejected[reason] = (s.rejected[reason] ?? 0) + n;
    s.interleaved += known.interleaved;
    s.boundedOut += known.boundedOut;
    s.evaluated += known.evaluated;
    return;
  }
  const before = {
    rejected: { ...s.rejected },
    interleaved: s.interleaved,
    boundedOut: s.boundedOut,
    evaluated: s.evaluated,
  };
  layoutsOfPair(s, ranks, pair, countBoundedOut);
  const rejected: [RejectionReason, number][] = [];
  for (const [reason, n] of Object.entries(s.rejected) as [RejectionReason, number][]) {
    const added = n - (before.rejected[reason] ?? 0);
    if (added !== 0) rejected.push([reason, added]);
  }
  if (pairCounts.size >= PAIR_COUNTS_KEPT) pairCounts.clear();
  pairCounts.set(key, {
    rejected,
    interleaved: s.interleaved - before.interleaved,
    boundedOut: s.boundedOut - before.boundedOut,
    evaluated: s.evaluated - before.evaluated,
  });
}

/** A pair's layouts being searched, in a list whose objects are reused from pair to pair. */
interface Candidates {
  list: Candidate[];
  used: number;
  floors: Float64Array;
}

const EMPTY = new Float64Array(0);
const SIZES = MAX_MICRO_BATCH + 1;

function epIndex(ep: number): number {
  return 31 - Math.clz32(ep);
}

/**
 * The least micro-batch floor (leastFloor) of every shape of a (tp, cp) pair whose micro-batch divides
 * the global batch, at [log2(ep) x 65 + microBatch]: every size a layout of the pair tries.
 */
function pairFloors(s: SearchState, pair: TpCp): Float64Array {
  const plan = s.plan;
  const f = s.filter;
  const experts = s.prep.ops.model.moe?.experts ?? 0;
  const globalBatch = plan.globalBatch;
  const shared = s.pairFloors as NonNullable<SearchState["pairFloors"]>;
  const allowed = [...f.sequenceParallel, ...f.precision].map((why) => (why === null ? 1 : 0)).join("");
  const key = `${pair.tp} ${pair.cp} ${globalBatch} ${s.precisions.join(",")} ${allowed}`;
  const known = shared.get(key);
  if (known !== undefined) return known;
  const floors = new Float64Array((epIndex(Math.max(1, experts)) + 1) * SIZES).fill(Number.POSITIVE_INFINITY);
  plan.tp = pair.tp;
  plan.cp = pair.cp;
  for (let ep = 1; ep <= Math.max(1, experts); ep *= 2) {
    if (experts > 0 && experts % ep !== 0) continue;
    plan.ep = ep;
    for (let mb = 1; mb <= MAX_MICRO_BATCH && mb <= globalBatch; mb++) {
      if (globalBatch % mb !== 0) continue;
      plan.microBatch = mb;
      floors[epIndex(ep) * SIZES + mb] = leastFloor(s, pair.tp > 1 ? 1 : 0);
    }
  }
  shared.set(key, floors);
  return floors;
}

/**
 * A bound on every layout of a (tp, cp) pair: with m micro-batches of mb sequences on dp x pp ranks,
 * step >= m · floor / pp = globalBatch · (floor / mb) / (dp · pp), and dp · pp = ranks / (tp · cp);
 * the least floor per sequence over its shapes (pairFloors).
 */
function pairBound(s: SearchState, pair: TpCp, floors: Float64Array, ranks: number): number {
  let perSequence = Number.POSITIVE_INFINITY;
  for (let i = 0; i < floors.length; i++) perSequence = Math.min(perSequence, floors[i] / (i % SIZES || 1));
  return (s.plan.globalBatch * pair.tp * pair.cp * perSequence) / ranks;
}

/**
 * The least micro-batch floor of the shape in `s.plan` over the sequence-parallel and precision
 * choices the filter allows (Infinity when it allows none).
 */
function leastFloor(s: SearchState, spMax: number): number {
  const plan = s.plan;
  const f = s.filter;
  let floor = Number.POSITIVE_INFINITY;
  for (let sp = 0; sp <= spMax; sp++) {
    if (spMax > 0 && f.sequenceParallel[sp] !== null) continue;
    plan.sp = sp;
    for (let k = 0; k < s.precisions.length; k++) {
      plan.fp8 = s.precisions[k];
      if (f.precision[plan.fp8] !== null) continue;
      floor = Math.min(floor, shapeFloor(s.prep, plan, s.layout));
    }
  }
  return floor;
}

/** A layout the constraints remove: only counted, as the exhaustive search counts it. */
function countRemoved(s: SearchState, removedBy: RejectionReason | null): void {
  s.removedBy = removedBy;
  searchLayout(s);
  s.removedBy = null;
}

/**
 * A layout of a pair whose bound cannot enter the top K: counted by the search's rules, and what it
 * would have checked counted as bounded out.
 */
function countBoundedOut(s: SearchState, removedBy: RejectionReason | null): void {
  if (removedBy !== null) {
    countRemoved(s, removedBy);
    return;
  }
  const sh = innerShape(s);
  if (sh === null) return;
  const tried = triedMicroBatches(s, sh, true).length;
  countRemovedInner(s, sh, tried);
  boundOut(s, tried * sh.allowedPerMicroBatch);
}

/**
 * A layout of a pair being searched: counted by the search's rules and, when it holds plans to check,
 * kept with its bound. A layout the constraints remove is only counted.
 */
function collect(s: SearchState, removedBy: RejectionReason | null, into: Candidates): void {
  if (removedBy !== null) {
    countRemoved(s, removedBy);
    return;
  }
  const sh = innerShape(s);
  if (sh === null) return;
  const { pp, vpp, dp, ep } = s.plan;
  const sizes = triedMicroBatches(s, sh, true);
  countRemovedInner(s, sh, sizes.length);
  if (sizes.length === 0) return;
  const imbalance = pipelineImbalance(s.prep.layers, pp, vpp);
  const row = epIndex(ep) * SIZES;
  let bound = Number.POSITIVE_INFINITY;
  for (const mb of sizes) {
    const b = stepLowerBound(into.floors[row + mb], sh.perRankBatch / mb, pp, vpp, imbalance);
    if (b < bound) bound = b;
  }
  if (into.used === into.list.length) {
    into.list.push({ pp: 0, vpp: 0, dp: 0, ep: 0, ordinal: 0, bound: 0, configs: 0 });
  }
  const c = into.list[into.used++];
  c.pp = pp;
  c.vpp = vpp;
  c.dp = dp;
  c.ep = ep;
  c.ordinal = s.order / layoutOrder(1);
  c.bound = bound;
  c.configs = sizes.length * sh.allowedPerMicroBatch;
}

/** A pair's candidates, best bound first; once one cannot enter the top K, the rest are bounded out. */
function searchCandidates(s: SearchState, pair: TpCp, candidates: Candidates, tokensPerRank: number): void {
  const list = candidates.list;
  const used = candidates.used;
  const order = Array.from({ length: used }, (_, i) => i);
  order.sort((a, b) => list[a].bound - list[b].bound || list[a].ordinal - list[b].ordinal);
  s.plan.tp = pair.tp;
  s.plan.cp = pair.cp;
  for (let i = 0; i < used; i++) {
    const c = list[order[i]];
    if (cannotEnter(s, c.bound, tokensPerRank)) {
      for (let j = i; j < used; j++) boundOut(s, list[order[j]].configs);
      return;
    }
    searchCandidate(s, c, candidates.floors, tokensPerRank);
  }
}

/** A candidate's micro-batch sizes, each checked and timed unless its bound rules it out. */
function searchCandidate(s: SearchState, c: Candidate, floors: Float64Array, tokensPerRank: number): void {
  const plan = s.plan;
  plan.pp = c.pp;
  plan.vpp = c.vpp;
  plan.dp = c.dp;
  plan.ep = c.ep;
  s.order = layoutOrder(c.ordinal);
  stageLayout(s.prep, plan, s.layout);
  const sh = innerShape(s) as InnerShape; // it divided when collected
  const row = epIndex(c.ep) * SIZES;
  let noneFit = false;
  for (const mb of triedMicroBatches(s, sh, false)) {
    const bound = stepLowerBound(floors[row + mb], sh.perRankBatch / mb, c.pp, c.vpp, s.layout.imbalance);
    if (cannotEnter(s, bound, tokensPerRank)) {
      boundOut(s, sh.allowedPerMicroBatch);
      continue;
    }
    noneFit = checkMicroBatch(s, sh, mb, noneFit);
  }
}

/**
 * Whether no plan whose step is at least `bound` can enter the top K: they are full and such a plan
 * scores (tokens/s per rank) below the worst kept, and it cannot beat the score plans are counted
 * against (countBetterThan) either.
 */
function cannotEnter(s: SearchState, bound: number, tokensPerRank: number): boolean {
  const best = tokensPerRank / (bound * (1 - BOUND_SLACK));
  return best < scoreToBeat(s.best) && best <= s.rankAgainst;
}

function boundOut(s: SearchState, configs: number): void {
  if (configs === 0) return;
  s.evaluated += configs;
  s.boundedOut += configs;
}
