import { describe, expect, it } from "vitest";
import { resolveSoftware } from "../plan/softwareDefaults.js";
import { inferStack } from "./softwareStack.js";

const resolved = (title: string) => resolveSoftware(inferStack(title)?.software);

describe("inferStack", () => {
  it("reads Megatron-Bridge and its release from NVIDIA's performance tables, with bf16 gradient reduction", () => {
    const s = inferStack("NVIDIA Megatron-Bridge performance summary, 25.11 NeMo container");
    expect(s?.software).toEqual({ framework: "megatron-bridge", version: "25.11" });
    expect(
      resolved("NVIDIA Megatron-Bridge performance summary, 26.02.01 NeMo container").gradientReduce,
    ).toBe("bf16");
  });

  it("reads FSDP with FlashAttention-2 into llm-foundry's tables and torchtitan into its page", () => {
    const foundry = resolved("MosaicML llm-foundry MPT training benchmarks");
    expect([foundry.framework, foundry.attentionKernel, foundry.gradientReduce]).toEqual([
      "pytorch-fsdp1",
      "flash2",
      "fp32",
    ]);
    expect(resolved("torchtitan performance").attentionKernel).toBe("flash2");
  });

  it("reads 2021 Megatron-LM as unfused attention without sequence parallelism, and 2022 with it", () => {
    const sc21 = resolved(
      "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM (Narayanan et al., SC21)",
    );
    expect([sc21.attentionKernel, sc21.sequenceParallelWithTp]).toEqual(["unfused", false]);
    const korthikanti = resolved(
      "Reducing Activation Recomputation in Large Transformer Models (Korthikanti et al., MLSys 2023)",
    );
    expect([korthikanti.attentionKernel, korthikanti.sequenceParallelWithTp]).toEqual(["unfused", true]);
  });

  it("reads 2021 and early-2022 Megatron-LM as without a distributed optimizer (merged 2022-06), later Megatron with one", () => {
    const sc21 = resolved(
      "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM (Narayanan et al., SC21)",
    );
    expect(sc21.distributedOptimizer).toBe(false);
    expect(sc21.reasons.distributedOptimizer).toContain("2022-06");
    const korthikanti = resolved(
      "Reducing Activation Recomputation in Large Transformer Models (Korthikanti et al., MLSys 2023)",
    );
    expect(korthikanti.distributedOptimizer).toBe(false);
    expect(
      resolveSoftware({ framework: "megatron-lm-legacy", version: "2022-09" }).distributedOptimizer,
    ).toBe(true);
    expect(
      resolved("NVIDIA Megatron-Bridge performance summary, 25.11 NeMo container").distributedOptimizer,
    ).toBe(true);
  });

  it("reads the Megatron-LM README table as Megatron-Core with TP communication overlap, as its configuration states", () => {
    const readme = resolved("Megatron-LM README: Training Speed and Scalability (H100 weak scaling)");
    expect([readme.framework, readme.tpCommOverlap]).toEqual(["megatron-core", true]);
    expect(resolved("torchtitan performance").tpCommOverlap).toBe(false);
  });

  it("reads the Neuron SDK release from AWS Neuron's tables", () => {
    const s = inferStack("AWS Neuron Trn1/Trn1n Training Performance (Neuron SDK 2.16.0)");
    expect(s?.software).toEqual({ framework: "neuronx-distributed", version: "2.16.0" });
  });

  it("infers nothing from an unknown source (the chip's default stack applies)", () => {
    expect(inferStack("trainplan's own measurement on one NVIDIA H200")).toBeNull();
    expect(inferStack(undefined)).toBeNull();
  });
});
