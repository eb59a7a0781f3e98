import { z } from "zod";

export const PRECISIONS = ["bf16", "fp16", "fp8"] as const;
/**
 * How activations are kept for the backward pass: all of them, all but the attention core and MLP
 * activation outputs (selective recomputation), only each layer's input (full recomputation), or all
 * of them in host memory over a coherent CPU link ("offload": Megatron-Core's activation offloading).
 */
export const RECOMPUTE = ["none", "selective", "full", "offload"] as const;
/** zero0 = plain data parallel (replicated optimizer); zero3 = FSDP full shard. */
export const ZERO_STAGES = ["zero0", "zero1", "zero2", "zero3"] as const;

/**
 * Attention kernel generation: "fused" (cuDNN / FlashAttention-3 class), "flash2" (FlashAttention-2), or
 * "unfused": the pre-FlashAttention path (scores materialized, fused scale-mask-softmax, dropout, then
 * the value product), as Megatron-LM ran in 2021-2022.
 */
export const ATTENTION_KERNELS = ["fused", "flash2", "unfused"] as const;
/**
 * Precision of the data-parallel gradient buffers and their reduction: "fp32" (Megatron-LM's default for
 * bf16 training) or "bf16" (NVIDIA's Megatron-Bridge performance recipes set grad_reduce_in_fp32=False).
 */
export const GRADIENT_REDUCTIONS = ["fp32", "bf16"] as const;
/** What a parallel size counts: chips, or Trainium NeuronCores (as AWS Neuron's tables count them). */
export const RANK_UNITS = ["chip", "neuroncore"] as const;

/** Matrix precision of a run that does not say: bf16, what published large runs used. */
export const DEFAULT_PRECISION = "bf16" satisfies Precision;
/** The defaults of a run that leaves these unsaid (each stated as an assumption where it is applied). */
export const DEFAULT_ATTENTION_KERNEL = "fused" satisfies AttentionKernel;
export const DEFAULT_GRADIENT_REDUCE = "fp32" satisfies GradientReduce;
export const DEFAULT_RANK_UNIT = "chip" satisfies RankUnit;

export const PrecisionSchema = z.enum(PRECISIONS);
export const AttentionKernelSchema = z.enum(ATTENTION_KERNELS);
export const GradientReduceSchema = z.enum(GRADIENT_REDUCTIONS);
export const RankUnitSchema = z.enum(RANK_UNITS);
export type AttentionKernel = z.infer<typeof AttentionKernelSchema>;
export type GradientReduce = z.infer<typeof GradientReduceSchema>;
export type RankUnit = z.infer<typeof RankUnitSchema>;
export const RecomputeSchema = z.enum(RECOMPUTE);
export const ZeroSchema = z.enum(ZERO_STAGES);
export type Precision = z.infer<typeof PrecisionSchema>;
export type Recompute = z.infer<typeof RecomputeSchema>;
export type ZeroStage = z.infer<typeof ZeroSchema>;

/**
 * A fully resolved parallel plan, in chips (ranks). Group order follows Megatron-LM's
 * rank layout: tp innermost, then cp, then dp, then pp outermost; ep subdivides dp x cp.
 */
export interface Parallelism {
  tp: number;
  pp: number;
  vpp: number;
  dp: number;
  cp: number;
  ep: number;
  microBatch: number;
  recompute: Recompute;
  zero: ZeroStage;
  sequenceParallel: boolean;
  precision: Precision;
}
