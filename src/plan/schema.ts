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

export const PrecisionSchema = z.enum(PRECISIONS);
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
