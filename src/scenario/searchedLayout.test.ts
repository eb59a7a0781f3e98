import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import { findModelPreset } from "../workload/presets.js";
import { omittedLayoutFields, searchedLayoutFields } from "./searchedLayout.js";
import { simulateScenario } from "./simulateScenario.js";

// Issue 12: "simulate with an empty parallelism picks a layout that does not fit ... fill unpublished
// fields with a plan that fits (the search can), list every filled field".

describe("layout sizes a scenario leaves out", () => {
  it("are the ones absent or null in its parallelism", () => {
    expect(omittedLayoutFields({ parallelism: { tp: 8, pp: null } })).toEqual([
      "pp",
      "cp",
      "ep",
      "vpp",
      "dp",
    ]);
    expect(omittedLayoutFields({})).toEqual(["tp", "pp", "cp", "ep", "vpp", "dp"]);
  });

  it("are searched only when more than dp is left out, and ep only for a model with experts", () => {
    const given = { parallelism: { tp: 8, pp: 2, cp: 1, vpp: 1 } };
    expect(searchedLayoutFields(given, {})).toEqual([]);
    expect(searchedLayoutFields(given, { moe: {} })).toEqual(["ep", "dp"]);
    expect(searchedLayoutFields({ parallelism: { tp: 8 } }, {})).toEqual(["pp", "cp", "vpp", "dp"]);
  });

  it("come from the fastest plan that fits, stated, instead of tp 1 pp 1 that does not", () => {
    const { result } = simulateScenario({
      model: "llama3-70b",
      hardware: { chip: "h100-sxm", count: 64 },
      globalBatch: 256,
      parallelism: {},
    });
    expect(result.fits).toBe(true);
    const best = searchPlans({
      model: findModelPreset("llama3-70b")!.model,
      chip: findChip("h100-sxm")!,
      chips: 64,
      globalBatch: 256,
      precision: "bf16",
      top: 1,
    }).plans[0];
    expect(result.throughput.tokensPerSecondPerChip).toBeCloseTo(best.throughput.tokensPerSecondPerChip, 6);
    const note = result.assumptions.find((a) => a.includes("the plan search"));
    expect(note).toMatch(
      /^tp \d+, pp \d+, cp \d+, vpp \d+, dp \d+, micro-batch \d+, recompute \S+, zero\d, sequence parallelism o(n|ff): not given/,
    );
  });

  it("keep every size the scenario gives", () => {
    const { result } = simulateScenario({
      model: "llama3-405b",
      hardware: { chip: "h100-sxm", count: 512 },
      globalBatch: 512,
      parallelism: { tp: 8, cp: 1 },
    });
    expect(result.parallelism.tp).toBe(8);
    expect(result.parallelism.cp).toBe(1);
    expect(result.fits).toBe(true);
    expect(result.assumptions.some((a) => /^pp \d+, vpp \d+, dp \d+, micro-batch/.test(a))).toBe(true);
  });

  it("stay at the defaults, said, when no plan fits with the given fields", () => {
    const { result } = simulateScenario({
      model: "llama3-405b",
      hardware: { chip: "h100-sxm", count: 8 },
      globalBatch: 512,
      parallelism: {},
    });
    expect(result.fits).toBe(false);
    expect(result.assumptions).toContain(
      "tp 1, pp 1, cp 1, vpp 1: not given; the defaults, because no plan fits with the given fields fixed",
    );
  });

  it("are refused, naming the given fields, when no layout keeps them (micro-batch 1 was taken instead)", () => {
    const run = { model: "llama3-8b", hardware: { chip: "h100-sxm", count: 8 }, globalBatch: 64 };
    expect(() => simulateScenario({ ...run, microBatch: 128 })).toThrow(
      /^Invalid plan fields: got "microBatch 128"\. Fields that some layout keeps on 8 chips with global batch 64 \(/,
    );
    expect(() => simulateScenario({ ...run, parallelism: { tp: 8, pp: 2 } })).toThrow(
      /^Invalid plan fields: got "tp 8, pp 2"\./,
    );
    // Every size given, the search choosing only the rest within the block: the same refusal, not a
    // note starting "(nothing): not given; the defaults".
    const within = { ...run, parallelism: { tp: 2, pp: 1, cp: 1, vpp: 1 }, constraints: { microBatch: 3 } };
    expect(() => simulateScenario(within)).toThrow(
      /^Invalid plan fields: got "tp 2, pp 1, cp 1, vpp 1, the constraints: block"\./,
    );
  });

  it("name the stack instead where it is what runs no layout with the given fields", () => {
    const run = { model: "llama3-8b", hardware: { chip: "h100-sxm", count: 16 }, globalBatch: 64 };
    expect(() =>
      simulateScenario({
        ...run,
        software: { framework: "torchtitan" },
        parallelism: { tp: 2, zero: "zero1" },
      }),
    ).toThrow(
      /^Invalid software\.framework: got "torchtitan"\. A stack that runs the plan simulated \(torchtitan does not run its zero, zero1\)/,
    );
  });

  it("read recipe names first: Megatron's names count as given", () => {
    const { result } = simulateScenario({
      model: "llama3-70b",
      hardware: { chip: "h100-sxm", count: 64 },
      globalBatch: 128,
      parallelism: {
        tensor_model_parallel_size: 8,
        pipeline_model_parallel_size: 2,
        virtual_pipeline_model_parallel_size: null,
        context_parallel_size: 1,
      },
    });
    expect([result.parallelism.tp, result.parallelism.pp, result.parallelism.vpp]).toEqual([8, 2, 1]);
    expect(result.assumptions.some((a) => a.includes("the plan search"))).toBe(false);
  });

  it("keep a given dp, and are not checked at tp 1 pp 1 before the search", () => {
    const { result } = simulateScenario({
      model: "llama3-70b",
      hardware: { chip: "h100-sxm", count: 64 },
      globalBatch: 256,
      parallelism: { dp: 8 },
    });
    expect(result.parallelism.dp).toBe(8);
    expect(result.fits).toBe(true);
  });

  it("keep to the scenario's constraints, the unpublished fields included", () => {
    const { result } = simulateScenario({
      model: "llama3-8b",
      hardware: { chip: "h100-sxm", count: 8 },
      globalBatch: 64,
      constraints: { recompute: "selective" },
    });
    expect(result.parallelism.recompute).toBe("selective");
  });

  it("keep to the run's stack: torchtitan's plans, and its selective", () => {
    const { result } = simulateScenario({
      model: "llama3-8b",
      hardware: { chip: "h100-sxm", count: 8 },
      globalBatch: 64,
      software: { framework: "torchtitan" },
      parallelism: { tp: 1, recompute: "selective" },
    });
    expect(result.parallelism.recompute).toBe("selective-op");
    expect(result.fits).toBe(true);
  });
});
