import { z } from "zod";
import { AttentionKernelSchema, GradientReduceSchema } from "./schema.js";

/**
 * The training stack that runs a plan. A run's speed depends on its stack as much as on its chip, so
 * the stack is an input: each knob below changes the physics the engine charges, and each has a
 * per-framework default (src/plan/softwareDefaults.ts) stated as an assumption when it is applied.
 *
 * - megatron-core: Megatron-LM with Megatron-Core (2023+), run with its own arguments.
 * - megatron-bridge: NVIDIA's NeMo / Megatron-Bridge performance recipes on Megatron-Core.
 * - megatron-lm-legacy: Megatron-LM before Megatron-Core (2020-2022 papers).
 * - megatron-deepspeed: Microsoft's Megatron-DeepSpeed (DeepSpeed pipeline engine, ZeRO).
 * - pytorch-fsdp1: PyTorch FullyShardedDataParallel (FSDP1), as MosaicML Composer / llm-foundry run it.
 * - torchtitan: PyTorch-native stack with FSDP2, tensor/context/pipeline parallel.
 * - neuronx-distributed: AWS NeuronX Distributed (Training), on Trainium.
 * - torchneuron: TorchNeuron (PyTorch native on Neuron, torchtitan-style), on Trainium.
 * - jax-xla: JAX / XLA stacks (MaxText, Pax, AXLearn).
 */
export const FRAMEWORKS = [
  "megatron-core",
  "megatron-bridge",
  "megatron-lm-legacy",
  "megatron-deepspeed",
  "pytorch-fsdp1",
  "torchtitan",
  "neuronx-distributed",
  "torchneuron",
  "jax-xla",
] as const;

/**
 * How MoE tokens reach their experts: "alltoall" (one copy per routed expert over the network),
 * "deepep" / "hybridep" (one copy per destination node, fanned out over NVLink; DeepEP, HybridEP) or
 * "allgather" (every rank gathers every token; Megatron's allgather dispatcher).
 */
export const MOE_DISPATCHERS = ["alltoall", "deepep", "hybridep", "allgather"] as const;

/**
 * Pipeline schedule: "1f1b" (PipeDream-flush, one stage per rank: vpp 1) or "interleaved" (Narayanan
 * et al. 2021, several virtual stages per rank: vpp >= 2). The engine times these two; GPipe's and the
 * zero-bubble schedules (ZB-H1, DualPipe) are not modelled, so they are refused rather than timed as 1F1B.
 */
export const PIPELINE_SCHEDULES = ["1f1b", "interleaved"] as const;

export const FrameworkSchema = z.enum(FRAMEWORKS);
export const MoeDispatcherSchema = z.enum(MOE_DISPATCHERS);
export const PipelineScheduleSchema = z.enum(PIPELINE_SCHEDULES);
export type Framework = z.infer<typeof FrameworkSchema>;
export type MoeDispatcher = z.infer<typeof MoeDispatcherSchema>;
export type PipelineSchedule = z.infer<typeof PipelineScheduleSchema>;

/** Every knob is optional: what is unsaid takes the framework's default, stated as an assumption. */
export const SoftwareSchema = z
  .object({
    framework: FrameworkSchema,
    /** Release or date of the stack ("25.11", "core_r0.14.0", "2022-05"), as published. */
    version: z.string().min(1).max(64),
    /** Megatron-style sequence parallelism (activations sharded across tp outside the GEMMs). */
    sequenceParallel: z.boolean(),
    /** FSDP / ZeRO-3: free gathered parameters after forward (true) or keep them for backward. */
    fsdpReshardAfterForward: z.boolean(),
    pipelineSchedule: PipelineScheduleSchema,
    /** Steady-state pipeline send/receive blocks compute (non-interleaved Megatron, DeepSpeed's engine). */
    blockingP2p: z.boolean(),
    gradientReduce: GradientReduceSchema,
    attentionKernel: AttentionKernelSchema,
    moeDispatcher: MoeDispatcherSchema,
    /** Expert dispatch/combine overlapped with the other micro-batch's compute (overlap_moe_expert_parallel_comm). */
    expertCommOverlap: z.boolean(),
    /**
     * Token dropping with padding: each expert takes exactly this factor times its balanced share of the
     * routed tokens, the excess dropped and the shortfall padded (Megatron's --moe-expert-capacity-factor
     * with --moe-pad-expert-input-to-capacity; the tables' "tokendrop" runs use 1.0). Fixed shapes: the
     * dispatcher needs no host copy of the token counts. Absent or null: dropless, Megatron-Core's default.
     */
    expertCapacityFactor: z.number().gt(0).max(8).nullable(),
    /** Tensor-parallel collectives overlapped with GEMMs (Transformer Engine userbuffers, tp_comm_overlap). */
    tpCommOverlap: z.boolean(),
    /** Whole steps or layers captured as CUDA graphs (removes per-kernel launch cost). */
    cudaGraphs: z.boolean(),
    /**
     * Rotary embedding and the MLP activation run as fused kernels (Transformer Engine, Apex,
     * torch.compile); false: as eager PyTorch ops, each its own pass over memory.
     */
    fusedElementwise: z.boolean(),
    /** Norms run as one fused kernel; false: eager PyTorch RMSNorm (cast, square, mean, rsqrt, two multiplies). */
    fusedNorm: z.boolean(),
    /**
     * The stack can shard optimizer states over the data-parallel ranks (ZeRO-1: Megatron's
     * --use-distributed-optimizer, DeepSpeed ZeRO). Without it a run's unpublished ZeRO stage is 0.
     */
    distributedOptimizer: z.boolean(),
  })
  .partial()
  .strict();
export type Software = z.infer<typeof SoftwareSchema>;
