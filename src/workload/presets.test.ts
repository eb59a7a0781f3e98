import { describe, expect, it } from "vitest";
import {
  findModelPreset,
  modelPresetHuggingFaceIds,
  modelPresetIds,
  modelPresets,
  suggestModelPresets,
} from "./presets.js";

const required = [
  "gpt3-175b",
  "llama2-7b",
  "llama2-13b",
  "llama2-70b",
  "llama3-8b",
  "llama3-70b",
  "llama3-405b",
  "mixtral-8x7b",
  "mixtral-8x22b",
  "deepseek-v3",
  "qwen3-30b-a3b",
  "qwen3-235b-a22b",
  "gpt-oss-120b",
];

describe("model presets", () => {
  it("includes every required model, with unique ids", () => {
    const ids = modelPresetIds();
    expect(ids).toEqual(expect.arrayContaining(required));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives every preset a source with title, url and date seen", () => {
    for (const p of modelPresets) {
      expect(p.source.title.length, p.id).toBeGreaterThan(0);
      expect(p.source.url, p.id).toMatch(/^https:\/\//);
      expect(p.source.dateSeen, p.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("finds presets by id, name or alias, ignoring case and punctuation", () => {
    expect(findModelPreset("llama3-70b")?.id).toBe("llama3-70b");
    expect(findModelPreset("Llama 3 70B")?.id).toBe("llama3-70b");
    expect(findModelPreset("llama-3-70b")?.id).toBe("llama3-70b");
    expect(findModelPreset("Llama 3.1 405B")?.id).toBe("llama3-405b");
    expect(findModelPreset("Mixtral 8x7B")?.id).toBe("mixtral-8x7b");
    expect(findModelPreset("deepseek-ai/DeepSeek-V3")?.id).toBe("deepseek-v3");
    expect(findModelPreset("GPT-3 175B")?.id).toBe("gpt3-175b");
  });

  it("finds presets by Hugging Face id, also by the repository name alone", () => {
    expect(findModelPreset("meta-llama/Llama-3.1-405B")?.id).toBe("llama3-405b");
    expect(findModelPreset("meta-llama/Llama-3.1-8B")?.id).toBe("llama3-8b");
    expect(findModelPreset("someone/Mixtral-8x7B-v0.1")?.id).toBe("mixtral-8x7b");
    for (const id of modelPresetHuggingFaceIds()) expect(findModelPreset(id), id).toBeDefined();
  });

  it("suggests Hugging Face ids for a near-miss org/name, preset ids otherwise", () => {
    expect(suggestModelPresets("meta-llama/Llama-3.1-450B")).toContain("meta-llama/Llama-3.1-405B");
    expect(suggestModelPresets("Qwen/Qwen3-30B")[0]).toBe("Qwen/Qwen3-30B-A3B");
    expect(suggestModelPresets("lama3-70b")).toContain("llama3-70b");
  });

  it("returns undefined for unknown or empty names", () => {
    expect(findModelPreset("llama-9-1t")).toBeUndefined();
    expect(findModelPreset(" - ")).toBeUndefined();
  });

  it("carries the architectures of the official configs", () => {
    const oss = findModelPreset("gpt-oss-120b")!.model;
    expect([oss.layers, oss.hidden, oss.heads, oss.kvHeads, oss.headDim, oss.vocab]).toEqual([
      36, 2880, 64, 8, 64, 201088,
    ]);
    expect(oss.moe).toMatchObject({ experts: 128, topK: 4, expertFfnHidden: 2880 });
    expect(oss.notes).toMatch(/sliding-window/);
    const ds = findModelPreset("deepseek-v3")!.model;
    expect(ds.mla?.kvLoraRank).toBe(512);
    expect(ds.moe).toMatchObject({ experts: 256, topK: 8, sharedExperts: 1, denseLayers: 3 });
    expect(ds.mtpLayers).toBe(1);
    expect(findModelPreset("llama3-8b")!.model.seqLen).toBe(8192);
    expect(findModelPreset("llama2-7b")!.model.seqLen).toBe(4096);
    expect(findModelPreset("gpt3-175b")!.model.tiedEmbeddings).toBe(true);
  });
});
