import { simulate } from "../engine/simulate.js";
import { InputError } from "../errors.js";
import type { Profile } from "../hardware/profile.js";
import { GLOBAL_PARAMS } from "./calibrate.js";
import { loadCases } from "./cases.js";
import type { ValidationCase } from "./validate.js";

/** What published runs on a syncing MoE dispatcher say about its host time per local expert. */
export interface DispatchSyncEstimate {
  /** The prior: the mean of the runs' readings, seconds per local expert per MoE layer and micro-batch. */
  secondsPerExpert: number;
  /** Each run's reading, in the order given. */
  readings: { id: string; secondsPerExpert: number; expertSyncsPerStep: number }[];
}

/** The most a reading may say: the bound the fit searches the parameter within. */
const MOST_SECONDS = GLOBAL_PARAMS.find((s) => s.key === "dispatchSyncSecondsPerExpert")!.max;

/**
 * Reads the alltoall dispatcher's host time per local expert (profile dispatchSyncSecondsPerExpert)
 * from published runs whose dispatcher copies the token counts to the host in every MoE layer. The
 * engine times each run with `profile` and no per-expert host time (the dispatcher's fixed part,
 * dispatcherHostSeconds, stays) and puts what it leaves unexplained on the run's expert syncs: each
 * reading carries the engine's error on everything else in that run too, which is why runs that
 * differ in one knob the engine models (expert overlap) are read together and averaged. Pure: the data
 * come as arguments.
 */
export function dispatchSyncFromRuns(runs: unknown, profile: Profile): DispatchSyncEstimate {
  const { cases, rejected } = loadCases(runs);
  if (rejected.length > 0) throw rejected[0].error;
  if (cases.length === 0) {
    throw new InputError({ field: "runs", value: runs, allowed: "at least one measured run" });
  }
  const readings = cases.map((c) => readingOf(c, profile));
  const secondsPerExpert = readings.reduce((sum, r) => sum + r.secondsPerExpert, 0) / readings.length;
  return { secondsPerExpert, readings };
}

function readingOf(c: ValidationCase, profile: Profile) {
  const dispatcher = c.input.software?.moeDispatcher;
  if (dispatcher !== "alltoall" && dispatcher !== "allgather") {
    throw new InputError({
      field: `runs[${c.id}].software.moeDispatcher`,
      value: dispatcher ?? null,
      allowed: "alltoall or allgather (the dispatchers the engine charges a host sync)",
    });
  }
  const stepAt = (perExpert: number) =>
    simulate(c.input, { profile: { ...profile, dispatchSyncSecondsPerExpert: perExpert } }).step.seconds;
  const noSync = stepAt(0);
  // The engine charges each local expert's share once per MoE layer and micro-batch on the critical
  // path: the slope of the step in it is that count.
  const expertSyncsPerStep = (stepAt(1e-3) - noSync) / 1e-3;
  if (!(expertSyncsPerStep > 0)) {
    throw new InputError({
      field: `runs[${c.id}]`,
      value: "a step the per-expert host time does not move",
      allowed: "a run with MoE layers whose experts are spread over expert parallelism",
    });
  }
  const secondsPerExpert = (measuredStep(c) - noSync) / expertSyncsPerStep;
  if (!(secondsPerExpert > 0 && secondsPerExpert <= MOST_SECONDS)) {
    throw new InputError({
      field: `runs[${c.id}].measured.tokensPerSecondPerChip`,
      value: c.measuredTokensPerSecondPerChip,
      allowed: `a run slower than the engine predicts without the experts' host time, by at most ${MOST_SECONDS} s per expert sync (it reads ${secondsPerExpert} s)`,
    });
  }
  return { id: c.id, secondsPerExpert, expertSyncsPerStep };
}

function measuredStep(c: ValidationCase): number {
  const seq = c.input.seqLen ?? c.input.model.seqLen;
  return (c.input.globalBatch * seq) / (c.measuredTokensPerSecondPerChip * c.input.chipCount);
}
