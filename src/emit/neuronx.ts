import { cannot, type EmitInput, type Emitted } from "./types.js";

/**
 * A plan as NeuronX Distributed Training YAML: the distributed_strategy, data, model and precision
 * keys of the NxD Training configuration reference (awsdocs-neuron, archive/nxd-training/config_overview.rst;
 * examples/conf/hf_llama3_70B_trn2_config.yaml in aws-neuron/neuronx-distributed-training at Neuron
 * SDK 2.26.0, commit 9169aa0): tensor_model_parallel_size, pipeline_model_parallel_size,
 * virtual_pipeline_model_parallel_size, context_parallel_size, expert_model_parallel_size, zero1,
 * sequence_parallel; data.micro_batch_size and global_batch_size; model.activations_checkpoint_granularity
 * {selective, full, null}; trainer.lnc. Parallel sizes there count logical NeuronCores (trn2 at LNC=2
 * has 4 per chip), so a plan in chips is written with tp in cores: the cores of a chip join its
 * tensor-parallel group, which keeps the chip-level plan as the engine timed it.
 */
export const NEURONX_VERSION = "NeuronX Distributed Training, Neuron SDK 2.26.0 (config_overview.rst)";

function inexpressible(input: EmitInput): string | null {
  const p = input.plan;
  if (input.expertCapacityFactor != null) {
    return `an expert capacity factor (${input.expertCapacityFactor}): its NxD Training setting was not read, so it is not written`;
  }
  if (p.zero === "zero2" || p.zero === "zero3") {
    return `${p.zero}: NxD Training shards only the optimizer (zero1: true); it has no FSDP`;
  }
  if (p.precision === "fp8")
    return "fp8: NxD Training runs FP32, BF16 (with stochastic rounding) or BF16 with FP32 master weights";
  if (p.precision === "fp16") return "fp16: NxD Training runs FP32 or BF16";
  if (p.recompute === "offload") return "activation offloading to host memory: not an NxD Training setting";
  if (p.recompute !== "none" && p.recompute !== "selective" && p.recompute !== "full") {
    return `${p.recompute}: NxD Training's activations_checkpoint_granularity is selective, full or null (config_overview.rst); its other recomputation settings were not read`;
  }
  return null;
}

export function neuronxYaml(input: EmitInput): string {
  const p = input.plan;
  const coresPerRank = input.unit === "chip" ? (input.logicalCoresPerChip ?? 1) : 1;
  const tp = p.tp * coresPerRank;
  const lines = [
    "distributed_strategy:",
    `  tensor_model_parallel_size: ${tp}`,
    `  pipeline_model_parallel_size: ${p.pp}`,
    `  virtual_pipeline_model_parallel_size: ${p.vpp}`,
    `  context_parallel_size: ${p.cp}`,
    `  expert_model_parallel_size: ${p.ep}`,
    `  zero1: ${p.zero === "zero1" ? "True" : "False"}`,
    // Sequence parallelism shards along the tensor-parallel group; with the chip's cores in it, it is on.
    `  sequence_parallel: ${p.sequenceParallel || tp > 1 ? "True" : "False"}`,
    "data:",
    `  micro_batch_size: ${p.microBatch}`,
    `  global_batch_size: ${input.globalBatch}`,
    "model:",
    `  activations_checkpoint_granularity: ${p.recompute === "none" ? "null" : p.recompute}`,
    "precision:",
    "  type: 'mixed_precision'",
  ];
  return `${lines.join("\n")}\n`;
}

export function emitNeuronx(input: EmitInput): Emitted {
  const why = inexpressible(input);
  if (why) return cannot("neuronx", why);
  if (input.unit === "chip" && input.logicalCoresPerChip === null) {
    return cannot("neuronx", "NxD Training runs on Trainium; this chip has no NeuronCores");
  }
  const p = input.plan;
  const notes = [
    `data parallelism ${p.dp} is implied: trainer.devices x trainer.num_nodes = ${p.tp * p.pp * p.cp * p.dp * (input.unit === "chip" ? (input.logicalCoresPerChip ?? 1) : 1)} logical NeuronCores`,
  ];
  if (input.unit === "chip" && (input.logicalCoresPerChip ?? 1) > 1) {
    notes.push(
      `tensor_model_parallel_size counts logical NeuronCores: the plan's tp ${p.tp} chips x ${input.logicalCoresPerChip} cores per chip`,
    );
  }
  return { ok: true, target: "neuronx", text: neuronxYaml(input), version: NEURONX_VERSION, notes };
}
