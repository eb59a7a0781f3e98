import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import { ModelSchema } from "../workload/schema.js";

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
});
