import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import { ModelSchema } from "../workload/schema.js";
import { simulate } from "./simulate.js";

describe("MTP modules in the micro-batch time", () => {
  it("time the 2h x h projection they are counted for: MFU stays below 100% with many modules on A100", () => {
    // One narrow layer and sixteen MTP modules: the projections are a third of the FLOPs. Before
    // their time was counted, the best plan showed an MFU of 103.6%.
    const model = ModelSchema.parse({
      layers: 1,
      hidden: 8192,
      heads: 64,
      kvHeads: 1,
      vocab: 1000,
      seqLen: 512,
      ffnHidden: 2048,
      mtpLayers: 16,
    });
    const r = searchPlans({ model, chip: findChip("a100")!, chips: 8, globalBatch: 512, top: 3 });
    expect(r.plans.length).toBeGreaterThan(0);
    for (const p of r.plans) expect(p.throughput.mfu).toBeLessThan(1);
  });

  it("time them as the kind of block their FLOPs count: dense when every layer of a MoE model is dense", () => {
    // Found by the property suite: 1 layer, denseLayers 1, so no MoE layer; FLOPs counted the MTP
    // blocks with the 1M-wide dense MLP, the time with one tiny expert: 129% of the H100's peak here.
    const model = ModelSchema.parse({
      layers: 1,
      hidden: 512,
      heads: 32,
      vocab: 1,
      seqLen: 128,
      ffnHidden: 1 << 20,
      mtpLayers: 3,
      moe: { experts: 1, topK: 1, expertFfnHidden: 1, denseLayers: 1 },
    });
    const h100 = findChip("h100-sxm")!;
    const r = simulate({
      model,
      chip: h100,
      chipCount: 1,
      precision: "bf16",
      parallelism: { tp: 1, pp: 1, recompute: "none" },
      globalBatch: 64,
      microBatch: 64,
    });
    expect(r.throughput.modelFlopsPerToken * r.throughput.tokensPerSecondPerChip).toBeLessThan(
      h100.peakTflops.bf16 * 1e12,
    );
  });
});

describe("attention occupancy", () => {
  const model = ModelSchema.parse({
    layers: 4,
    hidden: 4096,
    heads: 32,
    vocab: 32000,
    seqLen: 1024,
    ffnHidden: 11008,
  });
  const attentionPerToken = (microBatch: number, tp = 1) => {
    const r = simulate({
      model,
      chip: findChip("h100-sxm")!,
      chipCount: tp,
      precision: "bf16",
      parallelism: { tp, pp: 1, recompute: "none" },
      globalBatch: 64,
      microBatch,
    });
    return r.step.breakdown["compute.attention"] / 64;
  };

  it("charges a short sequence alone more per token than the same sequence in a large micro-batch", () => {
    // One 1,024-token sequence with 32 heads is 256 query tiles: half the waves the kernel needs.
    expect(attentionPerToken(1)).toBeGreaterThan(1.3 * attentionPerToken(64));
  });

  it("counts the tiles of the heads on the rank: tp 2 halves the work and the tiles, so it takes more than half the time", () => {
    // Same tokens per rank; each rank runs 16 of the 32 heads: 128 tiles instead of 256 at mb 1.
    expect(attentionPerToken(1, 2)).toBeGreaterThan(0.6 * attentionPerToken(1, 1));
    // At mb 64 both are past the knee: close to half.
    expect(attentionPerToken(64, 2)).toBeLessThan(0.55 * attentionPerToken(64, 1));
  });
});
