import { describe, expect, it } from "vitest";
import { simulate } from "../engine/simulate.js";
import { findChip } from "../hardware/catalog.js";
import { simulateScenario } from "../scenario/simulateScenario.js";
import { pipelineChunksRule } from "../search/layouts.js";
import { ModelSchema } from "../workload/schema.js";
import { pipelineChunksFit } from "./rules.js";

describe("pipeline chunks", () => {
  it("hold a layer each, or one of layers + 2 slots with the embedding and the loss in chunks of their own", () => {
    expect(pipelineChunksFit(126, 16, 7)).toBe(true);
    expect(pipelineChunksFit(126, 16, 8)).toBe(true); // Llama 3 405B: 128 = 126 + 2
    expect(pipelineChunksFit(126, 16, 9)).toBe(false);
    expect(pipelineChunksFit(126, 127, 1)).toBe(false);
  });

  it("are searched and simulated under the same rule (the Llama 3 405B layout, pp 16 x vpp 8)", () => {
    expect(pipelineChunksRule(126, 16, 8)).toBeNull();
    expect(pipelineChunksRule(126, 16, 9)).toBe("more pipeline chunks (pp x vpp) than layers");
    const r = simulateScenario(
      "model: llama3-405b\nhardware: { chip: h100-sxm, count: 16384 }\nglobalBatch: 2048\nmicroBatch: 1\n" +
        "parallelism: { tp: 8, pp: 16, vpp: 8, cp: 1, zero: zero1, recompute: none }\n",
    );
    expect(r.result.parallelism.vpp).toBe(8);
    expect(r.result.step.breakdown.pipelineBubble).toBeGreaterThan(0);
  });

  it("refuse more chunks than that in the library's simulate too, naming the field", () => {
    expect(() =>
      simulateScenario(
        "model: llama3-405b\nhardware: { chip: h100-sxm, count: 16384 }\nglobalBatch: 2048\nmicroBatch: 1\n" +
          "parallelism: { tp: 8, pp: 16, vpp: 9, cp: 1, zero: zero1, recompute: none }\n",
      ),
    ).toThrow(/parallelism.pp: got "pp 16 x vpp 9 = 144". At most 126 chunks in pp x vpp/i);
  });

  it("are checked by the engine's own simulate, not only by the scenario reader", () => {
    const model = ModelSchema.parse({
      layers: 6,
      hidden: 1024,
      heads: 8,
      vocab: 1000,
      seqLen: 512,
      ffnHidden: 4096,
    });
    const run = (vpp: number) =>
      simulate({
        model,
        chip: findChip("h100-sxm")!,
        chipCount: 2,
        precision: "bf16",
        globalBatch: 8,
        microBatch: 1,
        parallelism: { tp: 1, pp: 2, vpp, recompute: "none" },
      });
    expect(run(4).parallelism.vpp).toBe(4); // 8 chunks = 6 layers + embedding + loss
    expect(() => run(5)).toThrow(/parallelism\.pp: got "pp 2 x vpp 5 = 10"\. At most 6 chunks in pp x vpp/);
  });
});
