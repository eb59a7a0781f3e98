import { ringAlpha, ringBandwidth } from "./groupBandwidth.js";
import { pipelineImbalance } from "./pipelineImbalance.js";
import { expertTp, type PlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";

/**
 * What a plan's layout (tp, pp, vpp, dp, cp, ep) fixes for every micro-batch size, recomputation,
 * ZeRO stage and precision the search tries on it: the parameters each rank holds (tensor parallelism
 * splits the dense and attention matrices, norms and routers are replicated, expert parallelism times
 * expert tensor parallelism splits the routed experts), the replica groups that reduce them, and the
 * pipeline's balance. The search fills one per layout; simulate one per plan.
 */
export interface StageLayout {
  /** Layers on the most loaded stage (memory) and how many of them are MoE. */
  layersOnStage: number;
  moeOnStage: number;
  denseOnStage: number;
  /** Parameters per rank of the first stage (embedding) and the last (output head, MTP modules). */
  firstDense: number;
  firstExpert: number;
  lastDense: number;
  lastExpert: number;
  /** Parameters per rank of an average stage: its share of layers, embedding, head and MTP modules. */
  averageDense: number;
  averageExpert: number;
  /** Dense weights are reduced over the dp x cp group, routed experts over the expert-data-parallel one. */
  dpGroup: number;
  dpBw: number;
  dpAlpha: number;
  edpGroup: number;
  edpBw: number;
  edpAlpha: number;
  /** Heaviest pipeline chunk over the average (pipelineImbalance.ts). */
  imbalance: number;
  /** Bandwidth and latency of a pipeline hop (ranks tp x cp x dp apart). */
  p2pBw: number;
  p2pAlpha: number;
}

export function newStageLayout(): StageLayout {
  return {
    layersOnStage: 0,
    moeOnStage: 0,
    denseOnStage: 0,
    firstDense: 0,
    firstExpert: 0,
    lastDense: 0,
    lastExpert: 0,
    averageDense: 0,
    averageExpert: 0,
    dpGroup: 1,
    dpBw: 0,
    dpAlpha: 0,
    edpGroup: 1,
    edpBw: 0,
    edpAlpha: 0,
    imbalance: 1,
    p2pBw: 0,
    p2pAlpha: 0,
  };
}

/** Fills `into` (returned) for the layout fields of `plan`. */
export function stageLayout(p: Prepared, plan: PlanRecord, into: StageLayout): StageLayout {
  const ops = p.ops;
  const { tp, pp, vpp, dp, cp, ep } = plan;
  const etp = expertTp(plan);
  const d = ops.dense;
  const mo = ops.moe;
  // Per-rank parameters of one layer of each kind, and of all multi-token-prediction modules (a layer
  // and a 2h x h projection each).
  const dense = d.paramsReplicated + d.paramsTpSplit / tp;
  const moe = mo ? mo.paramsReplicated + mo.paramsTpSplit / tp : 0;
  const experts = mo ? mo.paramsExperts / (ep * etp) : 0;
  const mtpDense = p.mtpLayers * ((mo ? moe : dense) + (2 * p.hidden * p.hidden) / tp);
  const mtpExperts = p.mtpLayers * experts;
  const embedding = ops.embeddingParams / tp;
  const outputHead = ops.outputHeadParams / tp;

  // The most loaded stages: the first holds the embedding, the last the output head and MTP modules;
  // with pp = 1 one stage holds all.
  const layersOnStage = Math.ceil(p.layers / pp);
  const moeShare = p.layers > 0 ? p.moeLayers / p.layers : 0;
  const moeOnStage = Math.min(p.moeLayers, Math.ceil(moeShare * layersOnStage));
  const denseOnStage = layersOnStage - moeOnStage;
  const stageDense = denseOnStage * dense + moeOnStage * moe;
  const stageExpert = moeOnStage * experts;
  into.layersOnStage = layersOnStage;
  into.moeOnStage = moeOnStage;
  into.denseOnStage = denseOnStage;
  into.firstDense = stageDense + embedding + (pp === 1 ? outputHead + mtpDense : 0);
  into.firstExpert = stageExpert + (pp === 1 ? mtpExperts : 0);
  into.lastDense = stageDense + outputHead + mtpDense;
  into.lastExpert = stageExpert + mtpExperts;

  const averageLayers = p.layers / pp;
  const averageMoe = p.layers > 0 ? moeShare * averageLayers : 0;
  // Summed in the order the step was first written in, so its figures stay those of the published tables.
  into.averageDense =
    (averageLayers - averageMoe) * dense +
    (ops.embeddingParams + ops.outputHeadParams) / (tp * pp) +
    averageMoe * moe +
    (p.mtpLayers * ((mo ?? d).paramsReplicated + ((mo ?? d).paramsTpSplit + 2 * p.hidden * p.hidden) / tp)) /
      pp;
  into.averageExpert = mo
    ? (averageMoe * mo.paramsExperts) / (ep * etp) + (p.mtpLayers * mo.paramsExperts) / (ep * etp * pp)
    : 0;

  into.dpGroup = dp * cp;
  into.edpGroup = (dp * cp * tp) / (ep * etp);
  into.dpBw = ringBandwidth(p, into.dpGroup, tp);
  into.dpAlpha = ringAlpha(p, into.dpGroup, tp);
  // Expert weights are replicated over the expert-data-parallel group, whose members sit ep x etp
  // ranks apart (Megatron-Core expert rank order etp, ep, edp, pp): often one per node.
  into.edpBw = ringBandwidth(p, into.edpGroup, ep * etp);
  into.edpAlpha = ringAlpha(p, into.edpGroup, ep * etp);
  into.imbalance = pipelineImbalance(p.layers, pp, vpp);
  const stride = tp * cp * dp;
  into.p2pBw = ringBandwidth(p, pp, stride);
  into.p2pAlpha = ringAlpha(p, pp, stride);
  return into;
}
