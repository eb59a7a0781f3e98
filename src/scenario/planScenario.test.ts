import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { planScenario } from "./planScenario.js";
import { simulateScenario } from "./simulateScenario.js";

describe("planScenario: a scenario's run searched within its constraints, in one call", () => {
  const text = `
model: llama3-8b
hardware: { chip: h100-sxm, count: 16 }
globalBatch: 64
constraints: { tp: [2, 4], microBatch: 1, recompute: selective, zero: [zero1], framework: megatron-core }
`;

  it("returns only plans inside every constraint, and counts what each removed", () => {
    const { result, scenario } = planScenario(text, { top: 3 });
    expect(scenario.framework).toBe("megatron-core");
    expect(result.constraints).toEqual({
      tp: [2, 4],
      microBatch: 1,
      recompute: ["selective"],
      zero: ["zero1"],
    });
    expect(result.stack?.framework).toBe("megatron-core");
    expect(result.plans.length).toBe(3);
    for (const p of result.plans) {
      expect([2, 4]).toContain(p.parallelism.tp);
      expect(p.parallelism).toMatchObject({ microBatch: 1, recompute: "selective", zero: "zero1" });
    }
    for (const d of ["tp", "microBatch", "recompute", "zero"]) {
      expect(result.rejected[`outside the constraint on ${d}` as never]).toBeGreaterThan(0);
    }
  });

  it("says what it assumed where the scenario is silent", () => {
    const { notes, result } = planScenario({ model: "llama3-8b", hardware: { chip: "h100-sxm", count: 16 } });
    expect(notes.some((n) => n.startsWith("precision bf16"))).toBe(true);
    expect(notes.some((n) => /global batch/i.test(n))).toBe(true);
    expect(result.constraints).toBeUndefined();
  });

  it("refuses a stack in constraints that contradicts software.framework", () => {
    const both = {
      model: "llama3-8b",
      hardware: { chip: "h100-sxm", count: 16 },
      software: { framework: "torchtitan" },
      constraints: { framework: "megatron-core" },
    };
    expect(() => planScenario(both)).toThrow(
      /constraints\.framework: got "megatron-core".*software\.framework names \(torchtitan\)/,
    );
  });

  it("carries the scenario's stack knobs to the search, its top-level shorthands included", () => {
    const run = { model: "llama3-8b", hardware: { chip: "h100-sxm", count: 64 }, globalBatch: 256 };
    const fp32 = planScenario({ ...run, gradientReduce: "fp32" }).result.plans[0];
    const bf16 = planScenario({ ...run, gradientReduce: "bf16" }).result.plans[0];
    expect(bf16.step.seconds).not.toBe(fp32.step.seconds);
    expect(planScenario({ ...run, software: { gradientReduce: "bf16" } }).result.plans[0]).toEqual(bf16);
    expect(() =>
      planScenario({ ...run, gradientReduce: "bf16", software: { gradientReduce: "fp32" } }),
    ).toThrow(/gradientReduce: got "bf16".*software\.gradientReduce \(fp32\)/);
  });

  it("refuses an empty list and an inverted range, naming the field", () => {
    const base = { model: "llama3-8b", hardware: { chip: "h100-sxm", count: 16 } };
    expect(() => planScenario({ ...base, constraints: { recompute: [] } })).toThrow(InputError);
    expect(() => planScenario({ ...base, constraints: { pp: { min: 4, max: 2 } } })).toThrow(
      /constraints\.pp/,
    );
    expect(() => planScenario({ ...base, constraints: { pp: { min: 1, mx: 2 } } })).toThrow(
      /constraints\.pp/,
    );
  });

  it("simulateScenario checks the stack named in constraints against the plan it evaluates", () => {
    const run = {
      model: "llama3-8b",
      hardware: { chip: "h100-sxm", count: 16 },
      globalBatch: 64,
      parallelism: { tp: 2, zero: "zero1" },
    };
    expect(simulateScenario({ ...run, constraints: { framework: "megatron-core" } }).result.fits).toBe(true);
    expect(() => simulateScenario({ ...run, constraints: { framework: "torchtitan" } })).toThrow(
      /constraints\.framework: got "torchtitan".*does not run its zero, zero1/,
    );
  });
});
