import type { Profile, ProfileFile } from "../hardware/profile.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import type { Chip } from "../hardware/schema.js";
import {
  type AttentionKernel,
  DEFAULT_ATTENTION_KERNEL,
  DEFAULT_GRADIENT_REDUCE,
  DEFAULT_RANK_UNIT,
  type GradientReduce,
  type RankUnit,
} from "../plan/schema.js";
import { workloadOperators } from "../workload/operators.js";
import type { Model } from "../workload/schema.js";
import { type Prepared, prepare } from "./prepare.js";

/** What fixes a run apart from its parallel plan: the workload, the chip and the software around them. */
export interface RunSpec {
  model: Model;
  chip: Chip;
  /** "neuroncore": parallel sizes count Trainium NeuronCores (Neuron's tables); default chips. */
  unit?: RankUnit;
  neuronCoresPerChip?: number | null;
  /** Sequence length (default: the model's). */
  seqLen?: number;
  /** Attention kernel generation (default fused: cuDNN / FlashAttention-3 class). */
  attentionKernel?: AttentionKernel;
  /**
   * Precision of the data-parallel gradient buffers and their reduction. Default fp32: Megatron-LM
   * accumulates and reduces bf16 runs' gradients in fp32; NVIDIA's performance recipes reduce in bf16.
   */
  gradientReduce?: GradientReduce;
}

/** Which profile a run uses: the fitted ones (default the shipped file), or one given outright. */
export interface ProfileChoice {
  profiles?: ProfileFile;
  /** Use this profile instead of the chip's fitted one (calibration). */
  profile?: Profile;
}

/** A run made ready to evaluate any plan: its prepared constants and what preparing it assumed. */
export interface PreparedRun {
  prep: Prepared;
  /** The chip whose fitted profile is used ("given" when the caller passed one). */
  profileFrom: string;
  assumptions: string[];
}

/**
 * The one preparation of a run, shared by simulate, the plan search and calibration: the hardware as
 * one rank sees it, the profile, the workload's operators and the per-run constants.
 */
export function prepareRun(spec: RunSpec, choice: ProfileChoice = {}): PreparedRun {
  const assumptions: string[] = [];
  const unit = spec.unit ?? DEFAULT_RANK_UNIT;
  const hw = rankHardware(spec.chip, unit, spec.neuronCoresPerChip);
  const picked = choice.profile
    ? { profile: choice.profile, from: "given" }
    : profileForChip(spec.chip, choice.profiles);
  if (picked.from !== spec.chip.id && picked.from !== "given") {
    assumptions.push(
      `performance profile: ${spec.chip.id} has no validation cases of its own; using the profile fitted for ${picked.from}`,
    );
  }
  const ops = workloadOperators(spec.model, spec.seqLen ?? spec.model.seqLen);
  const kernel = spec.attentionKernel ?? DEFAULT_ATTENTION_KERNEL;
  const prep = prepare(ops, hw, picked.profile, kernel, spec.gradientReduce ?? DEFAULT_GRADIENT_REDUCE);
  if (spec.gradientReduce === "bf16") {
    assumptions.push("gradients kept and reduced in bf16 (2 bytes per parameter, half the fp32 traffic)");
  }
  if (kernel === "unfused") {
    assumptions.push(
      "attention kernel: unfused (scores materialized over the whole sequence, softmax and dropout in memory, as before FlashAttention)",
    );
  }
  if (kernel === "flash2") {
    assumptions.push(
      `attention kernel: FlashAttention-2 generation, at ${picked.profile.flash2AttentionRatio.toFixed(2)} of the fused kernel's speed`,
    );
  }
  if (unit === "neuroncore") {
    assumptions.push(
      `parallel sizes count NeuronCores: ${hw.ranksPerChip} ranks per ${spec.chip.id} chip, each with 1/${hw.ranksPerChip} of its compute, memory and links`,
    );
  }
  return { prep, profileFrom: picked.from, assumptions };
}
