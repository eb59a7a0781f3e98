import type { Profile, ProfileFile } from "../hardware/profile.js";
import { type ProfileBasis, profileForChip } from "../hardware/profiles.js";
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
  /** How that profile was obtained (fitted, prior, borrowed, default, given). */
  profileBasis: ProfileBasis;
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
    ? { profile: choice.profile, from: "given", basis: "given" as const }
    : profileForChip(spec.chip, choice.profiles);
  const profileNote = profileAssumption(spec.chip.id, picked.from, picked.basis);
  if (profileNote) assumptions.push(profileNote);
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
  if (unit === "neuroncore") assumptions.push(neuronCoreAssumption(spec.chip, hw.ranksPerChip));
  return { prep, profileFrom: picked.from, profileBasis: picked.basis, assumptions };
}

/** What the profile rests on, when it is not the chip's own fit (the band widens for these). */
function profileAssumption(chipId: string, from: string, basis: ProfileBasis): string | null {
  if (basis === "fitted" || basis === "given") return null;
  if (basis === "prior") {
    return `performance profile basis: prior (${chipId} has no validation cases of its own; ${from}'s prior takes the hardware from the catalog and each software efficiency from a stated fit, data/profile-priors.json)`;
  }
  if (basis === "default") {
    return `performance profile basis: default (${chipId} has no validation cases, prior or chip to borrow from; the cross-chip fit stands in and its own software stack is not modelled: a rough guide, not a validated prediction)`;
  }
  return `performance profile: ${chipId} has no validation cases of its own; using the profile fitted for ${from}`;
}

/** A NeuronCore rank's share of its chip, and the logical-core default it counts by. */
function neuronCoreAssumption(chip: Chip, ranksPerChip: number): string {
  const physical = chip.physicalNeuronCoresPerChip;
  const lnc =
    physical && physical !== ranksPerChip
      ? ` (logical NeuronCores: LNC=${physical / ranksPerChip} groups ${physical / ranksPerChip} of the ${physical} physical cores${ranksPerChip === chip.neuronCoresPerChip ? ", Neuron's default" : ""})`
      : physical
        ? ` (physical NeuronCores${physical === chip.neuronCoresPerChip ? "" : ", LNC=1"})`
        : "";
  return `parallel sizes count NeuronCores: ${ranksPerChip} ranks per ${chip.id} chip${lnc}, each with 1/${ranksPerChip} of its compute, memory and links`;
}
