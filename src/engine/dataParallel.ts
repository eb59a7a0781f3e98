import { allGatherSeconds, allReduceSeconds } from "../time/collectives.js";
import { ZERO_0, ZERO_1, ZERO_3 } from "./codes.js";
import { ringAlpha, ringBandwidth } from "./groupBandwidth.js";
import { expertTp, type PlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";
import { layerParameters } from "./stageParameters.js";

/** Data-parallel traffic of one step and the optimizer's update, seconds (dataParallelStep writes them). */
export interface DataParallelStep {
  /** All gradient reduction and parameter gathering, hidden or not. */
  total: number;
  /** What the overlapped compute does not hide. */
  exposed: number;
  /** The Adam update of the parameters this rank owns. */
  optimizer: number;
}

const result: DataParallelStep = { total: 0, exposed: 0, optimizer: 0 };

/**
 * Gradient reduction and parameter gathering over the groups that hold replicas (the dp x cp group
 * for dense weights, the expert-data-parallel group for routed experts), for the parameters of an
 * average pipeline stage, and the optimizer step. `stageMb`, `forwardMb` and `backwardMb` are one
 * micro-batch's time on the stage, whole and its forward and backward parts: the windows that hide it.
 */
export function dataParallelStep(
  p: Prepared,
  plan: PlanRecord,
  stageMb: number,
  forwardMb: number,
  backwardMb: number,
): DataParallelStep {
  const prof = p.profile;
  const m = plan.microBatches;
  const r = replicaGroups(p, plan);
  const g = p.gradBytes;
  if (plan.zero >= ZERO_3) {
    // FSDP: every micro-batch gathers bf16 weights for forward and backward and reduce-scatters
    // gradients, overlapped with that micro-batch's compute (Zhao et al. 2023, PyTorch FSDP, sec. 3.3).
    const perMb = 2 * gatherSeconds(r, 2) + gatherSeconds(r, g);
    result.total = m * perMb;
    result.exposed = m * Math.max(0, perMb - prof.dpOverlap * stageMb);
  } else {
    // Gradients (fp32, or bf16 where the recipe says so) are reduced while the last micro-batch's
    // backward runs; with a sharded optimizer the updated bf16 weights are all-gathered while the
    // next step's first forward runs.
    const reduce = plan.zero === ZERO_0 ? allReduceSecondsOf(r, g) : gatherSeconds(r, g);
    const weights = plan.zero === ZERO_0 ? 0 : gatherSeconds(r, 2);
    result.total = reduce + weights;
    result.exposed =
      Math.max(0, reduce - prof.dpOverlap * backwardMb) + Math.max(0, weights - prof.dpOverlap * forwardMb);
  }
  // Adam step: read fp32 master, moments and gradient, write them back and the bf16 copy: 30 bytes/param.
  const optParams = plan.zero >= ZERO_1 ? r.dense / r.dpGroup + r.expert / r.edpGroup : r.dense + r.expert;
  result.optimizer = (30 * optParams) / p.memBw;
  return result;
}

/** The replica groups of one plan and the parameters each reduces (refilled per call). */
interface ReplicaGroups {
  /** Dense parameters per rank of an average stage, reduced over the dp x cp group. */
  dense: number;
  dpGroup: number;
  dpBw: number;
  dpAlpha: number;
  /** Routed-expert parameters per rank, reduced over the expert-data-parallel group. */
  expert: number;
  edpGroup: number;
  edpBw: number;
  edpAlpha: number;
}

const groups: ReplicaGroups = {
  dense: 0,
  dpGroup: 1,
  dpBw: 0,
  dpAlpha: 0,
  expert: 0,
  edpGroup: 1,
  edpBw: 0,
  edpAlpha: 0,
};

function replicaGroups(p: Prepared, plan: PlanRecord): ReplicaGroups {
  const { tp, dp, cp, ep } = plan;
  const etp = expertTp(plan);
  averageStageParameters(p, plan, groups);
  groups.dpGroup = dp * cp;
  groups.edpGroup = (dp * cp * tp) / (ep * etp);
  groups.dpBw = ringBandwidth(p, groups.dpGroup, tp);
  groups.dpAlpha = ringAlpha(p, groups.dpGroup, tp);
  // Expert weights are replicated over the expert-data-parallel group, whose members sit ep x etp
  // ranks apart (Megatron-Core expert rank order etp, ep, edp, pp): often one per node.
  groups.edpBw = ringBandwidth(p, groups.edpGroup, ep * etp);
  groups.edpAlpha = ringAlpha(p, groups.edpGroup, ep * etp);
  return groups;
}

/** All-gather (or reduce-scatter: the same bytes) of `bytesPerParam` per parameter over both groups. */
function gatherSeconds(r: ReplicaGroups, bytesPerParam: number): number {
  return (
    allGatherSeconds(bytesPerParam * r.dense, r.dpGroup, r.dpBw, r.dpAlpha) +
    allGatherSeconds(bytesPerParam * r.expert, r.edpGroup, r.edpBw, r.edpAlpha)
  );
}

function allReduceSecondsOf(r: ReplicaGroups, bytesPerParam: number): number {
  return (
    allReduceSeconds(bytesPerParam * r.dense, r.dpGroup, r.dpBw, r.dpAlpha) +
    allReduceSeconds(bytesPerParam * r.expert, r.edpGroup, r.edpBw, r.edpAlpha)
  );
}

/**
 * Parameters per rank of an average pipeline stage: its share of the layers, of the embedding and
 * output head, and of the multi-token-prediction modules.
 */
function averageStageParameters(p: Prepared, plan: PlanRecord, into: ReplicaGroups): void {
  const pp = plan.pp;
  const params = layerParameters(p, plan);
  const layersOnStage = p.layers / pp;
  const moeOnStage = p.layers > 0 ? (p.moeLayers / p.layers) * layersOnStage : 0;
  const denseOnStage = layersOnStage - moeOnStage;
  into.dense =
    denseOnStage * params.dense +
    moeOnStage * params.moe +
    (params.embedding + params.outputHead) / pp +
    params.mtpDense / pp;
  into.expert = moeOnStage * params.experts + params.mtpExperts / pp;
}
