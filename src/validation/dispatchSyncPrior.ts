import { simulate } from "../engine/simulate.js";
import { InputError } from "../errors.js";
import type { Profile } from "../hardware/profile.js";
import { loadCases } from "./cases.js";
import type { ValidationCase } from "./validate.js";

/** What a pair of runs that differ only in the MoE dispatcher says about the syncing one's host time. */
export interface DispatchSyncEstimate {
  /** The prior: the midpoint of the two readings below, seconds per local expert per sync. */
  secondsPerExpert: number;
  /** Everything the engine does not explain in the syncing run, put on its syncs. */
  fromSyncingRun: number;
  /** The measured slowdown of the dispatcher swap less the engine's, put on the syncs. */
  fromDispatcherSwap: number;
  /** Syncs on the critical path of one step of the syncing run times its local experts, as the engine counts them. */
  expertSyncsPerStep: number;
}

/**
 * Reads the alltoall dispatcher's host time per local expert (profile dispatchSyncSecondsPerExpert)
 * from two published runs of one model, layout and container that differ only in the dispatcher: one
 * whose dispatcher copies the token counts to the host in every MoE layer, one whose does not. The
 * engine times both with `profile` and no per-expert host time (the dispatcher's fixed part stays),
 * then puts what it leaves unexplained on the experts' share of the syncs, two ways: the syncing run
 * alone (carries the engine's error on everything else as well) and the difference of the two (the
 * error common to both cancels; it still carries what else the swap changed). The prior is their
 * midpoint, as a range is summarised elsewhere in the prior. Pure: the data come as arguments.
 */
export function dispatchSyncFromPair(runs: unknown, profile: Profile): DispatchSyncEstimate {
  const { cases, rejected } = loadCases(runs);
  if (rejected.length > 0) throw rejected[0].error;
  const syncing = cases.filter((c) => syncsCounts(c));
  const other = cases.filter((c) => !syncsCounts(c));
  if (cases.length !== 2 || syncing.length !== 1 || other.length !== 1) {
    throw new InputError({
      field: "runs",
      value: `${cases.length} runs (${syncing.length} with a syncing dispatcher)`,
      allowed: "two runs, one on the alltoall or allgather dispatcher and one on HybridEP or DeepEP",
    });
  }
  const stepAt = (c: ValidationCase, sync: number) =>
    simulate(c.input, { profile: { ...profile, dispatchSyncSecondsPerExpert: sync } }).step.seconds;
  const noSync = stepAt(syncing[0], 0);
  // The engine charges each local expert's share once per MoE layer and micro-batch on the critical
  // path: the slope of the step in it is that count.
  const expertSyncsPerStep = (stepAt(syncing[0], 1e-3) - noSync) / 1e-3;
  const fromSyncingRun = (measuredStep(syncing[0]) - noSync) / expertSyncsPerStep;
  const swapMeasured = measuredStep(syncing[0]) - measuredStep(other[0]);
  const fromDispatcherSwap = (swapMeasured - (noSync - stepAt(other[0], 0))) / expertSyncsPerStep;
  const secondsPerExpert = (fromSyncingRun + fromDispatcherSwap) / 2;
  if (!(expertSyncsPerStep > 0) || !(fromSyncingRun > 0) || !(fromDispatcherSwap > 0)) {
    throw new InputError({
      field: "runs",
      value: `${secondsPerExpert} s per expert and sync`,
      allowed: "a pair whose syncing run is the slower by more than the engine explains",
    });
  }
  return { secondsPerExpert, fromSyncingRun, fromDispatcherSwap, expertSyncsPerStep };
}

function syncsCounts(c: ValidationCase): boolean {
  const dispatcher = c.input.software?.moeDispatcher;
  return dispatcher === "alltoall" || dispatcher === "allgather";
}

function measuredStep(c: ValidationCase): number {
  const seq = c.input.seqLen ?? c.input.model.seqLen;
  return (c.input.globalBatch * seq) / (c.measuredTokensPerSecondPerChip * c.input.chipCount);
}
