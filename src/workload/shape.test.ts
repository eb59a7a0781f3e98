import { describe, expect, it } from "vitest";
import { ModelSchema } from "./schema.js";
import {
  denseFfn,
  denseLayerCount,
  headDim,
  kvHeads,
  kvWidth,
  moeLayerCount,
  qkHeadDim,
  qWidth,
  vHeadDim,
} from "./shape.js";

const base = { layers: 4, hidden: 512, heads: 8, vocab: 1000, seqLen: 128, ffnHidden: 2048 };

describe("shape helpers", () => {
  it("defaults headDim to hidden / heads and kvHeads to heads", () => {
    const m = ModelSchema.parse(base);
    expect(headDim(m)).toBe(64);
    expect(kvHeads(m)).toBe(8);
    expect(qWidth(m)).toBe(512);
    expect(kvWidth(m)).toBe(512);
  });

  it("uses an explicit headDim and kvHeads (Qwen3-style heads x headDim != hidden)", () => {
    const m = ModelSchema.parse({ ...base, headDim: 128, kvHeads: 2 });
    expect(qWidth(m)).toBe(1024);
    expect(kvWidth(m)).toBe(256);
  });

  it("uses MLA head widths for the dot product and values", () => {
    const m = ModelSchema.parse({
      ...base,
      mla: { qLoraRank: 0, kvLoraRank: 64, qkNopeHeadDim: 32, qkRopeHeadDim: 16, vHeadDim: 40 },
    });
    expect(qkHeadDim(m)).toBe(48);
    expect(vHeadDim(m)).toBe(40);
    expect(qWidth(m)).toBe(8 * 48);
  });

  it("makes the leading denseLayers dense and the rest MoE", () => {
    const m = ModelSchema.parse({
      ...base,
      moe: { experts: 4, topK: 2, expertFfnHidden: 256, denseLayers: 1 },
    });
    expect(denseLayerCount(m)).toBe(1);
    expect(moeLayerCount(m)).toBe(3);
  });

  it("makes every layer MoE when ffnHidden is null", () => {
    const m = ModelSchema.parse({
      ...base,
      ffnHidden: null,
      moe: { experts: 4, topK: 2, expertFfnHidden: 256, denseLayers: 0 },
    });
    expect(denseLayerCount(m)).toBe(0);
    expect(denseFfn(m)).toBe(0);
  });

  it("refuses leading dense layers without a dense MLP width, rather than dropping them", () => {
    const moe = { experts: 4, topK: 2, expertFfnHidden: 256, denseLayers: 2 };
    const r = ModelSchema.safeParse({ ...base, ffnHidden: null, moe });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["ffnHidden"]);
    expect(r.error?.issues[0].message).toMatch(/required with moe.denseLayers 2/);
  });

  it("refuses more routed experts per token than experts, and more dense layers than layers", () => {
    const paths = (moe: object) =>
      ModelSchema.safeParse({ ...base, moe }).error?.issues.map((i) => i.path.join("."));
    expect(paths({ experts: 4, topK: 8, expertFfnHidden: 256 })).toEqual(["moe.topK"]);
    expect(paths({ experts: 4, topK: 2, expertFfnHidden: 256, denseLayers: 99 })).toEqual([
      "moe.denseLayers",
    ]);
  });

  it("treats every layer of a dense model as dense", () => {
    const m = ModelSchema.parse(base);
    expect(moeLayerCount(m)).toBe(0);
  });

  it("names the field when a shape cannot be resolved", () => {
    // The schema refuses a hidden size the heads do not split (was an "unexpected error" in headDim).
    expect(ModelSchema.safeParse({ ...base, heads: 7 }).error?.issues[0].path).toEqual(["hidden"]);
    expect(() => headDim({ ...ModelSchema.parse(base), heads: 7 })).toThrow(/model\.headDim/);
    expect(ModelSchema.safeParse({ ...base, kvHeads: 3 }).error?.issues[0].path).toEqual(["kvHeads"]);
    expect(ModelSchema.safeParse({ ...base, ffnHidden: null }).error?.issues[0].path).toEqual(["ffnHidden"]);
  });
});
