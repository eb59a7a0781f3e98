import { describe, expect, it } from "vitest";
import {
  attentionScoreFlopsPerLayer,
  forwardFlopsPerToken,
  hardwareFlopsPerToken,
  megatronFlopsPerToken,
  modelFlopsPerToken,
  type Recompute,
  sixNDFlopsPerToken,
} from "./flops.js";
import { findModelPreset, modelPresets } from "./presets.js";

const preset = (id: string) => findModelPreset(id)!.model;

describe("modelFlopsPerToken", () => {
  it("gives GPT-3 175B at 2048 tokens the hand-computed 6N + causal attention", () => {
    // N = 96 x 12 x 12288^2 (layers) + 50257 x 12288 (head) = 174,563,733,504
    // attention = 3 x 96 layers x 2048 x 96 heads x (128 + 128) = 14,495,514,624 (causal half applied)
    expect(modelFlopsPerToken(preset("gpt3-175b"), 2048)).toBe(6 * 174_563_733_504 + 14_495_514_624);
  });

  it("puts Llama 3 405B pretraining within 5% of the paper's 3.8e25 FLOPs for 15.6T tokens", () => {
    // The Llama 3 Herd of Models, §3.2.1: 3.8 x 10^25 FLOPs, 15.6T tokens, 8K context.
    const total = modelFlopsPerToken(preset("llama3-405b"), 8192) * 15.6e12;
    expect(Math.abs(total / 3.8e25 - 1)).toBeLessThan(0.05);
  });

  it("matches DeepSeek's per-token training cost at 4096 tokens: V3 250 GFLOPs, Llama 405B 2448 GFLOPs", () => {
    // Insights into DeepSeek-V3 (Zhao et al., ISCA 2025), Table 2; V3 counted without its MTP module.
    const v3 = { ...preset("deepseek-v3"), mtpLayers: 0 };
    expect(Math.abs(modelFlopsPerToken(v3, 4096) / 250e9 - 1)).toBeLessThan(0.03);
    expect(Math.abs(modelFlopsPerToken(preset("llama3-405b"), 4096) / 2448e9 - 1)).toBeLessThan(0.03);
  });

  it("adds the MTP module's block, projection and head when mtpLayers > 0", () => {
    const withMtp = preset("deepseek-v3");
    const without = { ...withMtp, mtpLayers: 0 };
    const extra = modelFlopsPerToken(withMtp, 4096) - modelFlopsPerToken(without, 4096);
    expect(extra / 1e9).toBeGreaterThan(8);
    expect(extra / 1e9).toBeLessThan(16);
  });

  it("counts the output head matmul even when the head is tied to the embedding", () => {
    const tied = preset("gpt3-175b");
    const untied = { ...tied, tiedEmbeddings: false };
    expect(modelFlopsPerToken(tied, 2048)).toBe(modelFlopsPerToken(untied, 2048));
  });

  it("grows linearly with sequence length through attention only", () => {
    const m = preset("llama3-8b");
    const d1 = modelFlopsPerToken(m, 8192) - modelFlopsPerToken(m, 4096);
    const d2 = modelFlopsPerToken(m, 4096) - modelFlopsPerToken(m, 2048);
    expect(d1).toBeCloseTo(2 * d2, 0);
    expect(d1).toBe(3 * 32 * (attentionScoreFlopsPerLayer(m, 8192) - attentionScoreFlopsPerLayer(m, 4096)));
  });

  it("uses MLA head widths for attention scores (192 for QK, 128 for V)", () => {
    expect(attentionScoreFlopsPerLayer(preset("deepseek-v3"), 4096)).toBe(4096 * 128 * (192 + 128));
  });

  it("rejects a bad sequence length, naming it", () => {
    expect(() => modelFlopsPerToken(preset("llama3-8b"), 0)).toThrow(
      /seqLen must be a positive integer, got 0/,
    );
    expect(() => modelFlopsPerToken(preset("llama3-8b"), Number.NaN)).toThrow(/seqLen/);
  });
});

describe("megatronFlopsPerToken and sixNDFlopsPerToken", () => {
  it("reduces to 72·l·h²·(1 + s/6h + V/12lh) for GPT-3", () => {
    const [l, h, s, V] = [96, 12288, 2048, 50257];
    const narayanan = 72 * l * h * h * (1 + s / (6 * h) + V / (12 * l * h));
    expect(megatronFlopsPerToken(preset("gpt3-175b"), s) / narayanan).toBeCloseTo(1, 12);
  });

  it("counts more than our causal convention, by exactly the causal half of attention", () => {
    for (const p of modelPresets) {
      if (p.model.slidingWindow) continue; // windowed layers attend fewer keys still (next test)
      const s = p.model.seqLen;
      const f = forwardFlopsPerToken(p.model, s);
      const diff = megatronFlopsPerToken(p.model, s) - modelFlopsPerToken(p.model, s);
      expect(diff / (3 * (f.attention + f.mtpAttention)), p.id).toBeCloseTo(1, 9);
    }
  });

  it("counts sliding-window layers as full attention, ours counts their window", () => {
    const m = preset("gpt-oss-120b");
    const f = forwardFlopsPerToken(m, m.seqLen);
    const diff = megatronFlopsPerToken(m, m.seqLen) - modelFlopsPerToken(m, m.seqLen);
    expect(diff).toBeGreaterThan(3 * (f.attention + f.mtpAttention));
  });

  it("is 6 x active parameters for the naive baseline", () => {
    expect(sixNDFlopsPerToken(preset("mixtral-8x7b")) / 1e9).toBeCloseTo(6 * 12.88, 0);
  });
});

describe("hardwareFlopsPerToken", () => {
  const modes: Recompute[] = ["none", "selective", "full"];

  it("is model FLOPs without recompute, and selective < full, for every preset", () => {
    for (const p of modelPresets) {
      const s = p.model.seqLen;
      const [none, sel, full] = modes.map((r) => hardwareFlopsPerToken(p.model, s, r));
      expect(none, p.id).toBe(modelFlopsPerToken(p.model, s));
      expect(sel, p.id).toBeGreaterThan(none);
      expect(full, p.id).toBeGreaterThan(sel);
    }
  });

  it("adds exactly one forward of the layers (not the head) under full recompute", () => {
    const m = preset("llama3-70b");
    const f = forwardFlopsPerToken(m, 8192);
    const extra = hardwareFlopsPerToken(m, 8192, "full") - modelFlopsPerToken(m, 8192);
    expect(extra).toBe(f.layers + f.attention);
  });

  it("gives GPT-3 175B a full-recompute ratio near Megatron's 4/3", () => {
    const m = preset("gpt3-175b");
    const ratio = hardwareFlopsPerToken(m, 2048, "full") / modelFlopsPerToken(m, 2048);
    expect(ratio).toBeGreaterThan(1.32);
    expect(ratio).toBeLessThan(4 / 3);
  });

  it("counts no recomputation for offloaded activations", () => {
    const m = preset("llama3-8b");
    expect(hardwareFlopsPerToken(m, 8192, "offload")).toBe(hardwareFlopsPerToken(m, 8192, "none"));
  });

  it("rejects an unknown recompute mode, listing the allowed ones", () => {
    expect(() => hardwareFlopsPerToken(preset("llama3-8b"), 8192, "some" as Recompute)).toThrow(
      /Invalid recompute: got "some"\. One of none, selective, full, offload/,
    );
  });
});
