import type { SimulationInput } from "../engine/simulate.js";
import type { AttentionKernel, GradientReduce } from "../plan/schema.js";
import type { ResolvedScenarioInput } from "./parse.js";

/**
 * The attention kernel a published run most likely used, when the case does not say: inferred from
 * the publication, since the software stack is part of what was measured. MosaicML's llm-foundry
 * benchmark tables (2023-2024) and torchtitan's early performance page ran FlashAttention-2
 * (llm-foundry `attn_impl: flash`; torchtitan through PyTorch SDPA's flash backend); NVIDIA's
 * Megatron/NeMo stacks use cuDNN fused attention through Transformer Engine.
 */
export function inferAttentionKernel(
  sourceTitle: string | undefined,
): { kernel: AttentionKernel; because: string } | null {
  const t = (sourceTitle ?? "").toLowerCase();
  if (t.includes("llm-foundry") || t.includes("mosaicml")) {
    return { kernel: "flash2", because: "MosaicML llm-foundry benchmarks ran FlashAttention-2" };
  }
  if (
    t.includes("efficient large-scale language model training on gpu clusters") ||
    t.includes("reducing activation recomputation")
  ) {
    return {
      kernel: "unfused",
      because: "Megatron-LM in 2021-2022 materialized attention scores (before FlashAttention)",
    };
  }
  if (t.includes("torchtitan")) {
    return { kernel: "flash2", because: "torchtitan used PyTorch SDPA's FlashAttention-2 backend" };
  }
  return null;
}

/**
 * The gradient-reduction precision a published run most likely used, when the case does not say.
 * NVIDIA's Megatron-Bridge performance recipes set `grad_reduce_in_fp32 = False` in every model's
 * common performance settings (scripts/performance/configs/*: Llama 3, DeepSeek-V3, Qwen3, gpt-oss),
 * so those tables measured bf16 gradient buffers and reductions. Megatron-LM itself accumulates and
 * reduces bf16 runs' gradients in fp32, which stays the default everywhere else.
 */
export function inferGradientReduce(
  sourceTitle: string | undefined,
): { reduce: GradientReduce; because: string } | null {
  const t = (sourceTitle ?? "").toLowerCase();
  if (t.includes("megatron-bridge")) {
    return { reduce: "bf16", because: "Megatron-Bridge performance recipes reduce gradients in bf16" };
  }
  return null;
}

/**
 * Fills what a published run's software stack implies and the scenario leaves unsaid (attention kernel,
 * gradient precision), from its source title. `simulate` and `validate` both apply it, so one case file
 * gets one prediction; the engine states each choice in its assumptions.
 */
export function withSourceInference(s: ResolvedScenarioInput, input: SimulationInput): SimulationInput {
  const out = { ...input };
  if (s.attentionKernel == null) {
    const inferred = inferAttentionKernel(s.source?.title);
    if (inferred) out.attentionKernel = inferred.kernel;
  }
  if (s.gradientReduce == null) {
    const inferred = inferGradientReduce(s.source?.title);
    if (inferred) out.gradientReduce = inferred.reduce;
  }
  return out;
}
