import type { ProfileBasis } from "../hardware/profiles.js";
import type { Chip } from "../hardware/schema.js";
import type { Parallelism } from "../plan/schema.js";
import { modelFlopsPerToken } from "../workload/flops.js";
import type { Model } from "../workload/schema.js";
import { newStageLayout, stageLayout } from "./layout.js";
import { evaluateMemory } from "./memory.js";
import { type PlanRecord, toPlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";
import type { PreparedRun } from "./run.js";
import {
  OUT_DP_TOTAL,
  OUT_EP_TOTAL,
  OUT_MEM_ACTIVATIONS,
  OUT_MEM_GRADS,
  OUT_MEM_LOGITS,
  OUT_MEM_OPTIMIZER,
  OUT_MEM_RESERVED,
  OUT_MEM_TOTAL,
  OUT_MEM_WEIGHTS,
  OUT_MICROBATCHES,
  OUT_SIZE,
  OUT_STEP,
  OUT_TOKENS_PER_SECOND_PER_RANK,
  OUT_TP_TOTAL,
  STEP_COMPONENTS,
} from "./slots.js";
import { evaluateTime } from "./step.js";

export interface MemoryResult {
  perChipBytes: number;
  perRankBytes: number;
  capacityBytes: number;
  breakdown: {
    weights: number;
    gradients: number;
    optimizerStates: number;
    activations: number;
    logits: number;
    reserved: number;
  };
}

/** One plan of one run, readable: what `simulate --json` prints and every search winner is. */
export interface SimulationResult {
  fits: boolean;
  chip: string;
  chips: number;
  parallelism: Parallelism;
  memory: MemoryResult;
  step: {
    seconds: number;
    microBatches: number;
    breakdown: Record<string, number>;
    /** Whole (hidden + exposed) communication per step, seconds. */
    communicationTotals: { tensorParallel: number; dataParallel: number; expertParallel: number };
  };
  throughput: {
    tokensPerSecond: number;
    tokensPerSecondPerChip: number;
    /** Model FLOPs utilisation against the chip's dense bf16 peak (causal attention counted). */
    mfu: number;
    /** The same against the dense peak of the plan's matrix precision (the fp8 peak for fp8 plans). */
    mfuAtPrecisionPeak: number;
    modelFlopsPerToken: number;
  };
  profileFrom: string;
  /** How the profile was obtained: fitted on the chip's own cases, a prior, borrowed, the default. */
  profileBasis: ProfileBasis;
  assumptions: string[];
}

/** Memory per rank of one plan, into `out`; returns the total in bytes. */
export function planMemory(
  prep: Prepared,
  plan: Parallelism,
  globalBatch: number,
  out: Float64Array,
): number {
  return recordMemory(prep, toPlanRecord(plan, globalBatch), out);
}

const layoutScratch = newStageLayout();

/** Memory of one plan record, its layout filled first (evaluateMemory); returns the total in bytes. */
export function recordMemory(prep: Prepared, rec: PlanRecord, out: Float64Array): number {
  return evaluateMemory(prep, rec, stageLayout(prep, rec, layoutScratch), out);
}

/** Step time of one plan record, its layout filled first (evaluateTime); returns the step seconds. */
export function recordTime(prep: Prepared, rec: PlanRecord, out: Float64Array): number {
  return evaluateTime(prep, rec, stageLayout(prep, rec, layoutScratch), out);
}

/** One plan evaluated into `out` (OUT_* slots, slots.ts); returns whether it fits. */
export function evaluatePlan(
  prep: Prepared,
  plan: Parallelism,
  globalBatch: number,
  out: Float64Array,
): boolean {
  const rec = toPlanRecord(plan, globalBatch);
  const total = recordMemory(prep, rec, out);
  recordTime(prep, rec, out);
  return total <= prep.hw.hbmBytes;
}

/** Who ran: the model, the chip and how many. */
export interface RunScale {
  model: Model;
  chip: Chip;
  chipCount: number;
}

/** The one result builder: a plan of a prepared run, evaluated, as a readable result. */
export function simulationResult(
  run: RunScale,
  prep: Prepared,
  plan: Parallelism,
  globalBatch: number,
  profile: Pick<PreparedRun, "profileFrom" | "profileBasis">,
  assumptions: string[],
): SimulationResult {
  const out = new Float64Array(OUT_SIZE);
  const fits = evaluatePlan(prep, plan, globalBatch, out);
  const rpc = prep.hw.ranksPerChip;
  const breakdown: Record<string, number> = {};
  for (const [slot, name] of STEP_COMPONENTS) breakdown[name] = out[slot];
  const perChip = out[OUT_TOKENS_PER_SECOND_PER_RANK] * rpc;
  const flopsPerToken = modelFlopsPerToken(run.model, prep.seqLen);
  const peak = run.chip.peakTflops;
  const precisionPeak = plan.precision === "fp8" ? (peak.fp8 ?? peak.bf16) : peak.bf16;
  return {
    fits,
    chip: run.chip.id,
    chips: run.chipCount,
    parallelism: plan,
    memory: {
      perRankBytes: out[OUT_MEM_TOTAL],
      perChipBytes: out[OUT_MEM_TOTAL] * rpc,
      capacityBytes: prep.hw.hbmBytes * rpc,
      breakdown: {
        weights: out[OUT_MEM_WEIGHTS] * rpc,
        gradients: out[OUT_MEM_GRADS] * rpc,
        optimizerStates: out[OUT_MEM_OPTIMIZER] * rpc,
        activations: out[OUT_MEM_ACTIVATIONS] * rpc,
        logits: out[OUT_MEM_LOGITS] * rpc,
        reserved: out[OUT_MEM_RESERVED] * rpc,
      },
    },
    step: {
      seconds: out[OUT_STEP],
      microBatches: out[OUT_MICROBATCHES],
      breakdown,
      communicationTotals: {
        tensorParallel: out[OUT_TP_TOTAL],
        dataParallel: out[OUT_DP_TOTAL],
        expertParallel: out[OUT_EP_TOTAL],
      },
    },
    throughput: {
      tokensPerSecond: perChip * run.chipCount,
      tokensPerSecondPerChip: perChip,
      mfu: (flopsPerToken * perChip) / (peak.bf16 * 1e12),
      mfuAtPrecisionPeak: (flopsPerToken * perChip) / (precisionPeak * 1e12),
      modelFlopsPerToken: flopsPerToken,
    },
    profileFrom: profile.profileFrom,
    profileBasis: profile.profileBasis,
    assumptions,
  };
}
