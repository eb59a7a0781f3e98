import type { Profile, ProfileFile } from "../hardware/profile.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import type { Chip } from "../hardware/schema.js";
import type { Parallelism, Precision, Recompute, ZeroStage } from "../plan/schema.js";
import { modelFlopsPerToken } from "../workload/flops.js";
import { workloadOperators } from "../workload/operators.js";
import type { Model } from "../workload/schema.js";
import {
  type AttentionKernel,
  evaluateMemory,
  evaluateTime,
  type GradientReduce,
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
  type Prepared,
  prepare,
  RECOMPUTE_FULL,
  RECOMPUTE_NONE,
  RECOMPUTE_OFFLOAD,
  RECOMPUTE_SELECTIVE,
  STEP_COMPONENTS,
} from "./evaluate.js";

/** A run to simulate; null parallel fields are filled with what such a run most likely used. */
export interface SimulationInput {
  model: Model;
  chip: Chip;
  chipCount: number;
  /** "neuroncore": tp/pp/dp count Trainium NeuronCores (Neuron's tables); otherwise chips. */
  unit?: "chip" | "neuroncore";
  neuronCoresPerChip?: number | null;
  precision: Precision;
  parallelism: {
    tp: number;
    pp: number;
    vpp?: number;
    dp?: number | null;
    cp?: number;
    ep?: number;
    sequenceParallel?: boolean | null;
    zero?: ZeroStage | null;
    recompute?: Recompute | null;
  };
  globalBatch: number;
  microBatch?: number | null;
  seqLen?: number;
  /** Attention kernel generation (default "fused": cuDNN / FlashAttention-3 class). */
  attentionKernel?: AttentionKernel;
  /**
   * Precision of the data-parallel gradient buffers and their reduction. Default fp32: Megatron-LM
   * accumulates and reduces bf16 runs' gradients in fp32; NVIDIA's performance recipes reduce in bf16.
   */
  gradientReduce?: GradientReduce;
  /** Assumptions already made while reading the scenario (reported with the result). */
  assumptions?: string[];
}

export interface SimulationOptions {
  profiles?: ProfileFile;
  /** Use this profile instead of the chip's fitted one (calibration). */
  profile?: Profile;
}

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
  assumptions: string[];
}

const RECOMPUTE_CODE: Record<Recompute, number> = {
  none: RECOMPUTE_NONE,
  selective: RECOMPUTE_SELECTIVE,
  full: RECOMPUTE_FULL,
  offload: RECOMPUTE_OFFLOAD,
};
const ZERO_CODE: Record<ZeroStage, number> = { zero0: 0, zero1: 1, zero2: 2, zero3: 3 };

/** Memory per rank of one plan, into `out`; returns the total in bytes. */
function planMemory(prep: Prepared, plan: Parallelism, globalBatch: number, out: Float64Array): number {
  const { tp, pp, vpp, dp, cp, ep, microBatch } = plan;
  const m = globalBatch / (dp * microBatch);
  const sp = plan.sequenceParallel ? 1 : 0;
  const fp8 = plan.precision === "fp8" ? 1 : 0;
  const rc = RECOMPUTE_CODE[plan.recompute];
  return evaluateMemory(prep, tp, pp, vpp, dp, cp, ep, microBatch, m, rc, ZERO_CODE[plan.zero], sp, fp8, out);
}

/** One plan evaluated into `out`; returns whether it fits. */
export function evaluatePlan(
  prep: Prepared,
  plan: Parallelism,
  globalBatch: number,
  out: Float64Array,
): boolean {
  const total = planMemory(prep, plan, globalBatch, out);
  const { tp, pp, vpp, dp, cp, ep, microBatch } = plan;
  const rc = RECOMPUTE_CODE[plan.recompute];
  const sp = plan.sequenceParallel ? 1 : 0;
  const fp8 = plan.precision === "fp8" ? 1 : 0;
  evaluateTime(
    prep,
    tp,
    pp,
    vpp,
    dp,
    cp,
    ep,
    microBatch,
    rc,
    ZERO_CODE[plan.zero],
    sp,
    fp8,
    globalBatch,
    out,
  );
  return total <= prep.hw.hbmBytes;
}

/** A run made ready to evaluate: the prepared workload/hardware and the resolved plan. */
export interface ResolvedRun {
  prep: Prepared;
  plan: Parallelism;
  profileFrom: string;
  assumptions: string[];
}

/** Resolves a run's hardware view, profile and plan (filling unpublished fields with stated assumptions). */
export function resolveRun(input: SimulationInput, options: SimulationOptions = {}): ResolvedRun {
  const assumptions: string[] = [...(input.assumptions ?? [])];
  const unit = input.unit ?? "chip";
  const hw = rankHardware(input.chip, unit, input.neuronCoresPerChip);
  const choice = options.profile
    ? { profile: options.profile, from: "given" }
    : profileForChip(input.chip, options.profiles);
  if (choice.from !== input.chip.id && choice.from !== "given") {
    assumptions.push(
      `performance profile: ${input.chip.id} has no validation cases of its own; using the profile fitted for ${choice.from}`,
    );
  }
  const seqLen = input.seqLen ?? input.model.seqLen;
  const ops = workloadOperators(input.model, seqLen);
  const prep = prepare(
    ops,
    hw,
    choice.profile,
    input.attentionKernel ?? "fused",
    input.gradientReduce ?? "fp32",
  );
  if (input.gradientReduce === "bf16") {
    assumptions.push("gradients kept and reduced in bf16 (2 bytes per parameter, half the fp32 traffic)");
  }
  if (input.attentionKernel === "unfused") {
    assumptions.push(
      "attention kernel: unfused (scores materialized over the whole sequence, softmax and dropout in memory, as before FlashAttention)",
    );
  }
  if (input.attentionKernel === "flash2") {
    assumptions.push(
      `attention kernel: FlashAttention-2 generation, at ${choice.profile.flash2AttentionRatio.toFixed(2)} of the fused kernel's speed`,
    );
  }
  const ranks = input.chipCount * hw.ranksPerChip;
  if (unit === "neuroncore") {
    assumptions.push(
      `parallel sizes count NeuronCores: ${hw.ranksPerChip} ranks per ${input.chip.id} chip, each with 1/${hw.ranksPerChip} of its compute, memory and links`,
    );
  }
  const plan = resolvePlan(input, ranks, prep, assumptions);
  return { prep, plan, profileFrom: choice.from, assumptions };
}

/** Simulates one training run: memory per chip, step time with its breakdown, throughput. */
export function simulate(input: SimulationInput, options: SimulationOptions = {}): SimulationResult {
  const run = resolveRun(input, options);
  const out = new Float64Array(OUT_SIZE);
  const fits = evaluatePlan(run.prep, run.plan, input.globalBatch, out);
  return buildResult(input, run.prep, run.plan, out, fits, run.profileFrom, run.assumptions);
}

function resolvePlan(
  input: SimulationInput,
  ranks: number,
  prep: Prepared,
  assumptions: string[],
): Parallelism {
  const p = input.parallelism;
  const tp = p.tp;
  const pp = p.pp;
  const cp = p.cp ?? 1;
  const ep = p.ep ?? 1;
  const vpp = p.vpp ?? 1;
  const dp = p.dp ?? Math.max(1, Math.floor(ranks / (tp * pp * cp)));
  if (p.dp == null) assumptions.push(`dp = ${dp} (ranks / (tp x pp x cp))`);
  let sequenceParallel = p.sequenceParallel ?? tp > 1;
  if (p.sequenceParallel == null && tp > 1) {
    assumptions.push("sequence parallelism on (Megatron-Core default with tensor parallelism)");
  }
  if (tp === 1) sequenceParallel = false;
  const zero: ZeroStage = p.zero ?? (dp > 1 ? "zero1" : "zero0");
  if (p.zero == null && dp > 1) {
    assumptions.push("ZeRO-1 (distributed optimizer: optimizer states sharded over data parallel ranks)");
  }
  let microBatch = input.microBatch ?? 1;
  if (input.microBatch == null) assumptions.push("micro-batch = 1 sequence (not published)");
  if (input.globalBatch % (dp * microBatch) !== 0) {
    assumptions.push(
      `micro-batch ${microBatch} does not divide the per-rank batch ${input.globalBatch}/${dp}; using 1`,
    );
    microBatch = 1;
  }
  const base: Parallelism = {
    tp,
    pp,
    vpp,
    dp,
    cp,
    ep,
    microBatch,
    recompute: p.recompute ?? "none",
    zero,
    sequenceParallel,
    precision: input.precision === "fp16" ? "bf16" : input.precision,
  };
  if (input.precision === "fp16") assumptions.push("fp16 runs at the bf16 tensor rate");
  if (input.precision === "fp8" && input.chip.peakTflops.fp8 == null) {
    assumptions.push(`${input.chip.id} has no fp8 tensor path: fp8 runs at the bf16 rate`);
  }
  if (p.recompute == null) {
    // The lightest recomputation that fits is what a tuned run would use.
    const out = new Float64Array(OUT_SIZE);
    // Offloading, where the chip has a coherent host link (Grace), comes before full recomputation:
    // NVIDIA's GB200 recipes offload (Megatron-Bridge llama3 70B: cpu_offloading_num_layers 20-40).
    const order =
      prep.hw.hostLinkBytesPerSecond > 0
        ? (["none", "selective", "offload", "full"] as const)
        : (["none", "selective", "full"] as const);
    for (const r of order) {
      base.recompute = r;
      if (planMemory(prep, base, input.globalBatch, out) <= prep.hw.hbmBytes) break;
    }
    assumptions.push(`activation recomputation: ${base.recompute} (the lightest that fits; not published)`);
  }
  return base;
}

function buildResult(
  input: SimulationInput,
  prep: Prepared,
  plan: Parallelism,
  out: Float64Array,
  fits: boolean,
  profileFrom: string,
  assumptions: string[],
): SimulationResult {
  const rpc = prep.hw.ranksPerChip;
  const breakdown: Record<string, number> = {};
  for (const [slot, name] of STEP_COMPONENTS) breakdown[name] = out[slot];
  const perRankTps = out[OUT_TOKENS_PER_SECOND_PER_RANK];
  const perChip = perRankTps * rpc;
  const flopsPerToken = modelFlopsPerToken(input.model, prep.seqLen);
  return {
    fits,
    chip: input.chip.id,
    chips: input.chipCount,
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
      tokensPerSecond: perChip * input.chipCount,
      tokensPerSecondPerChip: perChip,
      mfu: (flopsPerToken * perChip) / (input.chip.peakTflops.bf16 * 1e12),
      mfuAtPrecisionPeak:
        (flopsPerToken * perChip) /
        ((plan.precision === "fp8"
          ? (input.chip.peakTflops.fp8 ?? input.chip.peakTflops.bf16)
          : input.chip.peakTflops.bf16) *
          1e12),
      modelFlopsPerToken: flopsPerToken,
    },
    profileFrom,
    assumptions,
  };
}
