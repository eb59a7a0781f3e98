import { megatronRecompute, needsCurrentScaling } from "./megatronRecompute.js";
import { megatronLayout, pipelineSplit } from "./pipelineSplit.js";
import { cannot, type EmitInput, type Emitted } from "./types.js";

/**
 * A plan as Megatron-Bridge recipe overrides: the trailing KEY=VALUE ConfigContainer overrides of
 * scripts/training/run_recipe.py at v0.6.0 (github.com/NVIDIA-NeMo/Megatron-Bridge, commit 51885cf):
 * model.tensor_model_parallel_size, model.pipeline_model_parallel_size,
 * model.virtual_pipeline_model_parallel_size, model.context_parallel_size,
 * model.expert_model_parallel_size, model.expert_tensor_parallel_size, train.micro_batch_size,
 * train.global_batch_size (its docstring), model.sequence_parallel, the recompute and pipeline-split
 * fields of Megatron-Core's TransformerConfig, ddp/optimizer.use_distributed_optimizer and
 * ddp.use_megatron_fsdp with ddp.data_parallel_sharding_strategy (src/megatron/bridge/training/config.py),
 * model.fine_grained_activation_offloading (as its perf recipes set it) and mixed_precision, a key of
 * MIXED_PRECISION_RECIPES (src/megatron/bridge/training/mixed_precision.py). Every value is written,
 * defaults included, since a recipe's own defaults differ (its performance recipes shard the optimizer).
 */
export const MEGATRON_BRIDGE_VERSION = "Megatron-Bridge v0.6.0 (scripts/training/run_recipe.py overrides)";

export function bridgeOverrides(input: EmitInput): string[] {
  const p = input.plan;
  // An uneven split's layout string fixes the virtual stages itself (Megatron-Core infers them from it).
  const uneven = p.pp > 1 && pipelineSplit(input.layers, p.pp, p.vpp).kind === "uneven";
  const out = [
    `model.tensor_model_parallel_size=${p.tp}`,
    `model.pipeline_model_parallel_size=${p.pp}`,
    `model.virtual_pipeline_model_parallel_size=${p.vpp > 1 && !uneven ? p.vpp : "null"}`,
    `model.context_parallel_size=${p.cp}`,
    `model.expert_model_parallel_size=${p.ep}`,
  ];
  if (p.ep > 1) out.push("model.expert_tensor_parallel_size=1");
  out.push(...splitOverrides(input));
  out.push(`model.sequence_parallel=${p.sequenceParallel}`);
  out.push(...recomputeOverrides(p.recompute));
  const sharded = p.zero !== "zero0";
  out.push(`ddp.use_distributed_optimizer=${sharded}`, `optimizer.use_distributed_optimizer=${sharded}`);
  if (p.zero === "zero2" || p.zero === "zero3") {
    out.push(
      "ddp.use_megatron_fsdp=true",
      `ddp.data_parallel_sharding_strategy=${p.zero === "zero2" ? "optim_grads" : "optim_grads_params"}`,
    );
  }
  if (input.expertCapacityFactor != null) {
    // What apply_moe_token_drop sets (src/megatron/bridge/training/utils/moe_token_drop.py).
    out.push(
      "model.moe_token_dispatcher_type=alltoall",
      `model.moe_expert_capacity_factor=${input.expertCapacityFactor}`,
      "model.moe_pad_expert_input_to_capacity=true",
    );
  }
  out.push(`train.micro_batch_size=${p.microBatch}`, `train.global_batch_size=${input.globalBatch}`);
  // Delayed scaling refuses the layernorm and moe_act modules: current (tensorwise) scaling instead.
  const current = p.precision === "fp8" && needsCurrentScaling(p.recompute);
  out.push(
    `mixed_precision=${current ? "bf16_with_fp8_current_scaling_mixed" : MIXED_PRECISION[p.precision]}`,
  );
  return out;
}

const MIXED_PRECISION: Record<EmitInput["plan"]["precision"], string> = {
  bf16: "bf16_mixed",
  fp16: "fp16_mixed",
  fp8: "bf16_with_fp8_delayed_scaling_mixed",
};

function splitOverrides(input: EmitInput): string[] {
  const { pp, vpp } = input.plan;
  if (pp === 1) return [];
  const split = pipelineSplit(input.layers, pp, vpp);
  if (split.kind === "even") return [];
  if (split.kind === "embeddingAndLoss") {
    return [
      "model.account_for_embedding_in_pipeline_split=true",
      "model.account_for_loss_in_pipeline_split=true",
    ];
  }
  return [`model.pipeline_model_parallel_layout='${megatronLayout(split.layersPerChunk)}'`];
}

function recomputeOverrides(recompute: EmitInput["plan"]["recompute"]): string[] {
  if (recompute === "offload") {
    return ["model.recompute_granularity=null", "model.fine_grained_activation_offloading=true"];
  }
  const r = megatronRecompute(recompute);
  if (typeof r === "string") return []; // emitMegatronBridge refuses these first
  const out = [`model.recompute_granularity=${r.granularity ?? "null"}`];
  if (r.method) out.push(`model.recompute_method=${r.method}`, `model.recompute_num_layers=${r.layers}`);
  if (r.modules) out.push(`model.recompute_modules='[${r.modules.join(",")}]'`);
  return out;
}

export function emitMegatronBridge(input: EmitInput): Emitted {
  const p = input.plan;
  const recompute = p.recompute === "offload" ? null : megatronRecompute(p.recompute);
  if (typeof recompute === "string") return cannot("megatron-bridge", recompute);
  return {
    ok: true,
    target: "megatron-bridge",
    text: `${bridgeOverrides(input).join(" \\\n  ")}\n`,
    version: MEGATRON_BRIDGE_VERSION,
    notes: [
      `append to run_recipe.py --recipe <your recipe> ...; data parallelism ${p.dp} is what the world size leaves (${p.tp * p.pp * p.cp * p.dp} ranks)`,
    ],
  };
}
