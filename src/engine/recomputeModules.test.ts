import { describe, expect, it } from "vitest";
import { isInputError } from "../errors.js";
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import { isRecompute, type Recompute, RecomputeSchema, recomputeModulesOf } from "../plan/schema.js";
import { simulateScenario } from "../scenario/simulateScenario.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import { RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, recomputeCode } from "./codes.js";
import { layerActivationBytes } from "./memory.js";
import { C_RECOMPUTE_MLP_TP, C_SIZE, C_TP_FWD, microBatchCosts } from "./microBatch.js";
import { planRecordOf as plan } from "./planRecord.js";
import { prepare } from "./prepare.js";
import { stageRecompute } from "./recompute.js";
import { recordMemory, recordTime } from "./result.js";
import { OUT_MEM_ACTIVATIONS, OUT_RECOMPUTE, OUT_SIZE } from "./slots.js";

// DeepSeek-V3 (multi-latent attention, 256 routed experts top 8, 3 dense layers) on H100.
const h100 = findChip("h100-sxm")!;
const v3 = findModelPreset("deepseek-v3")!.model;
const prep = prepare(workloadOperators(v3), rankHardware(h100), profileForChip(h100).profile);
const moeLayer = prep.ops.moe!;
const denseLayer = prep.ops.dense;
const tokens = prep.seqLen;

/** One layer's stored bytes under a modules word, at tp 1 without sequence parallelism. */
function bytes(lo: typeof moeLayer, recompute: Recompute, fp8 = 0): number {
  const rec = plan({ tp: 1, pp: 16, dp: 8, ep: 8, microBatches: 1, fp8 });
  const r = stageRecompute(recomputeCode(recompute), 4, 1);
  return layerActivationBytes(prep, lo, tokens, rec, r.policy, r.modules);
}

describe("Megatron's recompute modules", () => {
  it("are words of the vocabulary: each modelled module once, in any order", () => {
    expect(isRecompute("modules-layernorm+moe_act")).toBe(true);
    expect(isRecompute("modules-mla_up_proj+layernorm+core_attn+mlp+moe_act")).toBe(true);
    for (const bad of [
      "modules-",
      "modules-moe",
      "modules-layernorm+layernorm",
      "modules-layernorm+",
      "modules",
    ]) {
      expect(isRecompute(bad)).toBe(false);
    }
    expect(recomputeModulesOf("modules-moe_act+layernorm")).toEqual(["moe_act", "layernorm"]);
  });

  it("drop exactly the tensors each module discards (DeepSeek-V3 MoE layer, bf16)", () => {
    const none = bytes(moeLayer, "none");
    // mla_up_proj: the decompressed query, key and value, 128 heads x (192 + 192 + 128) bf16 values.
    expect(none - bytes(moeLayer, "modules-mla_up_proj")).toBe(tokens * 2 * 128 * (192 + 192 + 128));
    // moe_act: the routed experts' activation outputs, top 8 x 2048 values.
    expect(none - bytes(moeLayer, "modules-moe_act")).toBe(tokens * 2 * 8 * 2048);
    // layernorm: the outputs of MLA's input norm and the MoE layer's pre-MLP norm, h = 7168 each.
    expect(none - bytes(moeLayer, "modules-layernorm")).toBe(tokens * 2 * 2 * 7168);
    // mlp acts on dense layers only; core_attn keeps everything beside flash attention.
    expect(bytes(moeLayer, "modules-mlp")).toBe(none);
    expect(bytes(moeLayer, "modules-core_attn")).toBe(none);
    const all = bytes(moeLayer, "modules-layernorm+moe_act+mla_up_proj");
    expect(none - all).toBe(tokens * (2 * 128 * 512 + 2 * 8 * 2048 + 2 * 2 * 7168));
  });

  it("drop the bf16 tensor less the fp8 copy's saving under fp8, and a dense MLP's internals under mlp", () => {
    const none = bytes(moeLayer, "none", 1);
    // fp8 GEMMs kept the activation output as a 1-byte copy; moe_act drops that byte.
    expect(none - bytes(moeLayer, "modules-moe_act", 1)).toBe(tokens * 8 * 2048);
    // The attention norm's output was an fp8 copy (1 byte), the router's pre-MLP norm output bf16 (2).
    expect(none - bytes(moeLayer, "modules-layernorm", 1)).toBe(tokens * (7168 + 2 * 7168));
    // A dense layer (ffn 18432, SwiGLU): the fused norm's output (h) and fc1's and the activation's outputs.
    const dense = bytes(denseLayer, "none") - bytes(denseLayer, "modules-mlp");
    expect(dense).toBe(tokens * 2 * (7168 + 2 * 18432 + 18432));
  });

  it("rerun less than a full recomputation and more than nothing, keeping memory between full and none", () => {
    const run = (recompute: Recompute) => {
      const rec = plan({ tp: 1, pp: 16, dp: 8, ep: 8, microBatches: 16 });
      rec.recompute = recomputeCode(recompute);
      const out = new Float64Array(OUT_SIZE);
      recordMemory(prep, rec, out);
      const activations = out[OUT_MEM_ACTIVATIONS];
      recordTime(prep, rec, out);
      return { activations, recompute: out[OUT_RECOMPUTE] };
    };
    const none = run("none");
    const full = run("full");
    const parts = (["modules-layernorm", "modules-moe_act", "modules-mla_up_proj"] as const).map(run);
    const all = run("modules-layernorm+moe_act+mla_up_proj");
    for (const part of parts) expect(part.recompute).toBeGreaterThan(0);
    // The modules' reruns add up: each is charged apart.
    expect(all.recompute).toBeCloseTo(
      parts.reduce((sum, p) => sum + p.recompute, 0),
      12,
    );
    expect(all.recompute).toBeLessThan(full.recompute);
    expect(all.activations).toBeLessThan(none.activations);
    expect(all.activations).toBeGreaterThan(full.activations);
    expect(stageRecompute(RECOMPUTE_SELECTIVE, 4, 1).modules).toBe(
      stageRecompute(recomputeCode("modules-core_attn"), 4, 1).modules,
    );
    expect(stageRecompute(RECOMPUTE_NONE, 4, 1).modules).toBe(0);
  });

  it("let DeepSeek-V3's 2,048-GPU H800 layout fit with its report's recomputation, where none and core_attn do not", () => {
    const scenario = (recompute: string) =>
      "model: deepseek-v3\nhardware: { chip: h800, count: 2048 }\nprecision: fp8\nglobalBatch: 15360\nmicroBatch: 1\n" +
      `parallelism: { tp: 1, pp: 16, ep: 64, cp: 1, zero: zero1, recompute: ${recompute} }\n` +
      "software: { framework: megatron-core, moeDispatcher: deepep, expertCommOverlap: true }\n";
    const none = simulateScenario(scenario("none")).result;
    const full = simulateScenario(scenario("full")).result;
    // DeepSeek-V3 report sec. 3.2.3: RMSNorm and the MLA up-projections recomputed in backward.
    const report = simulateScenario(scenario("modules-layernorm+mla_up_proj")).result;
    expect(none.memory.perChipBytes).toBeGreaterThan(report.memory.perChipBytes);
    expect(report.memory.perChipBytes).toBeGreaterThan(full.memory.perChipBytes);
    expect(none.fits).toBe(false);
    expect(simulateScenario(scenario("selective")).result.fits).toBe(false);
    expect(report.fits).toBe(true);
    expect(report.throughput.tokensPerSecondPerChip).toBeGreaterThan(full.throughput.tokensPerSecondPerChip);
    // With the layout's depth left out, the plan search reaches for the modules before full recomputation.
    const searched = simulateScenario(scenario("null")).result;
    expect(searched.fits).toBe(true);
    expect(recomputeModulesOf(searched.parallelism.recompute)).not.toBeNull();
    // With the whole layout given, the fill of the unpublished recomputation leaves them out, as
    // cross-validation chose (docs/model.md): full recomputation is the lightest of its words that fits.
    const filled = simulateScenario(scenario("null").replace("cp: 1,", "cp: 1, vpp: 1,")).result;
    expect(filled.parallelism.recompute).toBe("full");
  });

  it("repeat a dense MLP's tensor-parallel collectives under mlp, and nothing of an MoE layer's", () => {
    const c = new Float64Array(C_SIZE);
    microBatchCosts(prep, plan({ tp: 2, pp: 16, dp: 8, ep: 8, microBatches: 1, sp: 1 }), c);
    // DeepSeek-V3's three dense layers of 62 (61 and the MTP module's, an MoE layer), half of each
    // dense one's forward collectives (the MLP block's).
    expect(c[C_RECOMPUTE_MLP_TP]).toBeGreaterThan(0);
    expect(c[C_RECOMPUTE_MLP_TP]).toBeCloseTo(c[C_TP_FWD] * (3 / 2 / 62), 12);
  });

  it("read a modules word in Megatron's order, and Megatron's default list as selective", () => {
    expect(RecomputeSchema.parse("modules-layernorm+moe_act")).toBe("modules-moe_act+layernorm");
    expect(RecomputeSchema.parse("modules-core_attn")).toBe("selective");
  });

  it("refuse a module the model has none for, naming the field", () => {
    const llama =
      "model: llama3-70b\nhardware: { chip: h100-sxm, count: 64 }\nglobalBatch: 128\nmicroBatch: 1\n" +
      "parallelism: { tp: 4, pp: 8, cp: 1, recompute: modules-mla_up_proj }\n";
    try {
      simulateScenario(llama);
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e)).toBe(true);
      expect(String((e as Error).message)).toMatch(/parallelism\.recompute.*mla_up_proj.*multi-latent/);
    }
    expect(() => simulateScenario(llama.replace("mla_up_proj", "moe_act"))).toThrow(
      /moe_act.*mixture-of-experts/,
    );
  });
});
