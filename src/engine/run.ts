import { InputError, inputErrorFromZod, type ZodErrorLike } from "../errors.js";
import {
  checkRetiredProfileFileKeys,
  checkRetiredProfileKeys,
  type ErrorBand,
  type Profile,
  type ProfileFile,
  ProfileFileSchema,
  ProfileSchema,
} from "../hardware/profile.js";
import { type ProfileBasis, profileForChip, shippedProfiles } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import type { Chip } from "../hardware/schema.js";
import {
  type AttentionKernel,
  DEFAULT_RANK_UNIT,
  type GradientReduce,
  type RankUnit,
} from "../plan/schema.js";
import type { Software } from "../plan/software.js";
import {
  defaultFramework,
  KNOB_OF,
  type ResolvedSoftware,
  resolveSoftware,
} from "../plan/softwareDefaults.js";
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
  /** The training stack and its knobs (default: the chip's usual stack with its defaults, stated). */
  software?: Software;
  /** Shorthand for software.attentionKernel (default fused: cuDNN / FlashAttention-3 class). */
  attentionKernel?: AttentionKernel;
  /**
   * Shorthand for software.gradientReduce. Default fp32: Megatron-LM
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
  /** How far measured throughput strays from predicted for runs of this class (null: no band known). */
  band: ErrorBand | null;
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
  const { profile, profiles } = checkedProfileChoice(choice);
  const picked = profile
    ? { profile, from: "given", basis: "given" as const }
    : profileForChip(spec.chip, profiles);
  const profileNote = profileAssumption(spec.chip.id, picked.from, picked.basis);
  if (profileNote) assumptions.push(profileNote);
  const software = runSoftware(spec);
  const ops = workloadOperators(
    spec.model,
    spec.seqLen ?? spec.model.seqLen,
    software.expertCapacityFactor ?? 1,
  );
  assumptions.push(...softwareAssumptions(software, ops.moeLayers > 0));
  const kernel = software.attentionKernel;
  const prep = prepare(ops, hw, picked.profile, software);
  if (software.gradientReduce === "bf16") {
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
  const band = profile ? null : throughputBand(profiles ?? shippedProfiles, ops.moeLayers > 0, picked.basis);
  return { prep, profileFrom: picked.from, profileBasis: picked.basis, band, assumptions };
}

const checkedFiles = new WeakMap<object, ProfileFile>();
const checkedProfiles = new WeakMap<object, Profile>();

/**
 * A library caller's profiles, read through their schema once per object: out-of-range or missing
 * values are refused with the field named, and fields newer than the caller's file take their
 * defaults (an older file without attentionTilesHalf gave NaN step times).
 */
function checkedProfileChoice(choice: ProfileChoice): ProfileChoice {
  const out: ProfileChoice = {};
  if (choice.profiles && choice.profiles !== shippedProfiles) {
    checkRetiredProfileFileKeys(choice.profiles, "profiles");
    out.profiles = checkedOnce(checkedFiles, choice.profiles, ProfileFileSchema, "profiles");
  } else out.profiles = choice.profiles;
  if (choice.profile) {
    checkRetiredProfileKeys(choice.profile, "profile");
    out.profile = checkedOnce(checkedProfiles, choice.profile, ProfileSchema, "profile");
  }
  return out;
}

function checkedOnce<T>(
  cache: WeakMap<object, T>,
  raw: object,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodErrorLike } },
  field: string,
): T {
  const hit = cache.get(raw);
  if (hit) return hit;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, raw, field, schema);
  cache.set(raw, parsed.data);
  return parsed.data;
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

/** The run's software stack, every knob decided (the top-level kernel and gradient fields are shorthands). */
export function runSoftware(spec: RunSpec): ResolvedSoftware {
  const given: Software = { ...spec.software };
  for (const key of ["attentionKernel", "gradientReduce"] as const) {
    const shorthand = spec[key];
    if (shorthand == null) continue;
    if (given[key] != null && given[key] !== shorthand) {
      throw new InputError({
        field: key,
        value: shorthand,
        allowed: `the same value as software.${key} (${given[key]}), or only one of the two`,
      });
    }
    (given as Record<string, unknown>)[key] = shorthand;
  }
  const software = resolveSoftware(given, defaultFramework(spec.chip.vendor));
  checkCapacity(software, spec.model.moe != null);
  return software;
}

/**
 * Padding experts to capacity is a Megatron path (--moe-pad-expert-input-to-capacity) and DeepSpeed-MoE's
 * fixed-capacity gate (drop_tokens, capacity_factor); torchtitan routes dropless only, and the other
 * stacks' capacity settings were not read, so they are refused rather than guessed. Within Megatron only the alltoall
 * dispatcher pads (token_dispatcher.py, drop_and_pad): its flex dispatcher (DeepEP, HybridEP) refuses
 * moe_pad_expert_input_to_capacity (transformer_config.py, core_v0.15.0), and the allgather dispatcher
 * has no padding path. A dense model has no experts to pad: the knob does not apply, as the others.
 */
function checkCapacity(s: ResolvedSoftware, moe: boolean): void {
  const factor = s.expertCapacityFactor;
  if (factor == null || !moe) return;
  if (!PADDING_FRAMEWORKS.has(s.framework)) {
    throw new InputError({
      field: "software.expertCapacityFactor",
      value: factor,
      allowed: `no capacity factor (dropless) on ${s.framework}; padding to capacity is modelled on megatron-core, megatron-bridge and megatron-deepspeed`,
    });
  }
  if (s.moeDispatcher !== "alltoall") {
    throw new InputError({
      field: "software.expertCapacityFactor",
      value: factor,
      allowed: `only with moeDispatcher "alltoall", the one dispatcher that pads expert inputs to capacity (this run: "${s.moeDispatcher}"); leave it out for dropless`,
    });
  }
}

const PADDING_FRAMEWORKS = new Set<string>(["megatron-core", "megatron-bridge", "megatron-deepspeed"]);

const MOE_KNOBS = new Set(["moeDispatcher", "expertCommOverlap", "expertCapacityFactor"]);

/** The knobs that matter to this run and were not given, each with the framework's reason. */
function softwareAssumptions(s: ResolvedSoftware, moe: boolean): string[] {
  const lines: string[] = [];
  if (!s.frameworkGiven) lines.push(`software stack: ${s.framework} (not given; its defaults below)`);
  for (const [knob, reason] of Object.entries(s.reasons)) {
    if (!moe && MOE_KNOBS.has(knob)) continue;
    // Sequence parallelism and the distributed optimizer are stated with the plan (they apply only
    // with tensor and data parallelism).
    if (knob === "sequenceParallelWithTp" || knob === "distributedOptimizer") continue;
    const name = KNOB_OF[knob as keyof typeof KNOB_OF];
    lines.push(`${name}: ${String(s[knob as keyof ResolvedSoftware])} (${reason})`);
  }
  return lines;
}

/**
 * The error band of a run's class (src/validation/errorBands.ts): dense or MoE, and whether the chip's
 * profile was fitted on its own runs; a prior, borrowed or default profile takes the unseen-chip band.
 */
export function throughputBand(file: ProfileFile, moe: boolean, basis: ProfileBasis): ErrorBand | null {
  const seen = basis === "fitted";
  return file.bands?.[`${moe ? "moe" : "dense"}/${seen ? "seen" : "unseen"}`] ?? null;
}
