import { allGatherSeconds, allReduceSeconds } from "../time/collectives.js";
import { ZERO_0, ZERO_1, ZERO_3 } from "./codes.js";
import type { StageLayout } from "./layout.js";
import type { PlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";

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
 * Gradient reduction and parameter gathering over the groups that hold replicas (layout.ts), for the
 * parameters of an average pipeline stage, and the optimizer step. `stageMb`, `forwardMb` and
 * `backwardMb` are one micro-batch's time on the stage, whole and its forward and backward parts: the
 * windows that hide the traffic.
 */
export function dataParallelStep(
  p: Prepared,
  plan: PlanRecord,
  l: StageLayout,
  stageMb: number,
  forwardMb: number,
  backwardMb: number,
): DataParallelStep {
  const overlap = p.profile.dpOverlap;
  const g = p.gradBytes;
  if (plan.zero >= ZERO_3 && fsdpGathersPerMicroBatch(p, plan)) {
    // FSDP: every micro-batch gathers bf16 weights for forward (and again for backward when they
    // were resharded after forward) and reduce-scatters gradients, overlapped with that micro-batch's
    // compute (Zhao et al. 2023, PyTorch FSDP, sec. 3.3).
    const gathers = fsdpReshardsAfterForward(p, plan) ? 2 : 1;
    const perMb =
      gathers * gatherSeconds(l, 2) +
      allGatherSeconds(g * l.averageDense, l.dpGroup, l.dpBw, l.dpAlpha) +
      allGatherSeconds(g * l.averageExpert, l.edpGroup, l.edpBw, l.edpAlpha);
    result.total = plan.microBatches * perMb;
    result.exposed = plan.microBatches * Math.max(0, perMb - overlap * stageMb);
    result.exposed += p.profile.overlapInterference * (result.total - result.exposed);
  } else {
    // Gradients (fp32, or bf16 where the recipe says so) are reduced while the last micro-batch's
    // backward runs; with a sharded optimizer the updated bf16 weights are all-gathered while the
    // next step's first forward runs. FSDP under pipelining does the same: PyTorch's pipeline
    // schedules keep a stage's weights gathered and its gradients unsynchronised until the last
    // micro-batch (torch.distributed.pipelining stage.py; torchtitan: reshard_after_forward = not
    // pp_enabled), one gather and one reduce-scatter per step.
    const reduce = plan.zero === ZERO_0 ? allReduceBoth(l, g) : gatherSeconds(l, g);
    const weights = plan.zero === ZERO_0 ? 0 : gatherSeconds(l, 2);
    result.total = reduce + weights;
    result.exposed = Math.max(0, reduce - overlap * backwardMb) + Math.max(0, weights - overlap * forwardMb);
    result.exposed += p.profile.overlapInterference * (result.total - result.exposed);
  }
  // Adam step: read fp32 master, moments and gradient, write them back and the bf16 copy: 30 bytes/param.
  const optParams =
    plan.zero >= ZERO_1
      ? l.averageDense / l.dpGroup + l.averageExpert / l.edpGroup
      : l.averageDense + l.averageExpert;
  result.optimizer = (30 * optParams) / p.memBw;
  return result;
}

/** All-gather (or reduce-scatter: the same bytes) of `bytesPerParam` per parameter over both groups. */
function gatherSeconds(l: StageLayout, bytesPerParam: number): number {
  return (
    allGatherSeconds(bytesPerParam * l.averageDense, l.dpGroup, l.dpBw, l.dpAlpha) +
    allGatherSeconds(bytesPerParam * l.averageExpert, l.edpGroup, l.edpBw, l.edpAlpha)
  );
}

function allReduceBoth(l: StageLayout, bytesPerParam: number): number {
  return (
    allReduceSeconds(bytesPerParam * l.averageDense, l.dpGroup, l.dpBw, l.dpAlpha) +
    allReduceSeconds(bytesPerParam * l.averageExpert, l.edpGroup, l.edpBw, l.edpAlpha)
  );
}

/** FSDP frees gathered weights after each forward: the stack's setting, else yes without pipelining. */
export function fsdpReshardsAfterForward(p: Prepared, plan: PlanRecord): boolean {
  return p.software.fsdpReshardAfterForward ?? plan.pp === 1;
}

/**
 * ZeRO-3 gathers weights and reduces gradients once per micro-batch, except under pipelining with
 * weights kept gathered, where it does so once per step.
 */
export function fsdpGathersPerMicroBatch(p: Prepared, plan: PlanRecord): boolean {
  return plan.pp === 1 || fsdpReshardsAfterForward(p, plan);
}
