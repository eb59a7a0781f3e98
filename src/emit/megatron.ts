import { megatronRecompute, needsCurrentScaling } from "./megatronRecompute.js";
import { megatronLayout, pipelineSplit } from "./pipelineSplit.js";
import { cannot, type EmitInput, type Emitted } from "./types.js";

/**
 * A plan as Megatron-LM command-line flags, as defined in megatron/training/arguments.py at
 * core_v0.14.0 (github.com/NVIDIA/Megatron-LM, tag core_v0.14.0, commit 23e00ed):
 * --tensor-model-parallel-size, --pipeline-model-parallel-size, --num-layers-per-virtual-pipeline-stage
 * (or --num-virtual-stages-per-pipeline-rank), --context-parallel-size, --expert-model-parallel-size,
 * --expert-tensor-parallel-size, --sequence-parallel, --recompute-granularity {full, selective},
 * --recompute-method {uniform, block}, --recompute-num-layers, --use-distributed-optimizer,
 * --use-megatron-fsdp with --data-parallel-sharding-strategy {optim_grads, optim_grads_params},
 * --micro-batch-size, --global-batch-size, --bf16 / --fp16, --fp8-format {e4m3, hybrid}.
 * Data parallelism is what is left of the world size (WORLD_SIZE / (tp x pp x cp)), so it has no flag.
 */
export const MEGATRON_VERSION = "Megatron-LM core_v0.14.0 (megatron/training/arguments.py)";

/** The flags as [name, value] pairs (value null for a switch), in the order they are written. */
/** A flag and its value: null for a switch, a list for a flag that takes several words (nargs='*'). */
export type MegatronFlags = [string, string | string[] | null][];

export function megatronFlags(input: EmitInput): MegatronFlags | string {
  const p = input.plan;
  if (p.recompute === "offload") {
    return "activation offloading has no command-line flag at core_v0.14.0 (it is TransformerConfig.cpu_offloading, set in code; core_v0.19.0's fine_grained_activation_offloading); emit megatron-bridge, which sets model.fine_grained_activation_offloading";
  }
  const recompute = megatronRecompute(p.recompute);
  if (typeof recompute === "string") return recompute;
  const flags: MegatronFlags = [
    ["--tensor-model-parallel-size", String(p.tp)],
    ["--pipeline-model-parallel-size", String(p.pp)],
  ];
  flags.push(...pipelineFlags(input));
  flags.push(["--context-parallel-size", String(p.cp)]);
  if (p.ep > 1) {
    // The engine runs routed experts without tensor parallelism under expert parallelism (planRecord.expertTp).
    flags.push(["--expert-model-parallel-size", String(p.ep)], ["--expert-tensor-parallel-size", "1"]);
  }
  if (p.sequenceParallel) flags.push(["--sequence-parallel", null]);
  if (recompute.granularity) flags.push(["--recompute-granularity", recompute.granularity]);
  if (recompute.modules) flags.push(["--recompute-modules", recompute.modules]);
  if (recompute.method) {
    flags.push(
      ["--recompute-method", recompute.method],
      ["--recompute-num-layers", String(recompute.layers)],
    );
  }
  flags.push(...zeroFlags(p.zero));
  if (input.expertCapacityFactor != null) {
    // Token dropping with padding (transformer_config.py: moe_expert_capacity_factor with
    // moe_pad_expert_input_to_capacity, on the alltoall dispatcher, the only one that pads).
    flags.push(
      ["--moe-token-dispatcher-type", "alltoall"],
      ["--moe-expert-capacity-factor", String(input.expertCapacityFactor)],
      ["--moe-pad-expert-input-to-capacity", null],
    );
  }
  flags.push(
    ["--micro-batch-size", String(p.microBatch)],
    ["--global-batch-size", String(input.globalBatch)],
  );
  flags.push([p.precision === "fp16" ? "--fp16" : "--bf16", null]);
  if (p.precision === "fp8") flags.push(["--fp8-format", "hybrid"]);
  // Delayed scaling (the flag's default) refuses the layernorm and moe_act modules.
  if (p.precision === "fp8" && needsCurrentScaling(p.recompute)) flags.push(["--fp8-recipe", "tensorwise"]);
  return flags;
}

/** Virtual stages and uneven splits, as Megatron-LM states them. */
function pipelineFlags(input: EmitInput): MegatronFlags {
  const { pp, vpp } = input.plan;
  if (pp === 1) return [];
  const split = pipelineSplit(input.layers, pp, vpp);
  if (split.kind === "even") {
    return vpp > 1 ? [["--num-layers-per-virtual-pipeline-stage", String(split.layersPerChunk)]] : [];
  }
  if (split.kind === "embeddingAndLoss") {
    const flags: MegatronFlags = [
      ["--account-for-embedding-in-pipeline-split", null],
      ["--account-for-loss-in-pipeline-split", null],
    ];
    if (vpp > 1) flags.push(["--num-virtual-stages-per-pipeline-rank", String(vpp)]);
    return flags;
  }
  return [["--pipeline-model-parallel-layout", megatronLayout(split.layersPerChunk)]];
}

function zeroFlags(zero: EmitInput["plan"]["zero"]): MegatronFlags {
  if (zero === "zero0") return [];
  if (zero === "zero1") return [["--use-distributed-optimizer", null]];
  // Megatron-FSDP always runs with the distributed optimizer (arguments.py validation).
  const strategy = zero === "zero2" ? "optim_grads" : "optim_grads_params";
  return [
    ["--use-distributed-optimizer", null],
    ["--use-megatron-fsdp", null],
    ["--data-parallel-sharding-strategy", strategy],
  ];
}

/** The flags as one shell line; a value with shell characters (a layout's "|") in single quotes. */
export function flagsText(flags: MegatronFlags): string {
  const quoted = (v: string) => (/^[\w.-]+$/.test(v) ? v : `'${v}'`);
  const words = (v: string | string[]) => (Array.isArray(v) ? v.map(quoted).join(" ") : quoted(v));
  return flags.map(([name, value]) => (value === null ? name : `${name} ${words(value)}`)).join(" ");
}

export function emitMegatron(input: EmitInput): Emitted {
  const flags = megatronFlags(input);
  if (typeof flags === "string") return cannot("megatron", flags);
  const p = input.plan;
  return {
    ok: true,
    target: "megatron",
    text: `${flagsText(flags)}\n`,
    version: MEGATRON_VERSION,
    notes: [
      `data parallelism ${p.dp} is implied: launch on ${p.tp * p.pp * p.cp * p.dp} ranks (WORLD_SIZE); add the model's own flags (--num-layers ${input.layers}, ...)`,
    ],
  };
}
