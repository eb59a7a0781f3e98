import { INPUT_LIMITS } from "../plan/inputLimits.js";
import { defaultValue, describeDefault, economics } from "./assumptions.js";
import { type CheckpointMode, type CheckpointTime, checkpointTime } from "./checkpoint.js";
import {
  CostInputError,
  requireNonNegative,
  requirePositive,
  requirePositiveInt,
  requireRange,
} from "./errors.js";

export interface GoodputInput {
  chips: number;
  /** Catalog id; used only to flag chips with no published failure data (Trainium). */
  chipId?: string;
  checkpointBytes: number;
  chipsPerNode?: number;
  checkpointMode?: CheckpointMode;
  /** Interruptions per chip-hour; wins over `failureRate`. */
  failuresPerChipHour?: number;
  /** Key into economics.json failureRates ("llama3-h100", "meta-rsc1-a100", "meta-rsc2-a100"). */
  failureRate?: string;
  restartSeconds?: number;
  /** Fixed checkpoint interval (compute seconds between checkpoints) instead of Daly's optimum. */
  intervalSeconds?: number;
  storageWriteGBpsPerNode?: number;
  storageWriteCapGBps?: number;
  hostCopyGBpsPerChip?: number;
}

/** Hours of every 1,000 wall-clock hours spent on each activity; they sum to 1,000. */
export interface HoursPer1000 {
  useful: number;
  checkpointing: number;
  rework: number;
  restart: number;
}

export interface GoodputResult {
  /** Useful compute / wall-clock time, in [0, 1]. */
  fraction: number;
  failuresPerChipHour: number;
  /** Mean time between interruptions of the whole job, M = 1 / (λ·N). */
  mtbfHours: number;
  failuresPerDay: number;
  /** Blocking checkpoint time δ. */
  checkpointSeconds: number;
  /** Time to make a checkpoint durable in storage (= δ when sync). */
  persistSeconds: number;
  /** Compute time between checkpoints τ actually used. */
  intervalSeconds: number;
  /** Young's first-order optimum sqrt(2δM), for reference. */
  youngIntervalSeconds: number;
  restartSeconds: number;
  hoursPer1000: HoursPer1000;
  assumptions: string[];
  warnings: string[];
}

/**
 * Optimum checkpoint interval τ (compute seconds between checkpoints).
 * Daly (2006), eq. 37: τ = sqrt(2δM)·[1 + (1/3)·sqrt(δ/(2M)) + (1/9)·(δ/(2M))] − δ for δ < 2M, else τ = M.
 * Young (1974) is the leading term sqrt(2δM).
 */
export function dalyInterval(deltaSeconds: number, mtbfSeconds: number): number {
  requirePositive("checkpointSeconds", deltaSeconds);
  requirePositive("mtbfSeconds", mtbfSeconds);
  if (deltaSeconds >= 2 * mtbfSeconds) return mtbfSeconds;
  const x = deltaSeconds / (2 * mtbfSeconds);
  return Math.sqrt(2 * deltaSeconds * mtbfSeconds) * (1 + Math.sqrt(x) / 3 + x / 9) - deltaSeconds;
}

/** Young (1974): τ ≈ sqrt(2δM). */
export function youngInterval(deltaSeconds: number, mtbfSeconds: number): number {
  requirePositive("checkpointSeconds", deltaSeconds);
  requirePositive("mtbfSeconds", mtbfSeconds);
  return Math.sqrt(2 * deltaSeconds * mtbfSeconds);
}

/**
 * Interruptions per chip-hour accepted, the same for the CLI's --failure-rate and the library: at 1
 * per chip-hour a chip fails every hour (published fleets: about 2e-5); 10 gave a silent nonsense.
 */
export const FAILURE_RATE_RANGE = {
  min: INPUT_LIMITS.failuresPerChipHour.min,
  max: INPUT_LIMITS.failuresPerChipHour.max,
} as const;

function failureRateOf(input: GoodputInput, assumptions: string[]): number {
  if (input.failuresPerChipHour !== undefined) {
    const { min, max } = FAILURE_RATE_RANGE;
    const rate = requireRange("failuresPerChipHour", input.failuresPerChipHour, min, max);
    assumptions.push(`failuresPerChipHour = ${rate} (user)`);
    return rate;
  }
  if (input.failureRate !== undefined) {
    // Own keys only: "__proto__" or "toString" is no preset.
    const preset = Object.hasOwn(economics.failureRates, input.failureRate)
      ? economics.failureRates[input.failureRate]
      : undefined;
    if (!preset) {
      throw new CostInputError(
        "failureRate",
        input.failureRate,
        `one of ${Object.keys(economics.failureRates).join(", ")}`,
      );
    }
    assumptions.push(`failuresPerChipHour = ${preset.value} (${input.failureRate}; ${preset.source.title})`);
    return preset.value;
  }
  assumptions.push(describeDefault("failuresPerChipHour"));
  return defaultValue("failuresPerChipHour");
}

/** Chips with no published failure data (Trainium) borrow a rate; the assumption says whose. */
function noFailureDataNote(input: GoodputInput): string | null {
  if (!input.chipId?.toLowerCase().startsWith("trn")) return null;
  const given = input.failuresPerChipHour !== undefined || input.failureRate !== undefined;
  return given
    ? `no published failure rate for ${input.chipId}: using the rate you gave`
    : `no published failure rate for ${input.chipId}: using the GPU rate above (assumption, docs/research/reliability.md §7)`;
}

function restartSecondsOf(input: GoodputInput, assumptions: string[]): number {
  const restartSeconds = requireNonNegative(
    "restartSeconds",
    input.restartSeconds ?? defaultValue("restartSeconds"),
  );
  if (input.restartSeconds === undefined) assumptions.push(describeDefault("restartSeconds"));
  return restartSeconds;
}

function checkpointOf(input: GoodputInput, chips: number, assumptions: string[]): CheckpointTime {
  const ckpt = checkpointTime({
    checkpointBytes: input.checkpointBytes,
    chips,
    chipsPerNode: input.chipsPerNode,
    mode: input.checkpointMode,
    storageWriteGBpsPerNode: input.storageWriteGBpsPerNode,
    storageWriteCapGBps: input.storageWriteCapGBps,
    hostCopyGBpsPerChip: input.hostCopyGBpsPerChip,
  });
  assumptions.push(
    `checkpoint ${ckpt.mode}: ${(input.checkpointBytes / 1e12).toFixed(3)} TB at ${ckpt.aggregateWriteGBps} GB/s aggregate`,
  );
  if (input.storageWriteGBpsPerNode === undefined)
    assumptions.push(describeDefault("storageWriteGBpsPerNode"));
  return ckpt;
}

/** τ: the interval the user fixed, else Daly's optimum for δ and M (dalyInterval above). */
function intervalOf(
  input: GoodputInput,
  ckpt: CheckpointTime,
  mtbfSeconds: number,
  assumptions: string[],
): number {
  if (input.intervalSeconds !== undefined) return requirePositive("intervalSeconds", input.intervalSeconds);
  const tau = dalyInterval(ckpt.blockingSeconds, mtbfSeconds);
  // An async checkpoint cannot start before the previous one is durable.
  if (ckpt.mode === "async" && tau < ckpt.persistSeconds) {
    assumptions.push("interval raised to the storage persist time (async checkpoints)");
    return ckpt.persistSeconds;
  }
  return tau;
}

interface TimeShares {
  fraction: number;
  hoursPer1000: HoursPer1000;
  warnings: string[];
}

/**
 * How wall time splits. Steady state over wall time W with F = W/M failures: each failure costs the
 * restart R plus the lost work since the last durable checkpoint, on average τ/2 + δ (+ the persist
 * lag when writes are async). The remaining time runs in segments of τ compute + δ checkpoint, so
 *   fraction = (1 − (R + τ/2 + δ)/M) · τ / (τ + δ).
 * First order this is 1 − δ/τ − τ/(2M) − R/M, the standard waste model behind Young/Daly.
 * When a failure costs M or more the job makes no progress: fraction 0, with a warning.
 */
function timeShares(ckpt: CheckpointTime, tau: number, restartSeconds: number, M: number): TimeShares {
  const delta = ckpt.blockingSeconds;
  const persistLag = ckpt.mode === "async" ? ckpt.persistSeconds : 0;
  const reworkSeconds = tau / 2 + delta + persistLag;
  const lossPerFailure = restartSeconds + reworkSeconds;
  if (lossPerFailure >= M) {
    // Each failure costs more than the mean time to the next one: the job never finishes.
    const share = 1000 / lossPerFailure;
    return {
      fraction: 0,
      hoursPer1000: {
        useful: 0,
        checkpointing: 0,
        rework: reworkSeconds * share,
        restart: restartSeconds * share,
      },
      warnings: [
        `restart + rework per failure (${lossPerFailure.toFixed(0)} s) >= MTBF (${M.toFixed(0)} s): no forward progress`,
      ],
    };
  }
  const running = 1 - lossPerFailure / M;
  const fraction = (running * tau) / (tau + delta);
  return {
    fraction,
    hoursPer1000: {
      useful: 1000 * fraction,
      checkpointing: (1000 * running * delta) / (tau + delta),
      rework: (1000 * reworkSeconds) / M,
      restart: (1000 * restartSeconds) / M,
    },
    warnings: [],
  };
}

/**
 * Goodput of a job on `chips` chips under random interruptions with checkpoint/restart: the failure
 * rate λ gives the job's MTBF M = 1 / (λ·N), the checkpoint write gives δ, Daly's optimum (or the
 * user's interval) gives τ, and timeShares splits wall time into useful work, checkpointing, rework
 * and restarts.
 */
export function goodput(input: GoodputInput): GoodputResult {
  const assumptions: string[] = [];
  const chips = requirePositiveInt("chips", input.chips);
  const lambda = failureRateOf(input, assumptions);
  const note = noFailureDataNote(input);
  if (note !== null) assumptions.push(note);
  const restartSeconds = restartSecondsOf(input, assumptions);
  const ckpt = checkpointOf(input, chips, assumptions);

  const mtbfHours = 1 / (lambda * chips);
  const M = mtbfHours * 3600;
  const delta = ckpt.blockingSeconds;
  const youngIntervalSeconds = youngInterval(delta, M);
  const tau = intervalOf(input, ckpt, M, assumptions);
  const { fraction, hoursPer1000, warnings } = timeShares(ckpt, tau, restartSeconds, M);
  return {
    fraction,
    failuresPerChipHour: lambda,
    mtbfHours,
    failuresPerDay: 24 / mtbfHours,
    checkpointSeconds: delta,
    persistSeconds: ckpt.persistSeconds,
    intervalSeconds: tau,
    youngIntervalSeconds,
    restartSeconds,
    hoursPer1000,
    assumptions,
    warnings,
  };
}
