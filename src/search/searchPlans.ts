import {
  assembleStep,
  C_SIZE,
  evaluateMemory,
  microBatchCosts,
  OUT_SIZE,
  OUT_TOKENS_PER_SECOND_PER_RANK,
  type Prepared,
  prepare,
} from "../engine/evaluate.js";
import { type SimulationResult, simulate } from "../engine/simulate.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import type { Parallelism, Precision, Recompute, ZeroStage } from "../plan/schema.js";
import { workloadOperators } from "../workload/operators.js";
import { divisors, powersOfTwo } from "./candidates.js";
import type { PlanSearchRequest, PlanSearchResult, RejectionReason } from "./types.js";

/**
 * Exhaustive plan search. Every combination of tp, cp, pp, vpp, ep, micro-batch, recomputation,
 * ZeRO stage, sequence parallelism and precision that divides evenly is checked for memory first
 * (cheap), and only plans that fit are timed. The loop allocates nothing per configuration: the
 * evaluator writes into one scratch array, and the best K plans are kept as numbers in a typed array.
 * The K winners are then re-run through `simulate`, which calls the same evaluator, so the
 * search and the simulator agree by construction.
 */

const RECOMPUTES: readonly Recompute[] = ["none", "selective", "full", "offload"];
const ZEROS: readonly ZeroStage[] = ["zero0", "zero1", "zero2", "zero3"];
const PRECISIONS: readonly Precision[] = ["bf16", "fp8"];

/** Largest sizes tried: beyond them, groups only lose (tp past two domains, cp past 32 chunks). */
const MAX_TP = 64;
const MAX_CP = 32;
const MAX_VPP = 64;
const MAX_MICRO_BATCH = 64;

// A kept plan: tokens/s per rank, then the 11 plan numbers.
const ROW = 12;

interface SearchState {
  prep: Prepared;
  globalBatch: number;
  precisions: number[];
  top: number;
  best: Float64Array;
  kept: number;
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
}

function reject(state: SearchState, reason: RejectionReason, count = 1): void {
  state.rejected[reason] = (state.rejected[reason] ?? 0) + count;
}

/** Inserts a plan into the sorted best-K table if it beats the worst kept one. */
function keep(
  s: SearchState,
  score: number,
  tp: number,
  cp: number,
  pp: number,
  vpp: number,
  dp: number,
  ep: number,
  mb: number,
  rc: number,
  zero: number,
  sp: number,
  fp8: number,
): void {
  if (s.kept === s.top && score <= s.best[(s.top - 1) * ROW]) return;
  let i = s.kept < s.top ? s.kept++ : s.top - 1;
  while (i > 0 && s.best[(i - 1) * ROW] < score) {
    s.best.copyWithin(i * ROW, (i - 1) * ROW, i * ROW);
    i--;
  }
  const b = s.best;
  const o = i * ROW;
  b[o] = score;
  b[o + 1] = tp;
  b[o + 2] = cp;
  b[o + 3] = pp;
  b[o + 4] = vpp;
  b[o + 5] = dp;
  b[o + 6] = ep;
  b[o + 7] = mb;
  b[o + 8] = rc;
  b[o + 9] = zero;
  b[o + 10] = sp;
  b[o + 11] = fp8;
}

/** The innermost loops: micro-batch, recompute, ZeRO, sequence parallelism, precision. */
function searchInner(
  s: SearchState,
  tp: number,
  cp: number,
  pp: number,
  vpp: number,
  dp: number,
  ep: number,
): void {
  const p = s.prep;
  const gbs = s.globalBatch;
  const perRankBatch = gbs / dp;
  const zeroMax = pp === 1 ? 3 : 1; // Megatron shards gradients/weights only without pipelining
  const dpGroup = dp * cp;
  if (!Number.isInteger(perRankBatch)) {
    reject(s, "global batch not divisible by dp x micro-batch");
    return;
  }
  const spMax = tp > 1 ? 1 : 0;
  const zeroTop = dpGroup === 1 ? 0 : zeroMax;
  // Offloading activations to host memory is tried where the chip has a coherent host link (Grace).
  const recomputes = p.hw.hostLinkBytesPerSecond > 0 ? 4 : 3;
  const perMicroBatch = recomputes * (zeroTop + 1) * (spMax + 1) * s.precisions.length;
  let noneFit = false;
  // Every micro-batch that divides the per-rank batch (published runs use 6, 10, 12, 40...).
  for (let mb = 1; mb <= MAX_MICRO_BATCH && mb <= perRankBatch; mb++) {
    if (perRankBatch % mb !== 0) continue;
    const m = perRankBatch / mb;
    // Interleaved 1F1B needs the micro-batches to fill whole rounds of the pipeline.
    if (vpp > 1 && m % pp !== 0) continue;
    // Memory only grows with the micro-batch, and only shrinks with more sharding and sequence
    // parallelism: when the leanest variant of this micro-batch does not fit, nothing from here on does.
    // (fp8, where tried, stores GEMM inputs in one byte: the leanest precision is the last one.)
    if (!noneFit) {
      const lean = s.precisions[s.precisions.length - 1];
      const full = evaluateMemory(p, tp, pp, vpp, dp, cp, ep, mb, m, 2, zeroTop, spMax, lean, s.out);
      const selective = evaluateMemory(p, tp, pp, vpp, dp, cp, ep, mb, m, 1, zeroTop, spMax, lean, s.out);
      const offload =
        recomputes > 3
          ? evaluateMemory(p, tp, pp, vpp, dp, cp, ep, mb, m, 3, zeroTop, spMax, lean, s.out)
          : full;
      noneFit = Math.min(full, selective, offload) > p.hw.hbmBytes;
    }
    if (noneFit) {
      reject(s, "does not fit in memory", perMicroBatch);
      continue;
    }
    for (let i = 0; i < 4; i++) s.costsReady[i] = false;
    const tokens = (mb * p.seqLen) / cp;
    for (let rc = 0; rc < recomputes; rc++) {
      for (let zero = 0; zero <= zeroMax; zero++) {
        if (dpGroup === 1 && zero > 0) break; // nothing to shard
        for (let sp = 0; sp <= spMax; sp++) {
          for (let k = 0; k < s.precisions.length; k++) {
            const fp8 = s.precisions[k];
            const mem = evaluateMemory(p, tp, pp, vpp, dp, cp, ep, mb, m, rc, zero, sp, fp8, s.out);
            if (mem > p.hw.hbmBytes) {
              reject(s, "does not fit in memory");
              continue;
            }
            s.feasible++;
            if (!s.timing) continue;
            const slot = sp * 2 + k;
            const costs = s.costs[slot];
            if (!s.costsReady[slot]) {
              microBatchCosts(p, tokens, tp, cp, ep, sp, fp8, costs);
              s.costsReady[slot] = true;
            }
            assembleStep(p, costs, tp, pp, vpp, dp, cp, ep, mb, rc, zero, sp, gbs, s.out);
            s.evaluated++;
            if (s.out[OUT_TOKENS_PER_SECOND_PER_RANK] > s.rankAgainst) s.better++;
            keep(s, s.out[OUT_TOKENS_PER_SECOND_PER_RANK], tp, cp, pp, vpp, dp, ep, mb, rc, zero, sp, fp8);
          }
        }
      }
    }
  }
}

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

function enumerate(s: SearchState, ranks: number): void {
  const m = s.prep.ops.model;
  const heads = m.heads;
  const kvHeads = m.mla ? m.heads : (m.kvHeads ?? m.heads);
  const layers = m.layers;
  const seq = s.prep.seqLen;
  const experts = m.moe?.experts ?? 1;
  // Pipeline stages: divisors of the layer count, or of layers + 2 when the embedding and the loss
  // each take a layer's slot (Megatron-LM --account-for-embedding/loss-in-pipeline-split; Llama 3
  // ran 126 layers on 16 stages this way, Dubey et al. 2024, section 3.3.2), and powers of two with
  // an uneven split (Megatron-Core's pipeline layout: DeepSeek-V3's 61 layers on 8 or 16 stages).
  // The engine times the heaviest stage, so an uneven split pays for its imbalance.
  const ppChoices = [...new Set([...divisors(layers), ...divisors(layers + 2), ...powersOfTwo(layers)])]
    .filter((pp) => pp <= layers)
    .sort((a, b) => a - b);
  for (const tp of powersOfTwo(Math.min(MAX_TP, ranks))) {
    if (heads % tp !== 0) {
      reject(s, "tp does not divide attention heads");
      continue;
    }
    if (kvHeads % tp !== 0) {
      reject(s, "tp does not divide key-value heads");
      continue;
    }
    for (const cp of powersOfTwo(Math.min(MAX_CP, ranks / tp))) {
      if (seq % (2 * cp) !== 0 && cp > 1) {
        reject(s, "cp does not divide the sequence into 2·cp chunks");
        continue;
      }
      for (const pp of ppChoices) {
        if (ranks % (tp * cp * pp) !== 0) {
          reject(s, "chips not divisible by tp x cp x pp");
          continue;
        }
        const dp = ranks / (tp * cp * pp);
        for (let vpp = 1; vpp <= (pp > 1 ? MAX_VPP : 1); vpp++) {
          // Every virtual chunk needs a layer. Uneven splits (timed at their heaviest chunk) are tried
          // in the power-of-two layouts that practitioners use, not at every chunk count.
          if (pp * vpp > layers) {
            reject(s, "more pipeline chunks (pp x vpp) than layers");
            continue;
          }
          const even = layers % (pp * vpp) === 0 || (layers + 2) % (pp * vpp) === 0;
          if (!even && !(isPowerOfTwo(pp) && isPowerOfTwo(vpp))) {
            reject(s, "uneven pipeline split other than powers of two");
            continue;
          }
          if (!m.moe) {
            searchInner(s, tp, cp, pp, vpp, dp, 1);
            continue;
          }
          for (let ep = 1; ep <= experts; ep *= 2) {
            if (experts % ep !== 0 || (tp * cp * dp) % ep !== 0) {
              reject(s, "ep does not divide experts or tp x cp x dp");
              continue;
            }
            searchInner(s, tp, cp, pp, vpp, dp, ep);
          }
        }
      }
    }
  }
}

function precisionCodes(req: PlanSearchRequest): number[] {
  const want = req.precision ?? "auto";
  if (want === "bf16" || want === "fp16") return [0];
  if (want === "fp8") return [1];
  return req.chip.peakTflops.fp8 != null ? [0, 1] : [0];
}

function newState(prep: Prepared, req: PlanSearchRequest, timing: boolean): SearchState {
  const top = Math.max(1, req.top ?? 5);
  return {
    prep,
    globalBatch: req.globalBatch,
    precisions: precisionCodes(req),
    top,
    best: new Float64Array(top * ROW),
    kept: 0,
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

function planAt(b: Float64Array, i: number): Parallelism {
  const o = i * ROW;
  return {
    tp: b[o + 1],
    cp: b[o + 2],
    pp: b[o + 3],
    vpp: b[o + 4],
    dp: b[o + 5],
    ep: b[o + 6],
    microBatch: b[o + 7],
    recompute: RECOMPUTES[b[o + 8]],
    zero: ZEROS[b[o + 9]],
    sequenceParallel: b[o + 10] === 1,
    precision: PRECISIONS[b[o + 11]],
  };
}

function prepared(req: PlanSearchRequest): Prepared {
  const hw = rankHardware(req.chip, req.unit ?? "chip", req.neuronCoresPerChip);
  const ops = workloadOperators(req.model, req.seqLen ?? req.model.seqLen);
  const profile = profileForChip(req.chip, req.profiles).profile;
  return prepare(ops, hw, profile, req.attentionKernel ?? "fused", req.gradientReduce ?? "fp32");
}

/** The smallest chip count (powers of two from `from`) at which some plan fits, or null. */
export function smallestFittingChips(req: PlanSearchRequest, from: number): number | null {
  if (req.globalBatch < 1) return null;
  const prep = prepared(req);
  for (let n = Math.max(1, from); n <= 1 << 20; n *= 2) {
    const s = newState(prep, { ...req, chips: n }, false);
    enumerate(s, n * prep.hw.ranksPerChip);
    if (s.feasible > 0) return n;
  }
  return null;
}

/** Runs the exhaustive search and returns the top plans, fully simulated. */
export function searchPlans(req: PlanSearchRequest, now: () => number = () => 0): PlanSearchResult {
  const t0 = now();
  const prep = prepared(req);
  const s = newState(prep, req, true);
  enumerate(s, req.chips * prep.hw.ranksPerChip);
  const plans: SimulationResult[] = [];
  for (let i = 0; i < s.kept; i++) plans.push(simulatePlan(req, planAt(s.best, i)));
  const result: PlanSearchResult = {
    evaluated: s.evaluated,
    feasible: s.feasible,
    rejected: s.rejected,
    elapsedSeconds: 0,
    plans,
  };
  if (req.countBetterThan != null) result.betterCount = s.better;
  if (s.kept === 0) {
    const smallest = smallestFittingChips(req, req.chips * 2);
    result.infeasible = {
      reason:
        s.feasible === 0 && (s.rejected["does not fit in memory"] ?? 0) > 0
          ? `no plan for ${req.model.name} fits in ${req.chip.id} memory on ${req.chips} chips`
          : `no parallel layout divides evenly for ${req.chips} chips and global batch ${req.globalBatch}`,
      smallestFittingChips: smallest,
    };
  }
  result.elapsedSeconds = (now() - t0) / 1000;
  return result;
}

/** Simulates one fully specified plan (what the search found) for its readable breakdown. */
export function simulatePlan(req: PlanSearchRequest, plan: Parallelism): SimulationResult {
  return simulate(
    {
      model: req.model,
      chip: req.chip,
      chipCount: req.chips,
      unit: req.unit,
      neuronCoresPerChip: req.neuronCoresPerChip,
      attentionKernel: req.attentionKernel,
      gradientReduce: req.gradientReduce,
      precision: plan.precision,
      parallelism: {
        tp: plan.tp,
        pp: plan.pp,
        vpp: plan.vpp,
        dp: plan.dp,
        cp: plan.cp,
        ep: plan.ep,
        sequenceParallel: plan.sequenceParallel,
        zero: plan.zero,
        recompute: plan.recompute,
      },
      globalBatch: req.globalBatch,
      microBatch: plan.microBatch,
      seqLen: req.seqLen ?? req.model.seqLen,
    },
    { profiles: req.profiles },
  );
}
