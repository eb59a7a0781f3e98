import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { isHuggingFaceConfig, modelFromHuggingFace } from "./huggingFace.js";
import { countParameters } from "./parameters.js";
import { findModelPreset } from "./presets.js";

// Real config.json files, one or more per family (test/fixtures/huggingface/README.md gives each source).
const FIXTURES = new URL("../../test/fixtures/huggingface/", import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), "utf8"));
}

function importFixture(name: string) {
  return modelFromHuggingFace(fixture(name), `${name}.json`);
}

/**
 * Published sizes (model cards, papers), in billions. `activeNoEmbedding`: the publisher's active count
 * leaves the input embedding out (gpt-oss model card Table 1, DeepSeek-V2 paper Table 1 for Lite);
 * `totalNoMtp`: DeepSeek-V3's 671B leaves the MTP module out. `within`: the relative gap allowed,
 * the rounding of the published figure plus the biases trainplan does not count.
 */
const published: Record<
  string,
  { total: number; active?: number; within: number; activeNoEmbedding?: boolean; totalNoMtp?: boolean }
> = {
  "huggyllama--llama-7b": { total: 6.74, within: 0.005 },
  "meta-llama--Llama-2-70b-hf": { total: 69.0, within: 0.005 },
  "meta-llama--Meta-Llama-3-8B": { total: 8.03, within: 0.005 },
  "meta-llama--Llama-3.1-405B": { total: 405, within: 0.005 },
  "mistralai--Mistral-7B-v0.1": { total: 7.24, within: 0.005 },
  "mistralai--Mixtral-8x7B-v0.1": { total: 46.7, active: 12.9, within: 0.005 },
  "Qwen--Qwen2-7B": { total: 7.62, within: 0.005 },
  "Qwen--Qwen3-8B": { total: 8.2, within: 0.01 },
  "Qwen--Qwen3-30B-A3B": { total: 30.5, active: 3.3, within: 0.02 },
  "deepseek-ai--DeepSeek-V2": { total: 236, active: 21, within: 0.02 },
  "deepseek-ai--DeepSeek-V2-Lite": { total: 15.7, active: 2.4, within: 0.03, activeNoEmbedding: true },
  "deepseek-ai--DeepSeek-V3": { total: 671, active: 37, within: 0.02, totalNoMtp: true },
  "openai--gpt-oss-120b": { total: 116.83, active: 5.13, within: 0.005, activeNoEmbedding: true },
  "openai--gpt-oss-20b": { total: 20.91, active: 3.61, within: 0.005, activeNoEmbedding: true },
  "google--gemma-7b": { total: 8.54, within: 0.005 },
  "google--gemma-2-9b": { total: 9.24, within: 0.005 },
  "microsoft--Phi-3-mini-4k-instruct": { total: 3.82, within: 0.005 },
  "microsoft--phi-2": { total: 2.78, within: 0.01 },
  "openai-community--gpt2": { total: 0.124, within: 0.01 },
  "EleutherAI--gpt-neox-20b": { total: 20.55, within: 0.005 },
  "mosaicml--mpt-7b": { total: 6.65, within: 0.01 },
  "bigscience--bloom-7b1": { total: 7.07, within: 0.005 },
};

describe("Hugging Face config.json import", () => {
  it("has a published size for every fixture", () => {
    expect(fixtureNames.map((f) => f.replace(/\.json$/, "")).sort()).toEqual(Object.keys(published).sort());
  });

  for (const [name, size] of Object.entries(published)) {
    it(`counts ${name} as its model card does`, () => {
      const { model } = importFixture(name);
      const count = countParameters(model);
      const total = (size.totalNoMtp ? count.total - count.mtp : count.total) / 1e9;
      expect(Math.abs(total / size.total - 1), `total ${total}B`).toBeLessThan(size.within);
      if (size.active !== undefined) {
        const active = (size.activeNoEmbedding ? count.active - count.embedding : count.active) / 1e9;
        expect(Math.abs(active / size.active - 1), `active ${active}B`).toBeLessThan(size.within);
      }
    });
  }

  // Where trainplan has a preset of the same model, the import must count the same parameters.
  const presetOf: Record<string, string> = {
    "meta-llama--Llama-2-70b-hf": "llama2-70b",
    "meta-llama--Meta-Llama-3-8B": "llama3-8b",
    "meta-llama--Llama-3.1-405B": "llama3-405b",
    "mistralai--Mixtral-8x7B-v0.1": "mixtral-8x7b",
    "Qwen--Qwen3-30B-A3B": "qwen3-30b-a3b",
    "deepseek-ai--DeepSeek-V3": "deepseek-v3",
    "openai--gpt-oss-120b": "gpt-oss-120b",
  };
  for (const [name, presetId] of Object.entries(presetOf)) {
    it(`reads ${name} as the ${presetId} preset: same counts, geometry and attention`, () => {
      const { model } = importFixture(name);
      const preset = findModelPreset(presetId)!.model;
      const a = countParameters(model);
      const b = countParameters(preset);
      expect([a.total, a.active, a.mtp]).toEqual([b.total, b.active, b.mtp]);
      for (const key of [
        "layers",
        "hidden",
        "heads",
        "vocab",
        "gatedMlp",
        "tiedEmbeddings",
        "mtpLayers",
      ] as const) {
        expect(model[key], key).toEqual(preset[key]);
      }
      expect(model.slidingWindow ?? null).toEqual(preset.slidingWindow ?? null);
      expect(model.mla ?? null).toEqual(preset.mla ?? null);
    });
  }

  it("reads DeepSeek's routing groups, MLA and MTP fields", () => {
    const { model } = importFixture("deepseek-ai--DeepSeek-V3");
    expect(model.moe).toMatchObject({
      experts: 256,
      topK: 8,
      routingGroups: 8,
      topKGroups: 4,
      denseLayers: 3,
    });
    expect(model.mtpLayers).toBe(1);
    expect(model.mla?.qLoraRank).toBe(1536);
    const lite = importFixture("deepseek-ai--DeepSeek-V2-Lite");
    expect(lite.model.moe?.routingGroups).toBeUndefined(); // n_group 1: no grouping
    expect(lite.model.mla?.qLoraRank).toBe(0);
    expect(lite.guesses.join("\n")).toMatch(/q_lora_rank null/);
  });

  it("states every guess: MLP gating, tied head, context length, defaulted widths, uncounted weights", () => {
    const gpt2 = importFixture("openai-community--gpt2").guesses.join("\n");
    expect(gpt2).toMatch(/plain MLP .*GPT-2.*gelu_new/);
    expect(gpt2).toMatch(/no tie_word_embeddings: output head tied/);
    expect(gpt2).toMatch(/3072 = 4 x hidden/);
    expect(gpt2).toMatch(/seqLen 1024 from n_positions/);
    expect(gpt2).toMatch(/learned position embeddings/);
    const llama = importFixture("meta-llama--Llama-3.1-405B").guesses.join("\n");
    expect(llama).toMatch(/gated MLP .*silu/);
    expect(llama).toMatch(/seqLen 8192 from rope_scaling.original_max_position_embeddings/);
    expect(importFixture("bigscience--bloom-7b1").guesses.join("\n")).toMatch(/seqLen 2048 assumed/);
  });

  it("reads sliding windows from layer_types and from the family's rule", () => {
    expect(importFixture("openai--gpt-oss-120b").model.slidingWindow).toEqual({
      tokens: 128,
      layers: "alternate",
    });
    expect(importFixture("google--gemma-2-9b").model.slidingWindow).toEqual({
      tokens: 4096,
      layers: "alternate",
    });
    expect(importFixture("mistralai--Mistral-7B-v0.1").model.slidingWindow).toEqual({
      tokens: 4096,
      layers: "all",
    });
    // Qwen2's sliding_window is inert while use_sliding_window is false.
    expect(importFixture("Qwen--Qwen2-7B").model.slidingWindow ?? null).toBeNull();
  });

  it("refuses an unknown architecture naming every missing field", () => {
    const attempt = () =>
      modelFromHuggingFace({ model_type: "mamba", hidden_size: 2048, vocab_size: 50280 }, "mamba.json");
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(
      /mamba\.json: got "mamba".*lacks num_hidden_layers \(or n_layer.*\), num_attention_heads \(or n_head, n_heads\), intermediate_size/,
    );
  });

  it("reads an unknown family with the common fields, saying it guessed", () => {
    const { model, guesses } = modelFromHuggingFace(
      {
        model_type: "newarch",
        num_hidden_layers: 2,
        hidden_size: 64,
        num_attention_heads: 4,
        intermediate_size: 128,
        vocab_size: 100,
        max_position_embeddings: 512,
        hidden_act: "silu",
      },
      "new.json",
    );
    expect(model).toMatchObject({ layers: 2, hidden: 64, gatedMlp: true, tiedEmbeddings: true, seqLen: 512 });
    expect(guesses.join("\n")).toMatch(/model_type newarch is not a family trainplan knows/);
    expect(guesses.join("\n")).toMatch(/gated MLP \(gate, up, down\) assumed from activation silu/);
  });

  it("refuses what trainplan's model would have to reinterpret", () => {
    const sparse = { ...fixture("Qwen--Qwen3-30B-A3B"), decoder_sparse_step: 2 };
    expect(() => modelFromHuggingFace(sparse, "q.json")).toThrow(/q\.json: decoder_sparse_step: got 2/);
    const middle = { ...fixture("Qwen--Qwen3-30B-A3B"), mlp_only_layers: [3, 7] };
    expect(() => modelFromHuggingFace(middle, "q.json")).toThrow(/mlp_only_layers/);
    const badHeads = { ...fixture("meta-llama--Meta-Llama-3-8B"), num_key_value_heads: 5 };
    expect(() => modelFromHuggingFace(badHeads, "l.json")).toThrow(/kvHeads/);
    const fractional = { ...fixture("meta-llama--Meta-Llama-3-8B"), num_hidden_layers: 31.5 };
    expect(() => modelFromHuggingFace(fractional, "l.json")).toThrow(/num_hidden_layers: got 31.5/);
  });

  it("tells a Hugging Face config from trainplan's own model", () => {
    for (const f of fixtureNames)
      expect(isHuggingFaceConfig(fixture(f.replace(/\.json$/, ""))), f).toBe(true);
    expect(isHuggingFaceConfig(findModelPreset("llama3-8b")!.model)).toBe(false);
    expect(isHuggingFaceConfig("llama3-8b")).toBe(false);
  });
});
