import { describe, expect, it } from "vitest";
import { inferAttentionKernel, inferGradientReduce } from "./softwareStack.js";

describe("inferGradientReduce", () => {
  it("reads bf16 gradient reduction into NVIDIA's Megatron-Bridge performance tables", () => {
    const r = inferGradientReduce("NVIDIA Megatron-Bridge performance summary, 25.11 NeMo container");
    expect(r?.reduce).toBe("bf16");
  });

  it("leaves other publications at the fp32 default", () => {
    expect(inferGradientReduce("Megatron-LM README: Training Speed and Scalability")).toBeNull();
    expect(inferGradientReduce("MosaicML llm-foundry MPT training benchmarks")).toBeNull();
    expect(inferGradientReduce(undefined)).toBeNull();
  });
});

describe("inferAttentionKernel", () => {
  it("reads FlashAttention-2 into llm-foundry and early torchtitan tables, nothing into NVIDIA's", () => {
    expect(inferAttentionKernel("MosaicML llm-foundry MPT training benchmarks")?.kernel).toBe("flash2");
    expect(inferAttentionKernel("torchtitan performance")?.kernel).toBe("flash2");
    expect(inferAttentionKernel("NVIDIA Megatron-Bridge performance summary")).toBeNull();
  });

  it("reads the unfused, pre-FlashAttention path into the 2021-2022 Megatron-LM papers", () => {
    const sc21 =
      "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM (Narayanan et al., SC21)";
    expect(inferAttentionKernel(sc21)?.kernel).toBe("unfused");
    const korthikanti =
      "Reducing Activation Recomputation in Large Transformer Models (Korthikanti et al., MLSys 2023)";
    expect(inferAttentionKernel(korthikanti)?.kernel).toBe("unfused");
  });
});
