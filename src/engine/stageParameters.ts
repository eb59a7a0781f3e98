import type { PlanRecord } from "./planRecord.js";
import { expertTp } from "./planRecord.js";
import type { Prepared } from "./prepare.js";

/**
 * Parameters one rank holds, by layer kind: tensor parallelism splits the dense and attention
 * matrices (norms and routers are replicated), expert parallelism (times expert tensor parallelism)
 * splits the routed experts. Memory (memory.ts) sums them for its most loaded stage, the step
 * (dataParallel.ts) for the average stage whose gradients it reduces.
 */
export interface LayerParameters {
  /** One dense layer. */
  dense: number;
  /** One MoE layer, without its routed experts. */
  moe: number;
  /** The routed experts of one MoE layer. */
  experts: number;
  /** All multi-token-prediction modules (a layer and a 2h x h projection each), without routed experts. */
  mtpDense: number;
  mtpExperts: number;
  /** Input embedding and output head (zero when tied). */
  embedding: number;
  outputHead: number;
}

// Refilled per call: the hot path allocates nothing.
const scratch: LayerParameters = {
  dense: 0,
  moe: 0,
  experts: 0,
  mtpDense: 0,
  mtpExperts: 0,
  embedding: 0,
  outputHead: 0,
};

/** The per-rank parameter counts of a plan (into a module-level record, valid until the next call). */
export function layerParameters(p: Prepared, plan: PlanRecord): LayerParameters {
  const ops = p.ops;
  const tp = plan.tp;
  const d = ops.dense;
  const mo = ops.moe;
  const s = scratch;
  s.dense = d.paramsReplicated + d.paramsTpSplit / tp;
  s.moe = mo ? mo.paramsReplicated + mo.paramsTpSplit / tp : 0;
  s.experts = mo ? mo.paramsExperts / (plan.ep * expertTp(plan)) : 0;
  s.mtpDense = p.mtpLayers * ((mo ? s.moe : s.dense) + (2 * p.hidden * p.hidden) / tp);
  s.mtpExperts = p.mtpLayers * s.experts;
  s.embedding = ops.embeddingParams / tp;
  s.outputHead = ops.outputHeadParams / tp;
  return s;
}
