import { describe, expect, it } from "vitest";
import { simulateScenario } from "./simulateScenario.js";

const scenario = (framework: string, recompute: string) => ({
  model: "llama3-8b",
  hardware: { chip: "h100-sxm", count: 8 },
  precision: "bf16",
  parallelism: { tp: 1, pp: 1, cp: 1, recompute },
  globalBatch: 64,
  microBatch: 1,
  software: { framework },
});

describe("a run's selective recomputation on its stack", () => {
  it("is torchtitan's per-operator checkpointing on torchtitan, stated, and Korthikanti's on Megatron-Core", () => {
    const titan = simulateScenario(scenario("torchtitan", "selective")).result;
    expect(titan.parallelism.recompute).toBe("selective-op");
    expect(titan.assumptions.some((a) => a.includes('recompute "selective" read as selective-op'))).toBe(
      true,
    );
    const megatron = simulateScenario(scenario("megatron-core", "selective")).result;
    expect(megatron.parallelism.recompute).toBe("selective");
    expect(megatron.assumptions.some((a) => a.includes("read as"))).toBe(false);
  });

  it("takes every word of the vocabulary as written, and refuses a layer form below its smallest count", () => {
    const r = simulateScenario(scenario("torchtitan", "full-every-4")).result;
    expect(r.parallelism.recompute).toBe("full-every-4");
    expect(() => simulateScenario(scenario("megatron-core", "full-uniform-1"))).toThrow(
      /full-uniform-N \(N >= 2\)/,
    );
  });
});
