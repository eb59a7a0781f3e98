import { defaultValue, describeDefault, economics } from "./assumptions.js";
import { type CheckpointMode, checkpointTime } from "./checkpoint.js";
import { CostInputError, requireNonNegative, requirePositive, requirePositiveInt } from "./errors.js";

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

function failureRateOf(input: GoodputInput, assumptions: string[]): number {
  if (input.failuresPerChipHour !== undefined) {
    assumptions.push(`failuresPerChipHour = ${input.failuresPerChipHour} (user)`);
    return requirePositive("failuresPerChipHour", input.failuresPerChipHour);
  }
  if (input.failureRate !== undefined) {
    const preset = economics.failureRates[input.failureRate];
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

/**
 * Goodput of a job on `chips` chips under random interruptions with checkpoint/restart.
 *
 * Steady state over wall time W with F = W/M failures: each failure costs the restart R plus the
 * lost work since the last durable checkpoint, on average τ/2 + δ (+ the persist lag when writes are
 * async). The remaining time runs in segments of τ compute + δ checkpoint, so
 *   fraction = (1 − (R + τ/2 + δ)/M) · τ / (τ + δ).
 * First order this is 1 − δ/τ − τ/(2M) − R/M, the standard waste model behind Young/Daly.
 */
export function goodput(input: GoodputInput): GoodputResult {
  const assumptions: string[] = [];
  const warnings: string[] = [];
  const chips = requirePositiveInt("chips", input.chips);
  const lambda = failureRateOf(input, assumptions);
  if (input.chipId?.toLowerCase().startsWith("trn")) {
    const given = input.failuresPerChipHour !== undefined || input.failureRate !== undefined;
    assumptions.push(
      given
        ? `no published failure rate for ${input.chipId}: using the rate you gave`
        : `no published failure rate for ${input.chipId}: using the GPU rate above (assumption, docs/research/reliability.md §7)`,
    );
  }
  const restartSeconds = requireNonNegative(
    "restartSeconds",
    input.restartSeconds ?? defaultValue("restartSeconds"),
  );
  if (input.restartSeconds === undefined) assumptions.push(describeDefault("restartSeconds"));

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

  const mtbfHours = 1 / (lambda * chips);
  const M = mtbfHours * 3600;
  const delta = ckpt.blockingSeconds;
  const youngIntervalSeconds = youngInterval(delta, M);
  let tau: number;
  if (input.intervalSeconds !== undefined) {
    tau = requirePositive("intervalSeconds", input.intervalSeconds);
  } else {
    tau = dalyInterval(delta, M);
    // An async checkpoint cannot start before the previous one is durable.
    if (ckpt.mode === "async" && tau < ckpt.persistSeconds) {
      tau = ckpt.persistSeconds;
      assumptions.push("interval raised to the storage persist time (async checkpoints)");
    }
  }
  const persistLag = ckpt.mode === "async" ? ckpt.persistSeconds : 0;
  const reworkPerFailure = tau / 2 + delta + persistLag;
  const lossPerFailure = restartSeconds + reworkPerFailure;

  let hoursPer1000: HoursPer1000;
  let fraction: number;
  if (lossPerFailure >= M) {
    // Each failure costs more than the mean time to the next one: the job never finishes.
    warnings.push(
      `restart + rework per failure (${lossPerFailure.toFixed(0)} s) >= MTBF (${M.toFixed(0)} s): no forward progress`,
    );
    fraction = 0;
    const share = 1000 / lossPerFailure;
    hoursPer1000 = {
      useful: 0,
      checkpointing: 0,
      rework: reworkPerFailure * share,
      restart: restartSeconds * share,
    };
  } else {
    const running = 1 - lossPerFailure / M;
    fraction = (running * tau) / (tau + delta);
    hoursPer1000 = {
      useful: 1000 * fraction,
      checkpointing: (1000 * running * delta) / (tau + delta),
      rework: (1000 * reworkPerFailure) / M,
      restart: (1000 * restartSeconds) / M,
    };
  }
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
