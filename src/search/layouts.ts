import { stageLayout } from "../engine/layout.js";
import { cpSplitsSequence } from "../plan/rules.js";
import { attentionWidths } from "../workload/shape.js";
import { divisors, powersOfTwo } from "./candidates.js";
import { integerVerdict } from "./constraintFilter.js";
import { reject, type SearchState, searchLayout } from "./layoutSearch.js";
import type { RejectionReason } from "./types.js";

/** Largest sizes tried: beyond them, groups only lose (tp past two domains, cp past 32 chunks). */
const MAX_TP = 64;
const MAX_CP = 32;
export const MAX_VPP = 64;

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

/**
 * Pipeline stages: divisors of the layer count, or of layers + 2 when the embedding and the loss
 * each take a layer's slot (Megatron-LM --account-for-embedding/loss-in-pipeline-split; Llama 3
 * ran 126 layers on 16 stages this way, Dubey et al. 2024, section 3.3.2), and powers of two with
 * an uneven split (Megatron-Core's pipeline layout: DeepSeek-V3's 61 layers on 8 or 16 stages).
 * The engine times the heaviest stage, so an uneven split pays for its imbalance.
 */
function pipelineSizes(layers: number): number[] {
  return [...new Set([...divisors(layers), ...divisors(layers + 2), ...powersOfTwo(layers)])]
    .filter((pp) => pp <= layers)
    .sort((a, b) => a - b);
}

/**
 * Why `pp` stages of `vpp` virtual chunks each are not searched, or null. Every virtual chunk needs a
 * layer. Uneven splits (timed at their heaviest chunk) are tried in the power-of-two layouts that
 * practitioners use, not at every chunk count.
 */
export function pipelineChunksRule(layers: number, pp: number, vpp: number): RejectionReason | null {
  if (pp * vpp > layers) return "more pipeline chunks (pp x vpp) than layers";
  const even = layers % (pp * vpp) === 0 || (layers + 2) % (pp * vpp) === 0;
  if (!even && !(isPowerOfTwo(pp) && isPowerOfTwo(vpp)))
    return "uneven pipeline split other than powers of two";
  return null;
}

/**
 * Every layout (tp, cp, pp, vpp, dp, ep) of `ranks` that divides evenly, each searched by
 * searchLayout; what does not divide is counted by reason. A layout outside the constraints is only
 * counted: the first dimension (in loop order) it breaks takes its plans (see removedBy).
 */
export function enumerateLayouts(s: SearchState, ranks: number): void {
  const m = s.prep.ops.model;
  const { heads, kvHeads } = attentionWidths(m);
  const layers = m.layers;
  const seq = s.prep.seqLen;
  const plan = s.plan;
  const ppChoices = pipelineSizes(layers);
  const f = s.filter;
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
      const cpOut = tpOut ?? integerVerdict(f, "cp", cp);
      for (const pp of ppChoices) {
        if (ranks % (tp * cp * pp) !== 0) {
          reject(s, "chips not divisible by tp x cp x pp");
          continue;
        }
        const dp = ranks / (tp * cp * pp);
        const ppOut = cpOut ?? integerVerdict(f, "pp", pp) ?? integerVerdict(f, "dp", dp);
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
          searchExperts(s, m.moe?.experts ?? 0, ppOut ?? integerVerdict(f, "vpp", vpp));
        }
      }
    }
  }
}

/**
 * Expert parallelism: powers of two dividing the experts and the tp x cp x dp ranks that hold them.
 * `removedBy` is the constraint the layout so far breaks, if any.
 */
function searchExperts(s: SearchState, experts: number, removedBy: RejectionReason | null): void {
  const plan = s.plan;
  if (experts === 0) {
    plan.ep = 1;
    searchOrCount(s, removedBy ?? integerVerdict(s.filter, "ep", 1));
    return;
  }
  for (let ep = 1; ep <= experts; ep *= 2) {
    if (experts % ep !== 0 || (plan.tp * plan.cp * plan.dp) % ep !== 0) {
      reject(s, "ep does not divide experts or tp x cp x dp");
      continue;
    }
    plan.ep = ep;
    searchOrCount(s, removedBy ?? integerVerdict(s.filter, "ep", ep));
  }
}

/** Searches the layout in `s.plan`, or, when a constraint removes it, only counts its plans. */
function searchOrCount(s: SearchState, removedBy: RejectionReason | null): void {
  s.removedBy = removedBy;
  if (removedBy === null) stageLayout(s.prep, s.plan, s.layout);
  searchLayout(s);
  s.removedBy = null;
}
