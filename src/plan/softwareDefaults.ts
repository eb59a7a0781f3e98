import type { AttentionKernel, GradientReduce, Recompute } from "./schema.js";
import type { Framework, MoeDispatcher, PipelineSchedule, Software } from "./software.js";

/**
 * A software stack with every knob decided: what the run says, else its framework's default. Each
 * default applied is stated (`assumed`), so a prediction says what stack it assumed.
 */
export interface ResolvedSoftware {
  framework: Framework;
  version: string | null;
  /** Sequence parallelism whenever tensor parallelism is on (false: never). */
  sequenceParallelWithTp: boolean;
  /** FSDP / ZeRO-3 frees gathered weights after forward; null: yes without pipelining, no with it. */
  fsdpReshardAfterForward: boolean | null;
  /** null: 1F1B, interleaved when the plan has virtual stages. */
  pipelineSchedule: PipelineSchedule | null;
  /** Steady-state pipeline sends block compute; null: when the schedule is not interleaved. */
  blockingP2p: boolean | null;
  gradientReduce: GradientReduce;
  attentionKernel: AttentionKernel;
  moeDispatcher: MoeDispatcher;
  expertCommOverlap: boolean;
  /** Experts padded to this factor of their balanced share, excess dropped; null: dropless. */
  expertCapacityFactor: number | null;
  tpCommOverlap: boolean;
  cudaGraphs: boolean;
  /** Rotary embedding and MLP activation fused (false: eager PyTorch kernels; src/engine/eagerKernels.ts). */
  fusedElementwise: boolean;
  /** Norms fused (false: eager PyTorch RMSNorm). */
  fusedNorm: boolean;
  /** Optimizer states can be sharded over data-parallel ranks (an unpublished ZeRO stage may be 1). */
  distributedOptimizer: boolean;
  /** Whether the framework was given (false: the chip's default stack was assumed). */
  frameworkGiven: boolean;
  /** Why each knob the run left unsaid took its value: the framework's code or docs. */
  reasons: Partial<Record<SoftwareKnob, string>>;
}

export type SoftwareKnob = keyof Knobs;
type Knobs = Omit<ResolvedSoftware, "framework" | "version" | "frameworkGiven" | "reasons">;

/** Why a default holds: the framework's code or docs at a version. */
interface Defaults {
  knobs: Knobs;
  because: Partial<Record<keyof Knobs, string>>;
}

/** A version read as a date: "YYYY-MM", optionally "-DD". */
const DATED = /^\d{4}-\d{2}(-\d{2})?/;

/**
 * True when a "YYYY-MM" or "YYYY-MM-DD" version is before `date` ("YYYY-MM" or "YYYY-MM-DD"), compared
 * to the precision both give (a month-only version is not before a day in its own month); false when
 * the version is not a date (then `undated` says so in the reason).
 */
function datedBefore(version: string | null, date: string): boolean {
  const given = version?.match(DATED)?.[0];
  if (given == null) return false;
  const precision = Math.min(given.length, date.length);
  return given.slice(0, precision) < date.slice(0, precision);
}

/** The note a reason carries when a version could not be read as a date: the newer behaviour is assumed. */
function undated(version: string | null): string {
  return version != null && !DATED.test(version)
    ? ` (version "${version}" is not a YYYY-MM date: the newer behaviour is assumed)`
    : "";
}

const MEGATRON_P2P =
  "Megatron's non-interleaved 1F1B waits on each steady-state send; interleaved overlaps them";

const MEGATRON_CORE: Knobs = {
  sequenceParallelWithTp: true,
  fsdpReshardAfterForward: null,
  pipelineSchedule: null,
  blockingP2p: null,
  gradientReduce: "fp32",
  attentionKernel: "fused",
  moeDispatcher: "alltoall",
  expertCommOverlap: false,
  expertCapacityFactor: null,
  tpCommOverlap: false,
  cudaGraphs: false,
  fusedElementwise: true,
  fusedNorm: true,
  distributedOptimizer: true,
};

/** Why torchtitan's kernels default as they do: its attention backend, no compile, the 2024 norm configs. */
const TORCHTITAN_KERNELS: Defaults["because"] = {
  attentionKernel: "torchtitan uses PyTorch SDPA's FlashAttention-2 backend",
  fusedElementwise:
    "torchtitan's shipped 8B, 13B and 70B train configs leave torch.compile off (compile = false, train_configs/*.toml, 2024-04; [compile] enable = false in llama3_8b/70b.toml at v0.2.2; its 405B and low-precision configs enable it: set fusedElementwise true for a compiled run): rotary (an fp32 complex multiply) and SwiGLU run as eager PyTorch ops",
  fusedNorm:
    'torchtitan\'s 8B and 13B configs of 2024-04 use norm_type = "fused_rmsnorm" (a Triton kernel); its 70B configs then used the eager "rmsnorm": set fusedNorm false for those',
};

/**
 * Each framework's defaults, read from its code or docs:
 * - Megatron-Core (Megatron-LM core_r0.x, megatron/training/arguments.py): its non-interleaved 1F1B
 *   schedule (megatron/core/pipeline_parallel/schedules.py) waits on every steady-state send and
 *   receive (send_forward_recv_backward), the interleaved one overlaps them; --sequence-parallel,
 *   --overlap-moe-expert-parallel-comm, --tp-comm-overlap and CUDA graphs are off unless asked; gradients
 *   are reduced in fp32 (--grad-reduce-in-bf16 off); attention through Transformer Engine's fused
 *   (cuDNN) backend. Its training examples and MoE guide (megatron/core/transformer/moe/README.md, "Quick
 *   Start") pass --sequence-parallel and --moe-token-dispatcher-type alltoall, which trainplan takes as
 *   the default of a tuned run (the code's own dispatcher default is allgather).
 * - Megatron-Bridge performance recipes (scripts/performance/configs/*, r0.2.0-r0.4.0): as Megatron-Core,
 *   with grad_reduce_in_fp32 = False in every model's common settings.
 * - Megatron-LM before Core: sequence parallelism arrived with Korthikanti et al. (2022-05, Megatron-LM
 *   v3.0), the distributed optimizer a month later (merged 2022-06-08, commit d07d29d: before it,
 *   optimizer states were replicated on every data-parallel rank); attention materialized its scores
 *   until FlashAttention was integrated (2023).
 * - Megatron-DeepSpeed: no Megatron sequence parallelism; DeepSpeed's pipeline engine exchanges
 *   activations with blocking send/receive (deepspeed/runtime/pipe/engine.py); fused softmax attention
 *   before FlashAttention (2023).
 * - PyTorch FSDP1 (MosaicML Composer / llm-foundry): FULL_SHARD reshards after forward; llm-foundry's
 *   benchmark configs use `attn_impl: flash` (FlashAttention-2 in its 2023-2024 tables).
 * - torchtitan (torchtitan/models/llama3/infra/parallelize.py): sequence parallel in its tensor-parallel
 *   plan, `reshard_after_forward = not pp_enabled` under the default policy, SDPA's FlashAttention-2
 *   backend, fp32 gradient reduction (mixed_precision_reduce = float32).
 * - NeuronX Distributed (Training): sequence_parallel_enabled in its model configs; NKI flash attention.
 * - TorchNeuron: torchtitan's plans on Neuron.
 * - JAX / XLA: no Megatron sequence parallelism (sharding is by the compiler); fused (splash) attention.
 */
function frameworkDefaults(framework: Framework, version: string | null): Defaults {
  switch (framework) {
    case "megatron-core":
      return {
        knobs: MEGATRON_CORE,
        because: {
          sequenceParallelWithTp: "Megatron-LM's training examples pass --sequence-parallel",
          blockingP2p: MEGATRON_P2P,
          moeDispatcher: "Megatron-Core's MoE guide passes --moe-token-dispatcher-type alltoall",
        },
      };
    case "megatron-bridge":
      return {
        knobs: { ...MEGATRON_CORE, gradientReduce: "bf16" },
        because: {
          sequenceParallelWithTp:
            "Megatron-Bridge recipes enable sequence parallelism with tensor parallelism",
          gradientReduce: "Megatron-Bridge performance recipes set grad_reduce_in_fp32 = False",
          blockingP2p: MEGATRON_P2P,
        },
      };
    case "megatron-lm-legacy": {
      const beforeSp = datedBefore(version, "2022-05");
      const beforeDistributedOptimizer = datedBefore(version, "2022-06-08");
      return {
        knobs: {
          ...MEGATRON_CORE,
          sequenceParallelWithTp: !beforeSp,
          attentionKernel: "unfused",
          distributedOptimizer: !beforeDistributedOptimizer,
        },
        because: {
          sequenceParallelWithTp: beforeSp
            ? "Megatron-LM had no sequence parallelism before 2022-05 (Korthikanti et al.)"
            : `Megatron-LM v3.0 (2022-05) added sequence parallelism${undated(version)}`,
          distributedOptimizer: beforeDistributedOptimizer
            ? "Megatron-LM had no distributed optimizer before 2022-06-08, when --use-distributed-optimizer was merged (commit d07d29d)"
            : `Megatron-LM's distributed optimizer (--use-distributed-optimizer, merged 2022-06-08)${undated(version)}`,
          attentionKernel: "Megatron-LM before Megatron-Core materialized attention scores",
          blockingP2p: MEGATRON_P2P,
        },
      };
    }
    case "megatron-deepspeed": {
      const beforeFlash = version == null || datedBefore(version, "2023-06");
      return {
        knobs: {
          ...MEGATRON_CORE,
          sequenceParallelWithTp: false,
          blockingP2p: true,
          attentionKernel: beforeFlash ? "unfused" : "flash2",
        },
        because: {
          sequenceParallelWithTp: "Megatron-DeepSpeed has no Megatron sequence parallelism",
          blockingP2p: "DeepSpeed's pipeline engine sends and receives activations blocking",
          attentionKernel: beforeFlash
            ? "Megatron-DeepSpeed fused the softmax but materialized scores before FlashAttention"
            : "Megatron-DeepSpeed runs FlashAttention-2 (2023-06 on)",
        },
      };
    }
    case "pytorch-fsdp1":
      return {
        knobs: {
          ...MEGATRON_CORE,
          sequenceParallelWithTp: false,
          fsdpReshardAfterForward: true,
          attentionKernel: "flash2",
        },
        because: {
          fsdpReshardAfterForward: "FSDP1 FULL_SHARD reshards parameters after forward",
          attentionKernel: "llm-foundry's configs use attn_impl: flash (FlashAttention-2)",
        },
      };
    case "torchtitan":
    case "torchneuron": {
      // TorchNeuron runs torchtitan's plans through the Neuron compiler: fused kernels, NKI attention.
      const titan = framework === "torchtitan";
      return {
        knobs: {
          ...MEGATRON_CORE,
          blockingP2p: false,
          attentionKernel: titan ? "flash2" : "fused",
          fusedElementwise: !titan,
        },
        because: {
          sequenceParallelWithTp: "torchtitan's tensor-parallel plan shards norms and dropout by sequence",
          fsdpReshardAfterForward: "torchtitan: reshard_after_forward = not pp_enabled",
          ...(titan ? TORCHTITAN_KERNELS : { attentionKernel: "NKI flash attention" }),
        },
      };
    }
    case "neuronx-distributed":
      return {
        knobs: { ...MEGATRON_CORE, blockingP2p: false },
        because: {
          sequenceParallelWithTp: "NeuronX Distributed model configs set sequence_parallel_enabled",
          attentionKernel: "NeuronX Distributed uses NKI flash attention",
        },
      };
    case "jax-xla":
      return {
        knobs: { ...MEGATRON_CORE, sequenceParallelWithTp: false },
        because: {
          sequenceParallelWithTp: "JAX/XLA stacks shard by the compiler, not Megatron sequence parallelism",
        },
      };
  }
}

/**
 * What a run's "selective" recomputation is on its stack (src/plan/schema.ts RECOMPUTE):
 * - Megatron-Core / Megatron-Bridge / Megatron-LM / Megatron-DeepSpeed: Korthikanti et al.'s attention
 *   core ("selective"): --recompute-granularity selective with recompute_modules defaulting to
 *   ["core_attn"] (megatron/core/transformer/transformer_config.py, core_v0.14.0).
 * - NeuronX Distributed: activations_checkpoint_granularity: selective, Megatron's core attention.
 * - torchtitan: per-operator checkpointing ("selective-op"): mode = "selective" with
 *   selective_ac_option = "op" in its shipped Llama 3 8B, Qwen3 and DeepSeek-V3 configs
 *   (torchtitan/models/{llama3,qwen3,deepseek_v3}/train_configs/*.toml at v0.2.2), and the only
 *   selective mode since pytorch/torchtitan#2357 (2026-03-23, removed the layer option). At v0.2.2
 *   job_config.py's default option is "2", every second layer: write full-every-2 for that.
 * Other stacks name no selective recomputation of their own: the word keeps Korthikanti's meaning.
 */
export function selectiveRecomputeOf(framework: Framework): { recompute: Recompute; because: string } {
  if (framework === "torchtitan") {
    return {
      recompute: "selective-op",
      because:
        'torchtitan\'s selective activation checkpointing is per operator (selective_ac_option = "op" in its shipped configs, v0.2.2; the only selective mode since 2026-03): matmul outputs but every second, attention and reduce-scatter outputs saved, the rest recomputed',
    };
  }
  return {
    recompute: "selective",
    because: "Megatron's selective recomputation of the attention core (recompute_modules core_attn)",
  };
}

/** Recomputations in a stack's words: "selective" read as that stack's own (selectiveRecomputeOf). */
export function inStackWords<C extends { recompute?: Recompute[] }>(c: C, framework: Framework): C {
  if (!c.recompute) return c;
  const selective = selectiveRecomputeOf(framework).recompute;
  return { ...c, recompute: c.recompute.map((r) => (r === "selective" ? selective : r)) };
}

/** Knob names as a user writes them (software.<knob>). */
export const KNOB_OF: Record<SoftwareKnob, keyof Software> = {
  sequenceParallelWithTp: "sequenceParallel",
  fsdpReshardAfterForward: "fsdpReshardAfterForward",
  pipelineSchedule: "pipelineSchedule",
  blockingP2p: "blockingP2p",
  gradientReduce: "gradientReduce",
  attentionKernel: "attentionKernel",
  moeDispatcher: "moeDispatcher",
  expertCommOverlap: "expertCommOverlap",
  expertCapacityFactor: "expertCapacityFactor",
  tpCommOverlap: "tpCommOverlap",
  cudaGraphs: "cudaGraphs",
  fusedElementwise: "fusedElementwise",
  fusedNorm: "fusedNorm",
  distributedOptimizer: "distributedOptimizer",
};

/** The framework a run gets when it names none: the Neuron stack on Trainium, Megatron-Core elsewhere. */
export function defaultFramework(chipVendor: string): Framework {
  return chipVendor === "AWS" ? "neuronx-distributed" : "megatron-core";
}

/**
 * Every knob decided: the run's own value where it gives one, else the framework's default (with its
 * reason). The framework is the run's, else `fallbackFramework`.
 */
export function resolveSoftware(
  software: Software | undefined,
  fallbackFramework: Framework = "megatron-core",
): ResolvedSoftware {
  const s = software ?? {};
  const framework = s.framework ?? fallbackFramework;
  const version = s.version ?? null;
  const { knobs, because: stackReasons } = frameworkDefaults(framework, version);
  const because = { expertCapacityFactor: DROPLESS, ...stackReasons };
  const resolved: Knobs = { ...knobs };
  const reasons: Partial<Record<SoftwareKnob, string>> = {};
  for (const key of Object.keys(KNOB_OF) as SoftwareKnob[]) {
    const given = s[KNOB_OF[key]];
    if (given != null) (resolved as Record<string, unknown>)[key] = given;
    else if (because[key]) reasons[key] = because[key];
  }
  return { framework, version, ...resolved, frameworkGiven: s.framework != null, reasons };
}

/** Why an MoE run that names no capacity factor is timed dropless. */
const DROPLESS = "dropless, every routed token computed: no capacity factor given";

/** The stack of a run that says nothing about its software: Megatron-Core's defaults. */
export const DEFAULT_SOFTWARE: ResolvedSoftware = resolveSoftware(undefined);
