import { describe, expect, it } from "vitest";
import { runCaptured } from "../cli/captured.js";
import { InputError } from "../errors.js";
import { simulateScenario } from "./simulateScenario.js";

// Issue 12's leftover: `--fill-unpublished rules` with a constraints: block let the rules choose values
// the constraints exclude (micro-batch 1, ZeRO-1), so simulate refused the file or the layout search
// dropped the user's constraint. The rules now keep to the constraints and say what they took instead.
const run = {
  model: "llama3-8b",
  hardware: { chip: "h100-sxm", count: 8 },
  globalBatch: 64,
  parallelism: { tp: 2, pp: 1, cp: 1, vpp: 1 },
};
const rules = { unpublishedFill: "rules" } as const;

describe("--fill-unpublished rules within a scenario's constraints", () => {
  it("takes the fastest allowed value where a rule's choice is excluded, and says both", () => {
    const { result } = simulateScenario({ ...run, constraints: { zero: 3, microBatch: [2, 4] } }, rules);
    expect(result.parallelism).toMatchObject({ zero: "zero3", microBatch: 2 });
    expect(result.assumptions).toContain(
      "zero zero3: the rules' zero1 is outside constraints.zero (zero3); the fastest value within it that fits, the rest of the plan as the rules fill it (the plan search)",
    );
    expect(
      result.assumptions.some((a) =>
        a.startsWith("microBatch 2: the rules' 1 is outside constraints.microBatch (2,4)"),
      ),
    ).toBe(true);
  });

  it("keeps the rules' choice wherever the constraints allow it", () => {
    const { result } = simulateScenario(
      { ...run, constraints: { sequenceParallel: "off", zero: [0, 1] } },
      rules,
    );
    expect(result.parallelism).toMatchObject({
      sequenceParallel: false,
      zero: "zero1",
      microBatch: 1,
      recompute: "none",
    });
    expect(result.assumptions).toContain("micro-batch = 1 sequence (not published)");
    expect(result.assumptions.filter((a) => a.includes("is outside constraints"))).toEqual([
      "sequenceParallel off: the rules' on is outside constraints.sequenceParallel (off); the fastest value within it that fits, the rest of the plan as the rules fill it (the plan search)",
    ]);
  });

  it("keeps the layout search to the constraints too (it forced micro-batch 1 over them)", () => {
    const { result } = simulateScenario(
      { ...run, parallelism: { tp: 2 }, constraints: { microBatch: 4, pp: 1 } },
      rules,
    );
    expect(result.parallelism).toMatchObject({ tp: 2, pp: 1, microBatch: 4 });
  });

  it("refuses, naming the constraint, when no value it allows divides the batch and fits", () => {
    let error: unknown;
    try {
      simulateScenario({ ...run, constraints: { microBatch: 3 } }, rules);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^Invalid constraints\.microBatch: got "3"\. Constraints some plan keeps \(--fill-unpublished rules chose microBatch 1;/,
    );
  });

  it("trainplan simulate --fill-unpublished rules prints the plan within the constraints, exit 0", async () => {
    const yaml = `model: llama3-8b
hardware: { chip: h100-sxm, count: 8 }
globalBatch: 64
parallelism: { tp: 2, pp: 1, cp: 1, vpp: 1 }
constraints: { zero: zero3 }
`;
    const r = await runCaptured(["simulate", "-", "--fill-unpublished", "rules"], { stdin: yaml });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/plan: tp2 pp1 dp4 mb1 .*zero3/);
    expect(r.stdout).toContain("zero zero3: the rules' zero1 is outside constraints.zero (zero3)");
  });
});
