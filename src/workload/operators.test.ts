import { describe, expect, it } from "vitest";
import { workloadOperators } from "./operators.js";
import { findModelPreset } from "./presets.js";

describe("workloadOperators with experts padded to a capacity factor", () => {
  const qwen = findModelPreset("qwen3-30b-a3b")!.model;
  const dropless = workloadOperators(qwen).moe!;
  const padded = workloadOperators(qwen, qwen.seqLen, 1.5).moe!;

  it("gives each token top-k x factor expert rows, and keeps its top-k routing", () => {
    expect(dropless.expertRowsPerToken).toBe(qwen.moe!.topK);
    expect(padded.expertRowsPerToken).toBe(1.5 * qwen.moe!.topK);
    expect(padded.topK).toBe(qwen.moe!.topK);
  });

  it("scales the routed experts' stored activations and element-wise traffic by the factor, nothing else", () => {
    const f = qwen.moe!.expertFfnHidden;
    const routedActivations = qwen.moe!.topK * (qwen.hidden + 2 * f + f) * 2; // bytes, gated: up = 2f
    expect(padded.activationTpBytes - dropless.activationTpBytes).toBeCloseTo(0.5 * routedActivations, 6);
    expect(padded.modules.expertActTpBytes).toBeCloseTo(1.5 * dropless.modules.expertActTpBytes, 6);
    expect(padded.elementwiseTpBytes).toBeGreaterThan(dropless.elementwiseTpBytes);
    expect(padded.elementwiseSeqBytes).toBe(dropless.elementwiseSeqBytes);
    expect(padded.paramsExperts).toBe(dropless.paramsExperts);
  });

  it("leaves a dense model's operators as they are", () => {
    const llama = findModelPreset("llama3-8b")!.model;
    expect(workloadOperators(llama, llama.seqLen, 1.5)).toEqual(workloadOperators(llama));
  });
});
