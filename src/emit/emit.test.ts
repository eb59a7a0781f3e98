import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import type { Parallelism } from "../plan/schema.js";
import { findModelPreset } from "../workload/presets.js";
import { emitInputOf, emitPlan } from "./emit.js";
import { megatronFlags } from "./megatron.js";
import { parseMegatronArgs } from "./parseMegatron.js";
import type { EmitInput } from "./types.js";

const h100 = findChip("h100-sxm")!;
const trn2 = findChip("trn2")!;
const base: Parallelism = {
  tp: 4,
  pp: 8,
  vpp: 5,
  dp: 2,
  cp: 1,
  ep: 1,
  microBatch: 1,
  recompute: "selective",
  zero: "zero1",
  sequenceParallel: true,
  precision: "fp8",
};
const on = (plan: Partial<Parallelism>, layers = 80): EmitInput =>
  emitInputOf({ ...base, ...plan }, { globalBatch: 512, layers, chip: h100 });
const text = (target: Parameters<typeof emitPlan>[0], input: EmitInput): string => {
  const e = emitPlan(target, input);
  if (!e.ok) throw new Error(e.reason);
  return e.text;
};
const worldOf = (p: Parallelism) => p.tp * p.pp * p.cp * p.dp;

describe("emit megatron", () => {
  it("writes Megatron-LM's own flags for tp4 pp8 vpp5 dp2 mb1 zero1 sp fp8", () => {
    expect(text("megatron", on({}))).toBe(
      "--tensor-model-parallel-size 4 --pipeline-model-parallel-size 8 --num-layers-per-virtual-pipeline-stage 2 --context-parallel-size 1 --sequence-parallel --recompute-granularity selective --use-distributed-optimizer --micro-batch-size 1 --global-batch-size 512 --bf16 --fp8-format hybrid\n",
    );
  });

  it("reads back every plan it writes as the same plan (round trip)", () => {
    const cases: [Partial<Parallelism>, number][] = [
      [{}, 80],
      [
        {
          pp: 1,
          vpp: 1,
          dp: 64,
          recompute: "none",
          zero: "zero0",
          sequenceParallel: false,
          precision: "bf16",
        },
        80,
      ],
      [{ tp: 8, pp: 16, vpp: 1, dp: 4, recompute: "full", precision: "bf16" }, 126], // 126 + 2 = 128 = 16 x 8
      [{ recompute: "full-block-2" }, 80],
      [{ recompute: "full-uniform-4" }, 80],
      [{ tp: 2, pp: 16, vpp: 1, dp: 8, ep: 8, recompute: "modules-layernorm+mla_up_proj" }, 61],
      [{ tp: 8, pp: 16, vpp: 2, dp: 4, precision: "bf16" }, 126],
      [{ tp: 2, pp: 16, vpp: 1, dp: 8, cp: 2, ep: 8, precision: "fp8" }, 61], // uneven: DeepSeek-V3's 61 layers
      [{ tp: 2, pp: 8, vpp: 2, dp: 8 }, 61],
      [
        { pp: 1, vpp: 1, dp: 16, zero: "zero3", sequenceParallel: true, microBatch: 4, precision: "fp16" },
        32,
      ],
      [{ pp: 1, vpp: 1, dp: 16, zero: "zero2", recompute: "none" }, 32],
    ];
    for (const [plan, layers] of cases) {
      const input = on(plan, layers);
      const parsed = parseMegatronArgs(text("megatron", input), { worldSize: worldOf(input.plan), layers });
      expect(parsed.plan).toEqual(input.plan);
      expect(parsed.globalBatch).toBe(512);
      expect(parsed.skipped).toEqual([]);
    }
  });

  it("states uneven and embedding-balanced pipeline splits the way Megatron-LM takes them", () => {
    const flags = megatronFlags(on({ tp: 2, pp: 4, vpp: 1, dp: 8 }, 61));
    expect(flags).toContainEqual([
      "--pipeline-model-parallel-layout",
      expect.stringMatching(/^Et{16}\|t{15}\|t{15}\|t{15}L$/),
    ]);
    expect(text("megatron", on({ pp: 16, vpp: 1 }, 126))).toContain(
      "--account-for-embedding-in-pipeline-split --account-for-loss-in-pipeline-split",
    );
    expect(text("megatron", on({ tp: 2, pp: 4, vpp: 1, dp: 8 }, 61))).toContain("'Et");
  });

  it("refuses activation offloading, which core_v0.14.0 has no flag for", () => {
    const e = emitPlan("megatron", on({ recompute: "offload" }));
    expect(e.ok).toBe(false);
    expect(e.ok ? "" : e.reason).toMatch(/offloading/);
  });

  it("reads --flag=value, line continuations and other flags (listed as skipped)", () => {
    const r = parseMegatronArgs(
      "--num-layers 32 \\\n --tensor-model-parallel-size=2 --num-layers-per-virtual-pipeline-stage 4 --pipeline-model-parallel-size 4 --lr 3e-4 --bf16",
      { worldSize: 64 },
    );
    expect(r.plan).toMatchObject({ tp: 2, pp: 4, vpp: 2, dp: 8, zero: "zero0", precision: "bf16" });
    expect(r.skipped).toEqual(["--lr"]);
  });
});

describe("emit megatron-bridge, torchtitan, neuronx", () => {
  it("writes Megatron-Bridge overrides with every value explicit", () => {
    const t = text("megatron-bridge", on({}));
    for (const line of [
      "model.tensor_model_parallel_size=4",
      "model.pipeline_model_parallel_size=8",
      "model.virtual_pipeline_model_parallel_size=5",
      "model.sequence_parallel=true",
      "model.recompute_granularity=selective",
      "ddp.use_distributed_optimizer=true",
      "train.micro_batch_size=1",
      "train.global_batch_size=512",
      "mixed_precision=bf16_with_fp8_delayed_scaling_mixed",
    ]) {
      expect(t).toContain(line);
    }
    expect(text("megatron-bridge", on({ recompute: "offload" }))).toContain(
      "model.fine_grained_activation_offloading=true",
    );
  });

  it("writes torchtitan TOML, FSDP2 for ZeRO-3, and refuses what torchtitan cannot run", () => {
    const t = text(
      "torchtitan",
      on({ pp: 1, vpp: 1, dp: 16, zero: "zero3", microBatch: 2, recompute: "selective-op" }),
    );
    expect(t).toContain("data_parallel_shard_degree = 16");
    expect(t).toContain('fsdp_reshard_after_forward = "always"');
    expect(t).toContain("tensor_parallel_degree = 4");
    expect(t).toContain("local_batch_size = 2");
    expect(t).toContain('converters = ["quantize.linear.float8"]');
    expect(t).toContain('mode = "selective"\nselective_ac_option = "op"');
    const interleaved = text("torchtitan", on({ zero: "zero0", recompute: "full" }));
    expect(interleaved).toContain('mode = "full"');
    expect(interleaved).toContain('pipeline_parallel_schedule = "Interleaved1F1B"');
    // torchtitan counts the embedding and output as a layer each unless told not to (v0.2.2 defaults 1).
    expect(interleaved).toContain(
      "pipeline_parallel_layers_per_stage = 2\npipeline_parallel_first_stage_less_layers = 0\npipeline_parallel_last_stage_less_layers = 0",
    );
    expect(interleaved).toContain("local_batch_size = 256");
    for (const plan of [
      { zero: "zero1", recompute: "full" },
      { zero: "zero0", sequenceParallel: false, recompute: "full" },
    ] as Partial<Parallelism>[]) {
      expect(emitPlan("torchtitan", on(plan)).ok).toBe(false);
    }
  });

  it("writes the layout with the embedding and the loss in chunks of their own (126 layers, pp 16 x vpp 8) for every stack", () => {
    const llama405 = on({ pp: 16, vpp: 8, zero: "zero0", recompute: "full" }, 126);
    const megatron = text("megatron", llama405);
    expect(megatron).toContain(
      "--account-for-embedding-in-pipeline-split --account-for-loss-in-pipeline-split --num-virtual-stages-per-pipeline-rank 8",
    );
    expect(parseMegatronArgs(megatron, { worldSize: worldOf(llama405.plan), layers: 126 }).plan.vpp).toBe(8);
    // torchtitan's default (embedding and output counted as a layer each) is this split: 128 slots, 1 per stage.
    expect(text("torchtitan", llama405)).toContain(
      "pipeline_parallel_layers_per_stage = 1\npipeline_parallel_first_stage_less_layers = 1\npipeline_parallel_last_stage_less_layers = 1",
    );
  });

  it("reads --num-layers-per-virtual-pipeline-stage with the embedding and loss slots, and refuses a fractional count", () => {
    const accounted =
      "--pipeline-model-parallel-size 16 --num-layers-per-virtual-pipeline-stage 1 --account-for-embedding-in-pipeline-split --account-for-loss-in-pipeline-split";
    expect(parseMegatronArgs(accounted, { worldSize: 128, layers: 126 }).plan.vpp).toBe(8); // was 7.875
    expect(() =>
      parseMegatronArgs("--pipeline-model-parallel-size 16 --num-layers-per-virtual-pipeline-stage 1", {
        worldSize: 128,
        layers: 126,
      }),
    ).toThrow(
      /--num-layers-per-virtual-pipeline-stage: got "1"\. A setting that gives each pipeline rank a whole number/,
    );
    expect(() =>
      parseMegatronArgs("--pipeline-model-parallel-size 4 --num-virtual-stages-per-pipeline-rank 0", {
        worldSize: 8,
      }),
    ).toThrow(/--num-virtual-stages-per-pipeline-rank/);
  });

  it("writes torchtitan's layer-level checkpointing as selective_ac_option N and refuses what it has no setting for", () => {
    const every = text("torchtitan", on({ zero: "zero0", recompute: "full-every-2" }));
    expect(every).toContain('mode = "selective"\nselective_ac_option = "2"');
    for (const recompute of [
      "selective",
      "full-block-2",
      "full-uniform-2",
      "offload",
      "modules-moe_act",
    ] as const) {
      const e = emitPlan("torchtitan", on({ zero: "zero0", recompute }));
      expect(e.ok).toBe(false);
    }
  });

  it("writes Megatron's block and uniform recomputation with their layer count, and refuses torchtitan's forms", () => {
    const block = text("megatron", on({ recompute: "full-block-3" }));
    expect(block).toContain("--recompute-granularity full --recompute-method block --recompute-num-layers 3");
    const bridge = text("megatron-bridge", on({ recompute: "full-uniform-2" }));
    for (const line of [
      "model.recompute_granularity=full",
      "model.recompute_method=uniform",
      "model.recompute_num_layers=2",
    ]) {
      expect(bridge).toContain(line);
    }
    for (const recompute of ["selective-op", "full-every-2"] as const) {
      expect(emitPlan("megatron", on({ recompute })).ok).toBe(false);
      expect(emitPlan("megatron-bridge", on({ recompute })).ok).toBe(false);
    }
  });

  it("writes Megatron's recompute modules as selective with that list, and reads an empty or unknown list honestly", () => {
    const modules = on({ recompute: "modules-moe_act+layernorm" });
    expect(text("megatron", modules)).toContain(
      "--recompute-granularity selective --recompute-modules moe_act layernorm",
    );
    expect(text("megatron-bridge", modules)).toContain("model.recompute_modules='[moe_act,layernorm]'");
    // Under fp8 Megatron refuses layernorm and moe_act with delayed scaling, the flag's default.
    expect(text("megatron", modules)).toContain("--fp8-format hybrid --fp8-recipe tensorwise");
    expect(text("megatron-bridge", modules)).toContain("mixed_precision=bf16_with_fp8_current_scaling_mixed");
    expect(text("megatron", on({ recompute: "modules-mla_up_proj" }))).not.toContain("--fp8-recipe");
    const read = (line: string) => parseMegatronArgs(line, { worldSize: 8, layers: 32 }).plan.recompute;
    expect(read("--recompute-granularity selective")).toBe("selective");
    expect(read("--recompute-granularity selective --recompute-modules core_attn")).toBe("selective");
    // Written back in Megatron's documented order; an empty list turns every module off.
    expect(read("--recompute-granularity selective --recompute-modules mla_up_proj layernorm --bf16")).toBe(
      "modules-layernorm+mla_up_proj",
    );
    expect(read("--recompute-granularity selective --recompute-modules --bf16")).toBe("none");
    expect(() => read("--recompute-granularity selective --recompute-modules moe")).toThrow(
      /--recompute-modules/,
    );
  });

  it("writes NxD Training YAML in logical NeuronCores on Trainium, and refuses fp8 and FSDP", () => {
    const input = emitInputOf({ ...base, precision: "bf16" }, { globalBatch: 512, layers: 80, chip: trn2 });
    const t = text("neuronx", input);
    expect(t).toContain("tensor_model_parallel_size: 16"); // 4 chips x 4 logical cores (LNC=2)
    expect(t).toContain("virtual_pipeline_model_parallel_size: 5");
    expect(t).toContain("zero1: True");
    expect(t).toContain("activations_checkpoint_granularity: selective");
    expect(emitPlan("neuronx", { ...input, plan: { ...input.plan, precision: "fp8" } }).ok).toBe(false);
    expect(emitPlan("neuronx", { ...input, plan: { ...input.plan, zero: "zero3" } }).ok).toBe(false);
    expect(emitPlan("neuronx", on({ precision: "bf16" })).ok).toBe(false); // H100 has no NeuronCores
    for (const recompute of ["selective-op", "full-block-2"] as const) {
      expect(emitPlan("neuronx", { ...input, plan: { ...input.plan, recompute } }).ok).toBe(false);
    }
  });
});

describe("emit token dropping with padding (software.expertCapacityFactor)", () => {
  const moe = findModelPreset("qwen3-30b-a3b")!.model;
  const padded = (software: { expertCapacityFactor?: number | null }, model = moe) =>
    emitInputOf(
      { ...base, tp: 1, pp: 1, vpp: 1, dp: 16, ep: 8 },
      { globalBatch: 512, layers: 48, chip: h100, model, software },
    );

  it("writes Megatron's capacity flags on the alltoall dispatcher, and Megatron-Bridge's token-drop overrides", () => {
    expect(text("megatron", padded({ expertCapacityFactor: 1.25 }))).toContain(
      "--moe-token-dispatcher-type alltoall --moe-expert-capacity-factor 1.25 --moe-pad-expert-input-to-capacity",
    );
    expect(text("megatron-bridge", padded({ expertCapacityFactor: 1 }))).toContain(
      "model.moe_expert_capacity_factor=1 \\\n  model.moe_pad_expert_input_to_capacity=true",
    );
  });

  it("writes nothing of it for a dropless run or a dense model, and refuses it where the stack cannot say it", () => {
    expect(text("megatron", padded({}))).not.toContain("capacity");
    expect(
      text("megatron", padded({ expertCapacityFactor: 1 }, findModelPreset("llama3-8b")!.model)),
    ).not.toContain("capacity");
    const titan = emitPlan("torchtitan", padded({ expertCapacityFactor: 1 }));
    expect(titan.ok).toBe(false);
    if (!titan.ok)
      expect(titan.reason).toMatch(/capacity factor \(1\): torchtitan's MoE routes dropless only/);
  });
});
