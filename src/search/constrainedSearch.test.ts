import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { findModelPreset } from "../workload/presets.js";
import { searchPlans } from "./searchPlans.js";
import type { PlanSearchResult } from "./types.js";

const h100 = findChip("h100-sxm")!;
const trn2 = findChip("trn2")!;
const llama8 = findModelPreset("llama3-8b")!.model;
const mixtral = findModelPreset("mixtral-8x7b")!.model;
const base = { model: llama8, chip: h100, chips: 64, globalBatch: 256, precision: "auto" as const };

/** Every configuration the search looked at: those that fit plus every rejection. */
function considered(r: PlanSearchResult): number {
  return r.feasible + Object.values(r.rejected).reduce((a, n) => a + (n ?? 0), 0);
}

describe("searchPlans under constraints", () => {
  const free = searchPlans({ ...base, collectAll: true });

  it("keeps every plan to a fixed dimension and counts the plans the constraint removed", () => {
    const r = searchPlans({ ...base, constraints: { tp: 8 }, top: 10, collectAll: true });
    expect(r.plans.length).toBe(10);
    for (const p of r.plans) expect(p.parallelism.tp).toBe(8);
    const tp8 = free.allPlans!.filter((p) => p.parallelism.tp === 8).length;
    expect(r.feasible).toBe(tp8);
    expect(r.rejected["outside the constraint on tp"]).toBeGreaterThan(0);
    // A constraint moves plans between the counts; it never loses or invents one.
    expect(considered(r)).toBe(considered(free));
  });

  it("finds the best of the unconstrained plans that meet the constraints", () => {
    const r = searchPlans({
      ...base,
      constraints: { pp: { min: 1, max: 2 }, recompute: ["none"], zero: ["zero1"] },
    });
    const allowed = free.allPlans!.filter(
      (p) => p.parallelism.pp <= 2 && p.parallelism.recompute === "none" && p.parallelism.zero === "zero1",
    );
    expect(r.plans[0].throughput.tokensPerSecondPerChip).toBeCloseTo(allowed[0].tokensPerSecondPerChip, 6);
    expect(r.plans[0].parallelism).toEqual(allowed[0].parallelism);
    expect(r.rejected["outside the constraint on recompute"]).toBeGreaterThan(0);
    expect(r.rejected["outside the constraint on zero"]).toBeGreaterThan(0);
    expect(considered(r)).toBe(considered(free));
  });

  it("takes lists and micro-batch and precision bounds", () => {
    const r = searchPlans({
      ...base,
      constraints: { tp: [2, 4], microBatch: 1, precision: ["bf16"] },
      top: 20,
    });
    for (const p of r.plans) {
      expect([2, 4]).toContain(p.parallelism.tp);
      expect(p.parallelism.microBatch).toBe(1);
      expect(p.parallelism.precision).toBe("bf16");
    }
    expect(r.rejected["outside the constraint on precision"]).toBeGreaterThan(0);
  });

  it("says the constraints removed every plan when nothing that divides is left", () => {
    const r = searchPlans({ ...base, constraints: { tp: 128 } });
    expect(r.plans).toHaveLength(0);
    expect(r.infeasible?.reason).toBe("constraints");
  });

  it("holds expert parallelism to a fixed size", () => {
    const r = searchPlans({
      model: mixtral,
      chip: h100,
      chips: 64,
      globalBatch: 1024,
      constraints: { ep: 8 },
      top: 5,
    });
    expect(r.plans.length).toBeGreaterThan(0);
    for (const p of r.plans) expect(p.parallelism.ep).toBe(8);
  });
});

describe("searchPlans with a software stack", () => {
  it("keeps to what torchtitan runs: no ZeRO-1, tensor parallelism always with sequence parallelism", () => {
    const r = searchPlans({ ...base, framework: "torchtitan", top: 50, collectAll: true });
    expect(r.stack?.framework).toBe("torchtitan");
    expect(r.stack?.defaulted).toBe(false);
    for (const p of r.allPlans!) {
      expect(p.parallelism.zero).not.toBe("zero1");
      if (p.parallelism.tp > 1) expect(p.parallelism.sequenceParallel).toBe(true);
    }
    expect(r.rejected["not run by the stack (zero)"]).toBeGreaterThan(0);
    expect(r.rejected["not run by the stack (sequenceParallel)"]).toBeGreaterThan(0);
  });

  it("keeps to what the run's release runs: Megatron-LM of 2021 had neither a distributed optimizer nor sequence parallelism", () => {
    const on = (version: string) =>
      searchPlans({
        ...base,
        framework: "megatron-lm-legacy",
        software: { framework: "megatron-lm-legacy", version },
        precision: "bf16",
        top: 50,
        collectAll: true,
      });
    const old = on("2021-04");
    expect(old.allPlans!.length).toBeGreaterThan(0);
    for (const p of old.allPlans!) {
      expect(p.parallelism.zero).toBe("zero0");
      expect(p.parallelism.sequenceParallel).toBe(false);
    }
    expect(old.rejected["not run by the stack (zero)"]).toBeGreaterThan(0);
    // A release after both arrived runs them, and the search uses them.
    const later = on("2022-09");
    expect(later.allPlans!.some((p) => p.parallelism.zero === "zero1")).toBe(true);
    expect(later.allPlans!.some((p) => p.parallelism.sequenceParallel)).toBe(true);
  });

  it("keeps to the pipeline schedule the software block names: 1F1B never interleaves, interleaved always does", () => {
    const on = (pipelineSchedule: "1f1b" | "interleaved") =>
      searchPlans({ ...base, software: { pipelineSchedule }, top: 20, collectAll: true });
    const oneF1B = on("1f1b");
    expect(oneF1B.allPlans!.some((p) => p.parallelism.pp > 1)).toBe(true);
    for (const p of oneF1B.allPlans!) expect(p.parallelism.vpp).toBe(1);
    const interleaved = on("interleaved");
    expect(interleaved.allPlans!.length).toBeGreaterThan(0);
    for (const p of interleaved.allPlans!) {
      expect(p.parallelism.pp).toBeGreaterThan(1);
      expect(p.parallelism.vpp).toBeGreaterThanOrEqual(2);
    }
    expect(interleaved.rejected["not run by the stack (vpp)"]).toBeGreaterThan(0);
  });

  it("tries torchtitan's own recomputations (per operator, every second layer) and never Korthikanti's selective", () => {
    const r = searchPlans({ ...base, framework: "torchtitan", top: 50, collectAll: true });
    const tried = new Set(r.allPlans!.map((p) => p.parallelism.recompute));
    expect(tried.has("selective-op")).toBe(true);
    expect(tried.has("full-every-2")).toBe(true);
    expect(tried.has("selective")).toBe(false);
    expect(r.rejected["not run by the stack (recompute)"]).toBeGreaterThan(0);
  });

  it("reads --recompute selective on torchtitan as its per-operator checkpointing, and says so", () => {
    const r = searchPlans({ ...base, framework: "torchtitan", constraints: { recompute: ["selective"] } });
    expect(r.plans.length).toBeGreaterThan(0);
    for (const p of r.plans) expect(p.parallelism.recompute).toBe("selective-op");
    expect(r.plans[0].assumptions.some((a) => a.includes('"selective" read as selective-op'))).toBe(true);
  });

  it("searches a Megatron block recomputation when it is named, and the stack keeps torchtitan's forms out", () => {
    const named = { recompute: ["full-block-4", "full-every-2"] } as const;
    const r = searchPlans({
      ...base,
      framework: "megatron-core",
      constraints: { recompute: [...named.recompute] },
    });
    expect(r.plans.length).toBeGreaterThan(0);
    for (const p of r.plans) expect(p.parallelism.recompute).toBe("full-block-4");
    expect(r.rejected["not run by the stack (recompute)"]).toBeGreaterThan(0);
  });

  it("searches exactly as before where no stack names a new recomputation", () => {
    const r = searchPlans({ ...base, top: 50, collectAll: true });
    const tried = new Set(r.allPlans!.map((p) => p.parallelism.recompute));
    for (const w of tried) expect(["none", "selective", "full"]).toContain(w);
  });

  it("counts a value both the stack and the user forbid against the stack", () => {
    const stackOnly = searchPlans({ ...base, framework: "torchneuron" });
    const r = searchPlans({ ...base, framework: "torchneuron", constraints: { pp: 2 } });
    // pp 2 is forbidden by both and stays the stack's; pp 1, which the stack runs, is the user's.
    expect(r.rejected["not run by the stack (pp)"]).toBe(stackOnly.rejected["not run by the stack (pp)"]);
    expect(r.rejected["outside the constraint on pp"]).toBeGreaterThan(0);
    expect(considered(r)).toBe(considered(stackOnly));
    expect(r.infeasible?.reason).toBe("constraints");
  });

  it("applies NeuronX Distributed on Trainium when no framework is named, and says it was the default", () => {
    const r = searchPlans({ model: llama8, chip: trn2, chips: 32, globalBatch: 256, top: 20 });
    expect(r.stack?.framework).toBe("neuronx-distributed");
    expect(r.stack?.defaulted).toBe(true);
    for (const p of r.plans) expect(["zero0", "zero1"]).toContain(p.parallelism.zero);
    expect(r.rejected["not run by the stack (zero)"]).toBeGreaterThan(0);
  });

  it("leaves an NVIDIA search unrestricted when no framework is named", () => {
    expect(searchPlans({ ...base, top: 1 }).stack).toBeUndefined();
  });
});

describe("searchPlans collecting every plan", () => {
  it("returns every plan that fits, fastest first, the first being the search's best", () => {
    const r = searchPlans({ ...base, collectAll: true });
    const all = r.allPlans!;
    expect(all.length).toBe(r.feasible);
    for (let i = 1; i < all.length; i++) {
      expect(all[i].tokensPerSecondPerChip).toBeLessThanOrEqual(all[i - 1].tokensPerSecondPerChip);
    }
    expect(all[0].tokensPerSecondPerChip).toBeCloseTo(r.plans[0].throughput.tokensPerSecondPerChip, 6);
    expect(all[0].mfu).toBeCloseTo(r.plans[0].throughput.mfu, 9);
    expect(all[0].memoryPerChipBytes).toBeCloseTo(r.plans[0].memory.perChipBytes, 0);
  });

  it("shards with pipelining under torchtitan (FSDP2 inside each stage), not under Megatron", () => {
    const request = { model: findModelPreset("llama3-70b")!.model, chip: h100, chips: 64, globalBatch: 256 };
    const titan = searchPlans({ ...request, framework: "torchtitan", constraints: { pp: 4 }, top: 50 });
    expect(titan.plans.some((p) => p.parallelism.zero === "zero3" || p.parallelism.zero === "zero2")).toBe(
      true,
    );
    const megatron = searchPlans({ ...request, framework: "megatron-core", constraints: { pp: 4 }, top: 50 });
    for (const p of megatron.plans) expect(["zero0", "zero1"]).toContain(p.parallelism.zero);
  });

  it("times the plans with the stack it keeps to (was: torchtitan's plans timed as Megatron-Core's)", () => {
    const titan = searchPlans({ ...base, precision: "bf16", framework: "torchtitan", top: 1 });
    const assumed = titan.plans[0].assumptions.join("\n");
    expect(assumed).toMatch(/attentionKernel: flash2 \(torchtitan/);
    const same = searchPlans({
      ...base,
      precision: "bf16",
      software: { framework: "torchtitan" },
      framework: "torchtitan",
      top: 1,
    });
    expect(titan.plans[0].throughput.tokensPerSecondPerChip).toBe(
      same.plans[0].throughput.tokensPerSecondPerChip,
    );
  });
});
