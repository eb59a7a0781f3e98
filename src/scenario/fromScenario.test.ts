import { describe, expect, it } from "vitest";
import { simulate } from "../engine/simulate.js";
import { scenarioToInput } from "./fromScenario.js";
import { parseScenario } from "./parse.js";

const base = {
  model: "llama3-70b",
  hardware: { chip: "h100-sxm", count: 64 },
  precision: "bf16",
  parallelism: { tp: 8, pp: 1, cp: 1, zero: "zero1", recompute: "full" },
  globalBatch: 64,
  microBatch: 1,
};

describe("scenario hardware overrides", () => {
  it("replaces catalog figures for the run and says so", () => {
    const plain = simulate(scenarioToInput(parseScenario(base)));
    const slowNet = simulate(
      scenarioToInput(
        parseScenario({
          ...base,
          hardware: { ...base.hardware, overrides: { scaleOut: { gbpsPerChip: 25 } } },
        }),
      ),
    );
    // dp 8 across 8 nodes, one rank per node: the data-parallel exchange rides the scale-out network.
    expect(slowNet.step.seconds).toBeGreaterThan(plain.step.seconds);
    expect(slowNet.assumptions.join(" ")).toMatch(/overridden by the scenario.*gbpsPerChip/);
  });

  it("rejects an override field that does not exist", () => {
    expect(() => parseScenario({ ...base, hardware: { ...base.hardware, overrides: { flops: 1 } } })).toThrow(
      /overrides/,
    );
  });
});
