import { describe, expect, it } from "vitest";
import { isInputError } from "../errors.js";
import { parsePlanLabel, planLabel } from "./planLabel.js";

describe("plan label", () => {
  it("names every recomputation of the vocabulary and reads it back", () => {
    const base = {
      tp: 2,
      pp: 4,
      vpp: 1,
      dp: 8,
      cp: 1,
      ep: 1,
      microBatch: 1,
      zero: "zero1" as const,
      sequenceParallel: true,
      precision: "bf16" as const,
    };
    for (const recompute of [
      "selective-op",
      "full-every-2",
      "full-block-3",
      "full-uniform-4",
      "offload",
      "modules-moe_act+layernorm",
    ] as const) {
      const label = planLabel({ ...base, recompute });
      expect(parsePlanLabel(label).parallelism.recompute).toBe(recompute);
    }
    expect(planLabel({ ...base, recompute: "full-block-3" })).toContain(" full-recompute-block-3 ");
    expect(() => parsePlanLabel("tp2 pp4 full-recompute-every-1")).toThrow();
    expect(() => parsePlanLabel("tp2 pp4 modules-recompute-moe")).toThrow();
  });

  it("reads back what planLabel writes", () => {
    const plan = {
      tp: 4,
      pp: 8,
      vpp: 5,
      dp: 2,
      cp: 2,
      ep: 1,
      microBatch: 1,
      recompute: "selective" as const,
      zero: "zero1" as const,
      sequenceParallel: true,
      precision: "fp8" as const,
    };
    const typed = parsePlanLabel(planLabel(plan));
    expect(typed).toEqual({
      parallelism: {
        tp: 4,
        pp: 8,
        vpp: 5,
        dp: 2,
        cp: 2,
        recompute: "selective",
        zero: "zero1",
        sequenceParallel: true,
      },
      microBatch: 1,
      precision: "fp8",
    });
  });

  it("leaves unsaid fields for the engine to fill", () => {
    expect(parsePlanLabel("tp8 pp1")).toEqual({
      parallelism: { tp: 8, pp: 1 },
      microBatch: null,
      precision: null,
    });
  });

  it("refuses unknown words, zero sizes, repeats and a layout without tp and pp, naming the word", () => {
    for (const [text, word] of [
      ["tp8 pp1 fast", '"fast"'],
      ["tp0 pp1", '"tp0"'],
      ["tp8 tp4 pp1", '"tp4"'],
      ["dp8", '"dp8"'],
    ]) {
      try {
        parsePlanLabel(text);
        expect.unreachable(text);
      } catch (e) {
        expect(isInputError(e)).toBe(true);
        expect((e as Error).message).toContain(`Invalid layout: got ${word}`);
      }
    }
  });
});
