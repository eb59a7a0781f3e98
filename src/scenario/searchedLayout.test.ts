import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import { findModelPreset } from "../workload/presets.js";
import { omittedLayoutFields } from "./searchedLayout.js";
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
    const note = result.assumptions.find((a) => a.includes("fastest layout"));
    expect(note).toMatch(/^tp \d+, pp \d+, cp \d+, vpp \d+, dp \d+: not given/);
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
    expect(result.assumptions.some((a) => /^pp \d+, vpp \d+, dp \d+: not given/.test(a))).toBe(true);
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
});
