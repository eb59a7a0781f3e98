import { stageLayout } from "../engine/layout.js";
import { cpSplitsSequence, pipelineChunksFit } from "../plan/rules.js";
import { attentionWidths } from "../workload/shape.js";
import { divisors, powersOfTwo } from "./candidates.js";
import { integerVerdict } from "./constraintFilter.js";
import { layoutOrder, reject, type SearchState, searchLayout } from "./layoutSearch.js";
import type { RejectionReason } from "./types.js";

const pipelineSizesOf = new Map<number, number[]>();

/** Largest sizes tried: beyond them, groups only lose (tp past two domains, cp past 32 chunks). */
const MAX_TP = 64;
const MAX_CP = 32;
export const MAX_VPP = 64;
/**
 * Ordinals reserved per (tp, cp) pair, so a layout's ordinal (its place in the exhaustive order) does
 * not depend on which pairs were enumerated before it: pp choices x vpp <= 64 x ep choices is far less.
 */
const LAYOUTS_PER_PAIR = 1 << 20;

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

/**
 * Pipeline stages: divisors of the layer count, or of layers + 2 when the embedding and the loss
 * each take a layer's slot (Megatron-LM --account-for-embedding/loss-in-pipeline-split; Llama 3
 * ran 126 layers on 16 stages this way, Dubey et al. 2024, section 3.3.2), and powers of two with
 * an uneven split (Megatron-Core's pipeline layout: DeepSeek-V3's 61 layers on 8 or 16 stages).
 * The engine times the heaviest stage, so an uneven split pays for its imbalance. Computed once per
 * layer count.
 */
function pipelineSizes(layers: number): number[] {
  let sizes = pipelineSizesOf.get(layers);
  if (sizes === undefined) {
    sizes = [...new Set([...divisors(layers), ...divisors(layers + 2), ...powersOfTwo(layers)])]
      .filter((pp) => pp <= layers)
      .sort((a, b) => a - b);
    pipelineSizesOf.set(layers, sizes);
  }
  return sizes;
}

/**
 * Why `pp` stages of `vpp` virtual chunks each are not searched, or null. Every virtual chunk needs a
 * layer, or the embedding or the loss (pipelineChunksFit). Uneven splits (timed at their heaviest chunk) are tried in the power-of-two layouts that
 * practitioners use, not at every chunk count.
 */
export function pipelineChunksRule(layers: number, pp: number, vpp: number): RejectionReason | null {
  if (!pipelineChunksFit(layers, pp, vpp)) return "more pipeline chunks (pp x vpp) than layers";
  const even = layers % (pp * vpp) === 0 || (layers + 2) % (pp * vpp) === 0;
  if (!even && !(isPowerOfTwo(pp) && isPowerOfTwo(vpp)))
    return "uneven pipeline split other than powers of two";
  return null;
}

/**
 * What is done with each layout that divides, in `s.plan`: searched at once (searchOrCount), or
 * collected to be searched best bound first (boundedSearch.ts). `removedBy` is the constraint it
 * breaks, if any.
 */
export type LayoutVisitor = (s: SearchState, removedBy: RejectionReason | null) => void;

/** A (tp, cp) pair that the model and the sequence allow: the outer loops of the enumeration. */
export interface TpCp {
  tp: number;
  cp: number;
  /** The constraint the pair breaks, if any (it then removes every layout of the pair). */
  removedBy: RejectionReason | null;
  /** Its place among the pairs: layouts of the first pair come first in the exhaustive order. */
  index: number;
}

/**
 * Every (tp, cp) pair the search tries, in the exhaustive order; what the heads or the sequence do not
 * allow is counted by reason.
 */
export function tpCpPairs(s: SearchState, ranks: number): TpCp[] {
  const m = s.prep.ops.model;
  const { heads, kvHeads } = attentionWidths(m);
  const seq = s.prep.seqLen;
  const f = s.filter;
  const pairs: TpCp[] = [];
  for (const tp of powersOfTwo(Math.min(MAX_TP, ranks))) {
    if (heads % tp !== 0) {
      reject(s, "tp does not divide attention heads");
      continue;
    }
    if (kvHeads % tp !== 0) {
      reject(s, "tp does not divide key-value heads");
      continue;
    }
    const tpOut = integerVerdict(f, "tp", tp);
    for (const cp of powersOfTwo(Math.min(MAX_CP, ranks / tp))) {
      if (!cpSplitsSequence(seq, cp)) {
        reject(s, "cp does not divide the sequence into 2·cp chunks");
        continue;
      }
      pairs.push({ tp, cp, removedBy: tpOut ?? integerVerdict(f, "cp", cp), index: pairs.length });
    }
  }
  return pairs;
}

/**
 * Every layout (tp, cp, pp, vpp, dp, ep) of `ranks` that divides evenly, each handed to `visit`
 * (by default searched by searchLayout); what does not divide is counted by reason. A layout outside
 * the constraints is only counted: the first dimension (in loop order) it breaks takes its plans (see
 * removedBy).
 */
export function enumerateLayouts(s: SearchState, ranks: number, visit: LayoutVisitor = searchOrCount): void {
  for (const pair of tpCpPairs(s, ranks)) {
    if (s.stopAtFirstFit && s.feasible > 0) return;
    layoutsOfPair(s, ranks, pair, visit);
  }
}

/** The layouts (pp, vpp, dp, ep) of one (tp, cp) pair, each handed to `visit`. */
export function layoutsOfPair(s: SearchState, ranks: number, pair: TpCp, visit: LayoutVisitor): void {
  const m = s.prep.ops.model;
  const layers = m.layers;
  const plan = s.plan;
  const f = s.filter;
  const { tp, cp } = pair;
  s.layoutsSeen = pair.index * LAYOUTS_PER_PAIR;
  for (const pp of pipelineSizes(layers)) {
    if (ranks % (tp * cp * pp) !== 0) {
      reject(s, "chips not divisible by tp x cp x pp");
      continue;
    }
    const dp = ranks / (tp * cp * pp);
    const ppOut = pair.removedBy ?? integerVerdict(f, "pp", pp) ?? integerVerdict(f, "dp", dp);
    for (let vpp = 1; vpp <= (pp > 1 ? MAX_VPP : 1); vpp++) {
      const chunks = pipelineChunksRule(layers, pp, vpp);
      if (chunks !== null) {
        reject(s, chunks);
        continue;
      }
      plan.tp = tp;
      plan.cp = cp;
      plan.pp = pp;
      plan.vpp = vpp;
      plan.dp = dp;
      searchExperts(s, m.moe?.experts ?? 0, ppOut ?? integerVerdict(f, "vpp", vpp), visit);
    }
  }
}

/**
 * Expert parallelism: powers of two dividing the experts and the tp x cp x dp ranks that hold them.
 * `removedBy` is the constraint the layout so far breaks, if any.
 */
function searchExperts(
  s: SearchState,
  experts: number,
  removedBy: RejectionReason | null,
  visit: LayoutVisitor,
): void {
  const plan = s.plan;
  if (experts === 0) {
    plan.ep = 1;
    visitLayout(s, removedBy ?? integerVerdict(s.filter, "ep", 1), visit);
    return;
  }
  for (let ep = 1; ep <= experts; ep *= 2) {
    if (experts % ep !== 0 || (plan.tp * plan.cp * plan.dp) % ep !== 0) {
      reject(s, "ep does not divide experts or tp x cp x dp");
      continue;
    }
    plan.ep = ep;
    visitLayout(s, removedBy ?? integerVerdict(s.filter, "ep", ep), visit);
  }
}

/** Gives the layout in `s.plan` its place in the exhaustive order, then hands it on. */
function visitLayout(s: SearchState, removedBy: RejectionReason | null, visit: LayoutVisitor): void {
  if (s.stopAtFirstFit && s.feasible > 0) return;
  s.order = layoutOrder(s.layoutsSeen++);
  visit(s, removedBy);
}

/** Searches the layout in `s.plan`, or, when a constraint removes it, only counts its plans. */
export function searchOrCount(s: SearchState, removedBy: RejectionReason | null): void {
  s.removedBy = removedBy;
  if (removedBy === null) stageLayout(s.prep, s.plan, s.layout);
  searchLayout(s);
  s.removedBy = null;
}
