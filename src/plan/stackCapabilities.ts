import type { Chip } from "../hardware/schema.js";
import { choiceAllows, INTEGER_DIMENSIONS, type IntegerChoice, type PlanConstraints } from "./constraints.js";
import { type RecomputeForm, recomputeFormPrefix } from "./schema.js";
import type { Framework, PipelineSchedule } from "./software.js";
import type { ResolvedSoftware } from "./softwareDefaults.js";

/**
 * What each training stack can run, as the plan constraints it puts on the search: a plan the stack
 * cannot express is removed (and counted as removed by the stack), never recommended silently. Each
 * entry says the release it was read at and where; a dimension left out is one the stack runs in
 * full (as far as the search's own rules go: e.g. ZeRO-2/3 only without pipelining, layoutSearch.ts).
 *
 * Sequence parallelism is a constraint on plans with tp > 1 only (it shards along the tensor-parallel
 * group, so there is nothing to say without one): torchtitan's `[true]` means "tp always comes with
 * sequence parallelism", which is how its tensor-parallel plans are written.
 */
export interface StackCapabilities {
  framework: Framework;
  /** The release the capabilities below were read at. */
  version: string;
  /** Where: documentation pages and source files at that release. */
  sources: string[];
  constraints: PlanConstraints;
  /**
   * The recompute families the stack runs for any N or module list, where constraints.recompute lists
   * its fixed words: the layer forms (`full-<form>-N`) and Megatron-Core's modules words (`modules-...`);
   * a family left out is run only at the words the list names.
   */
  recomputeForms?: RecomputeForm[];
  /**
   * ZeRO-2/3 (FSDP) together with pipelining: torchtitan runs them together (FSDP2 inside each stage,
   * parallelize.py), where Megatron shards gradients and weights only without pipelining.
   */
  shardsWithPipelining?: boolean;
  /** What the constraints cannot say, or what a user should know about the stack. */
  notes: string[];
}

const BF16_OR_FP16 = ["bf16", "fp16"] as const;
const NO_OFFLOAD = ["none", "selective", "full"] as const;
/** Megatron's fixed recompute words: Korthikanti's selective (core_attn), full, none, offloading. */
const MEGATRON_RECOMPUTE = ["none", "selective", "full", "offload"] as const;
/** Full recomputation on N layers per chunk or in units of N (Megatron-LM before Core too). */
const MEGATRON_LAYER_FORMS: RecomputeForm[] = ["block", "uniform"];
/** Megatron-Core's also: its recompute_modules (TransformerConfig, core_v0.14.0). */
const MEGATRON_RECOMPUTE_FORMS: RecomputeForm[] = [...MEGATRON_LAYER_FORMS, "modules"];

export const STACK_CAPABILITIES: Record<Framework, StackCapabilities> = {
  "megatron-core": {
    framework: "megatron-core",
    version: "Megatron-LM core_v0.14.0 (23e00ed)",
    sources: [
      "github.com/NVIDIA/Megatron-LM megatron/training/arguments.py @ core_v0.14.0: --tensor-model-parallel-size, --pipeline-model-parallel-size, --num-layers-per-virtual-pipeline-stage, --context-parallel-size, --expert-model-parallel-size, --sequence-parallel, --recompute-granularity {full, selective}, --use-distributed-optimizer, --use-megatron-fsdp with --data-parallel-sharding-strategy {no_shard, optim, optim_grads, optim_grads_params}, --fp8-format {e4m3, hybrid}",
      "github.com/NVIDIA/Megatron-LM megatron/core/transformer/transformer_config.py @ core_v0.19.0: fine_grained_activation_offloading",
      "github.com/NVIDIA/Megatron-LM megatron/core/transformer/transformer_config.py @ core_v0.14.0: recompute_granularity {selective, full}, recompute_method {uniform, block}, recompute_num_layers; recompute_modules default [core_attn]",
    ],
    constraints: { recompute: [...MEGATRON_RECOMPUTE] },
    recomputeForms: MEGATRON_RECOMPUTE_FORMS,
    notes: [
      "every dimension the search tries; activation offloading is a TransformerConfig field (fine_grained_activation_offloading, core_v0.19.0) with no command-line flag at core_v0.14.0",
      "recomputation: selective (core_attn), full, and full on N layers (--recompute-method block, full-block-N) or in units of N (uniform, full-uniform-N), searched when named (--recompute full-block-4); recompute modules (modules-layernorm+moe_act), the ones acting on an MoE or multi-latent-attention model searched; not torchtitan's per-operator or every-N-th-layer checkpointing",
    ],
  },
  "megatron-bridge": {
    framework: "megatron-bridge",
    version: "Megatron-Bridge r0.2.0-r0.4.0 on Megatron-Core",
    sources: [
      "github.com/NVIDIA-NeMo/Megatron-Bridge scripts/performance (recipes set every Megatron-Core parallel dimension)",
    ],
    constraints: { recompute: [...MEGATRON_RECOMPUTE] },
    recomputeForms: MEGATRON_RECOMPUTE_FORMS,
    notes: ["NVIDIA's recipes over Megatron-Core: every dimension Megatron-Core runs"],
  },
  "megatron-lm-legacy": {
    framework: "megatron-lm-legacy",
    version: "Megatron-LM 2021-2022 (Narayanan et al. 2021; Korthikanti et al. 2022)",
    sources: [
      "Narayanan et al. 2021, Efficient Large-Scale Language Model Training on GPU Clusters (tp, pp, interleaved schedule)",
      "Korthikanti et al. 2022, Reducing Activation Recomputation in Large Transformer Models (sequence parallelism, selective recomputation)",
      "github.com/NVIDIA/Megatron-LM megatron/arguments.py @ v2.6 (3860e99, 2021-08): --activations-checkpoint-method {uniform, block}, --activations-checkpoint-num-layers",
    ],
    constraints: {
      cp: 1,
      ep: 1,
      zero: ["zero0", "zero1"],
      recompute: [...NO_OFFLOAD],
      precision: [...BF16_OR_FP16],
    },
    recomputeForms: MEGATRON_LAYER_FORMS,
    notes: [
      "no context or expert parallelism, no fp8 and no FSDP before Megatron-Core; the distributed optimizer (ZeRO-1) arrived in 2022",
    ],
  },
  "megatron-deepspeed": {
    framework: "megatron-deepspeed",
    version: "microsoft/Megatron-DeepSpeed f4157be (2024-12-24)",
    sources: [
      "github.com/microsoft/Megatron-DeepSpeed megatron/arguments.py @ f4157be: --recompute-granularity {full, selective}, --fp8-hybrid (Transformer Engine), --num-experts, --ds-sequence-parallel-size (DeepSpeed-Ulysses)",
    ],
    constraints: { vpp: 1, cp: 1, recompute: [...NO_OFFLOAD] },
    notes: [
      "DeepSpeed's pipeline engine runs 1F1B without interleaving (virtual stages only on Megatron's own schedule, which DeepSpeed runs replace)",
      "DeepSpeed-Ulysses sequence parallelism (all-to-all over heads) is not the ring context parallelism the engine models, so cp stays 1",
    ],
  },
  "pytorch-fsdp1": {
    framework: "pytorch-fsdp1",
    version: "llm-foundry v0.21.0 (ecf6033) on Composer",
    sources: [
      "github.com/mosaicml/llm-foundry llmfoundry/command_utils/train.py @ v0.21.0: fsdp_config and tp_config (parallelism_config {fsdp, tp})",
      "github.com/mosaicml/llm-foundry README.md @ v0.21.0: TransformerEngine and amp_fp8 support",
      "PyTorch FSDP1 sharding strategies: NO_SHARD (ZeRO-0), SHARD_GRAD_OP (ZeRO-2), FULL_SHARD (ZeRO-3)",
    ],
    constraints: {
      pp: 1,
      vpp: 1,
      cp: 1,
      zero: ["zero0", "zero2", "zero3"],
      recompute: ["none", "full"],
      sequenceParallel: [false],
    },
    notes: [
      "FSDP1 has no ZeRO-1 (optimizer-only) sharding; activation checkpointing wraps whole blocks (activation_checkpointing_target picks modules, not Megatron's selective attention recomputation)",
      "MegaBlocks expert parallelism for MoE models is not checked here",
    ],
  },
  torchtitan: {
    framework: "torchtitan",
    version: "torchtitan v0.2.2 (73a0e69)",
    sources: [
      "github.com/pytorch/torchtitan torchtitan/config/job_config.py @ v0.2.2: [parallelism] data_parallel_replicate_degree, data_parallel_shard_degree, fsdp_reshard_after_forward, tensor_parallel_degree, pipeline_parallel_degree, pipeline_parallel_schedule, context_parallel_degree, expert_parallel_degree; [activation_checkpoint] mode {selective, full, memory_budget, none}",
      "github.com/pytorch/torchtitan torchtitan/models/llama3/infra/parallelize.py @ v0.2.2: the tensor-parallel plan shards norms with SequenceParallel()",
      "github.com/pytorch/torchtitan torchtitan/components/quantization/float8.py @ v0.2.2: converter quantize.linear.float8",
      'github.com/pytorch/torchtitan torchtitan/distributed/activation_checkpoint.py @ v0.2.2: mode "selective" with selective_ac_option "op" (per-operator: _apply_op_sac) or an integer N (every N-th layer: _apply_layer_sac), mode "full"; job_config.py defaults selective_ac_option to "2"',
    ],
    constraints: {
      zero: ["zero0", "zero2", "zero3"],
      recompute: ["none", "selective-op", "full-every-2", "full"],
      sequenceParallel: [true],
    },
    recomputeForms: ["every"],
    shardsWithPipelining: true,
    notes: [
      "recomputation: per-operator selective checkpointing (selective-op), every N-th layer in full (full-every-N; the search tries N = 2, job_config.py's default, and others when named), or full; not Megatron's attention-core selective recomputation",
      "FSDP2 shards parameters, gradients and optimizer states together (ZeRO-3; ZeRO-2 with fsdp_reshard_after_forward = never); no ZeRO-1",
      "tensor parallelism always comes with sequence parallelism on the norms",
    ],
  },
  "neuronx-distributed": {
    framework: "neuronx-distributed",
    version:
      "NeuronX Distributed Training, Neuron SDK 2.26.0 (aws-neuron/neuronx-distributed-training 9169aa0)",
    sources: [
      "awsdocs-neuron: NxD Training library features (archive/nxd-training/features.rst): data, tensor, sequence, pipeline (1F1B and interleaved), ZeRO-1, expert and context parallelism; precision FP32, BF16 (+ stochastic rounding), ZeRO-1 with FP32 master weights",
      "awsdocs-neuron: NxD Training YAML configuration (archive/nxd-training/config_overview.rst): distributed_strategy {tensor_model_parallel_size, pipeline_model_parallel_size, virtual_pipeline_model_parallel_size, context_parallel_size, zero1, sequence_parallel}; activations_checkpoint_granularity {selective, full, null}",
      "github.com/aws-neuron/neuronx-distributed src/neuronx_distributed/parallel_layers/parallel_state.py (initialize_model_parallel: tensor, pipeline, context, expert sizes)",
    ],
    constraints: {
      zero: ["zero0", "zero1"],
      recompute: [...NO_OFFLOAD],
      precision: ["bf16"],
    },
    notes: [
      "no fp8 and no ZeRO-2/3 (FSDP) in NxD Training",
      "Neuron announced the end of NxD Training and NxD Core training APIs after PyTorch 2.9 (2025-12-16); the native stack is --framework torchneuron",
    ],
  },
  torchneuron: {
    framework: "torchneuron",
    version: "TorchNeuron, Neuron documentation of 2026-05-29 (frameworks/torch/pytorch-native-overview.rst)",
    sources: [
      "awsdocs-neuron frameworks/torch/pytorch-native-overview.rst (2026-05-29): FSDP, DTensor, DDP and tensor parallelism; pipeline parallelism 'available soon'; activation checkpointing supported; MoE dispatch/combine ops in future releases",
    ],
    constraints: {
      pp: 1,
      vpp: 1,
      cp: 1,
      ep: 1,
      zero: ["zero0", "zero2", "zero3"],
      recompute: [...NO_OFFLOAD],
      sequenceParallel: [true],
      precision: ["bf16"],
    },
    notes: [
      "torchtitan-style plans on Neuron: tensor parallelism with sequence parallelism, FSDP or DDP; no pipeline, context or expert parallelism yet, no fp8 stated",
    ],
  },
  "jax-xla": {
    framework: "jax-xla",
    version: "not read",
    sources: [],
    constraints: {},
    notes: ["JAX / XLA stacks' capabilities are not catalogued: the search is not restricted"],
  },
};

/** The stack a Trainium run uses when none is named: NeuronX Distributed, AWS's training library. */
export const DEFAULT_TRAINIUM_FRAMEWORK: Framework = "neuronx-distributed";

export function isTrainium(chip: Chip): boolean {
  return chip.neuronCoresPerChip != null;
}

/** The stack that restricts a search: the one named, else on Trainium the default Neuron stack. */
export function stackFor(
  chip: Chip,
  framework: Framework | undefined,
): { capabilities: StackCapabilities; defaulted: boolean } | null {
  if (framework !== undefined) return { capabilities: STACK_CAPABILITIES[framework], defaulted: false };
  if (isTrainium(chip)) {
    return { capabilities: STACK_CAPABILITIES[DEFAULT_TRAINIUM_FRAMEWORK], defaulted: true };
  }
  return null;
}

/** The plans a framework can run, as constraints. */
export function stackConstraints(framework: Framework): PlanConstraints {
  return STACK_CAPABILITIES[framework].constraints;
}

/** The virtual stages a named pipeline schedule runs: 1F1B one per rank, interleaved two or more. */
function scheduleVpp(schedule: PipelineSchedule | null): IntegerChoice | undefined {
  if (schedule === "1f1b") return 1;
  if (schedule === "interleaved") return { min: 2, max: Number.MAX_SAFE_INTEGER };
  return undefined;
}

/**
 * What a run's resolved stack rules out beyond its framework's table, which holds for every release:
 * no ZeRO stage above 0 without a distributed optimizer (Megatron-LM before 2022-06-08), no sequence
 * parallelism where the stack has none (Megatron-LM before 2022-05, DeepSpeed, or the run says so),
 * and only the virtual stages its named pipeline schedule runs (scheduleVpp).
 */
export function knobConstraints(software: ResolvedSoftware): PlanConstraints {
  const c: PlanConstraints = {};
  if (!software.distributedOptimizer) c.zero = ["zero0"];
  if (!software.sequenceParallelWithTp) c.sequenceParallel = [false];
  const vpp = scheduleVpp(software.pipelineSchedule);
  if (vpp !== undefined) c.vpp = vpp;
  return c;
}

/** A choice as its values, or null for a range. */
function valuesOf(c: IntegerChoice): readonly number[] | null {
  if (typeof c === "number") return [c];
  return Array.isArray(c) ? c : null;
}

function intersectInteger(
  a: IntegerChoice | undefined,
  b: IntegerChoice | undefined,
): IntegerChoice | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const aValues = valuesOf(a);
  const bValues = valuesOf(b);
  if (aValues === null && bValues === null) {
    const ra = a as { min: number; max: number };
    const rb = b as { min: number; max: number };
    return { min: Math.max(ra.min, rb.min), max: Math.min(ra.max, rb.max) };
  }
  const both = aValues
    ? aValues.filter((v) => choiceAllows(b, v))
    : (bValues ?? []).filter((v) => choiceAllows(a, v));
  return both.length === 1 ? both[0] : both;
}

function intersectList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] | undefined {
  if (a === undefined) return b ? [...b] : undefined;
  if (b === undefined) return [...a];
  return a.filter((v) => b.includes(v));
}

/**
 * What both allow: the user's constraints within what the stack runs. An empty list (or a range
 * whose min exceeds its max) means nothing is left for that dimension; the search then finds no plan
 * and says the constraints removed them.
 */
export function intersectConstraints(
  a: PlanConstraints,
  b: PlanConstraints,
  bForms: readonly RecomputeForm[] = [],
): PlanConstraints {
  const out: PlanConstraints = {};
  for (const d of INTEGER_DIMENSIONS) {
    const v = intersectInteger(a[d], b[d]);
    if (v !== undefined) out[d] = v;
  }
  // A layer form b runs at any count passes with the count a names.
  const bRecompute = b.recompute && [
    ...b.recompute,
    ...(a.recompute ?? []).filter((r) => bForms.some((form) => r.startsWith(recomputeFormPrefix(form)))),
  ];
  const recompute = intersectList(a.recompute, bRecompute);
  if (recompute) out.recompute = recompute;
  const zero = intersectList(a.zero, b.zero);
  if (zero) out.zero = zero;
  const sp = intersectList(a.sequenceParallel, b.sequenceParallel);
  if (sp) out.sequenceParallel = sp;
  const precision = intersectList(a.precision, b.precision);
  if (precision) out.precision = precision;
  return out;
}
