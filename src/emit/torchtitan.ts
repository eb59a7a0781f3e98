import { recomputeLayersOf, recomputeModulesOf } from "../plan/schema.js";
import { pipelineSplit } from "./pipelineSplit.js";
import { cannot, type EmitInput, type Emitted } from "./types.js";

/**
 * A plan as torchtitan TOML, the [parallelism], [training], [activation_checkpoint] and quantization
 * settings of torchtitan/config/job_config.py at v0.2.2 (github.com/pytorch/torchtitan, commit 73a0e69):
 * data_parallel_replicate_degree (DDP), data_parallel_shard_degree with fsdp_reshard_after_forward
 * (FSDP2: "always" = ZeRO-3, "never" = ZeRO-2), tensor_parallel_degree, pipeline_parallel_degree,
 * pipeline_parallel_schedule (1F1B, Interleaved1F1B), pipeline_parallel_layers_per_stage,
 * pipeline_parallel_microbatch_size, context_parallel_degree, expert_parallel_degree,
 * expert_tensor_parallel_degree; training.local_batch_size (per data-parallel rank and accumulation
 * step, train.py: accumulation = global / (local x dp)) and global_batch_size; activation_checkpoint.mode
 * {none, selective, full} with selective_ac_option {"op", N}; model.converters = ["quantize.linear.float8"] (components/quantization/float8.py).
 */
export const TORCHTITAN_VERSION = "torchtitan v0.2.2 (torchtitan/config/job_config.py)";

/** Why torchtitan cannot run the plan as the engine times it, or null. */
function inexpressible(input: EmitInput): string | null {
  const p = input.plan;
  if (input.expertCapacityFactor != null) {
    return `an expert capacity factor (${input.expertCapacityFactor}): torchtitan's MoE routes dropless only`;
  }
  if (p.zero === "zero1") {
    return "ZeRO-1 (optimizer states sharded, gradients and weights replicated): torchtitan has DDP or FSDP2 (ZeRO-2/3), no optimizer-only sharding";
  }
  if (p.tp > 1 && !p.sequenceParallel) {
    return "tensor parallelism without sequence parallelism: torchtitan's tensor-parallel plans shard the norms with SequenceParallel (models/llama3/infra/parallelize.py)";
  }
  if (p.precision === "fp16") return "fp16: torchtitan's mixed_precision_param is bfloat16 or float32";
  const ac = activationCheckpoint(p.recompute);
  if (typeof ac === "string") return ac;
  if (p.pp > 1 && p.vpp > 1 && pipelineSplit(input.layers, p.pp, p.vpp).kind === "uneven") {
    return `an uneven interleaved split of ${input.layers} layers over ${p.pp * p.vpp} stages: pipeline_parallel_layers_per_stage takes one count`;
  }
  return null;
}

export function torchtitanToml(input: EmitInput): string {
  const p = input.plan;
  const ddp = p.zero === "zero0";
  const lines = [
    "[parallelism]",
    `data_parallel_replicate_degree = ${ddp ? p.dp : 1}`,
    `data_parallel_shard_degree = ${ddp ? 1 : p.dp}`,
  ];
  if (!ddp) lines.push(`fsdp_reshard_after_forward = "${p.zero === "zero3" ? "always" : "never"}"`);
  lines.push(`tensor_parallel_degree = ${p.tp}`, `pipeline_parallel_degree = ${p.pp}`);
  if (p.pp > 1) {
    lines.push(`pipeline_parallel_schedule = "${p.vpp > 1 ? "Interleaved1F1B" : "1F1B"}"`);
    lines.push(...pipelineSplitLines(input));
    lines.push(`pipeline_parallel_microbatch_size = ${p.microBatch}`);
  }
  lines.push(`context_parallel_degree = ${p.cp}`, `expert_parallel_degree = ${p.ep}`);
  if (p.ep > 1) lines.push("expert_tensor_parallel_degree = 1");
  // With pipelining the whole per-rank batch is one step split into pipeline micro-batches; without,
  // each accumulation step is one micro-batch.
  const local = p.pp > 1 ? input.globalBatch / p.dp : p.microBatch;
  lines.push("", "[training]", `local_batch_size = ${local}`, `global_batch_size = ${input.globalBatch}`);
  const ac = activationCheckpoint(p.recompute) as ActivationCheckpoint;
  lines.push("", "[activation_checkpoint]", `mode = "${ac.mode}"`);
  if (ac.option) lines.push(`selective_ac_option = "${ac.option}"`);
  if (p.precision === "fp8") lines.push("", "[model]", 'converters = ["quantize.linear.float8"]');
  return `${lines.join("\n")}\n`;
}

/**
 * torchtitan counts the embedding and the output layer as a layer each by default
 * (pipeline_parallel_first/last_stage_less_layers = 1; distributed/pipeline_parallel.py at v0.2.2:
 * ceil((layers + 1 + 1) / layers_per_stage) virtual stages), which is the split with the embedding and
 * the loss in layer slots; an even split of the layers alone sets both to 0.
 */
function pipelineSplitLines(input: EmitInput): string[] {
  const { pp, vpp } = input.plan;
  const split = pipelineSplit(input.layers, pp, vpp);
  if (split.kind === "embeddingAndLoss") {
    return [
      `pipeline_parallel_layers_per_stage = ${(input.layers + 2) / (pp * vpp)}`,
      "pipeline_parallel_first_stage_less_layers = 1",
      "pipeline_parallel_last_stage_less_layers = 1",
    ];
  }
  if (split.kind === "uneven") return [];
  const lines = [
    "pipeline_parallel_first_stage_less_layers = 0",
    "pipeline_parallel_last_stage_less_layers = 0",
  ];
  if (vpp > 1) lines.unshift(`pipeline_parallel_layers_per_stage = ${split.layersPerChunk}`);
  return lines;
}

interface ActivationCheckpoint {
  mode: "none" | "selective" | "full";
  option: string | null;
}

/**
 * torchtitan's [activation_checkpoint] for a recomputation (torchtitan/distributed/activation_checkpoint.py
 * at v0.2.2: mode "selective" with selective_ac_option "op" checkpoints per operator, with a number N
 * every N-th layer in full), or why torchtitan cannot say it.
 */
function activationCheckpoint(r: EmitInput["plan"]["recompute"]): ActivationCheckpoint | string {
  if (r === "none" || r === "full") return { mode: r, option: null };
  if (r === "selective-op") return { mode: "selective", option: "op" };
  if (r === "offload") return "activation offloading to host memory: no torchtitan setting at v0.2.2";
  if (r === "selective") {
    return "Korthikanti's selective recomputation (the attention core only): torchtitan's selective checkpointing saves by operator (selective-op, selective_ac_option = \"op\") or by layer (full-every-N)";
  }
  if (recomputeModulesOf(r)) {
    return `${r}: Megatron's recompute modules have no torchtitan setting at v0.2.2 (it checkpoints by operator, selective-op, or by layer, full-every-N)`;
  }
  const l = recomputeLayersOf(r);
  if (l?.form === "every") return { mode: "selective", option: String(l.layers) };
  return `${r}: torchtitan checkpoints every N-th layer (selective_ac_option = N, full-every-N), not a block or units of layers (Megatron's recompute_method)`;
}

export function emitTorchtitan(input: EmitInput): Emitted {
  const why = inexpressible(input);
  if (why) return cannot("torchtitan", why);
  return {
    ok: true,
    target: "torchtitan",
    text: torchtitanToml(input),
    version: TORCHTITAN_VERSION,
    notes: [],
  };
}
