import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { PlanConstraintsSchema } from "./constraints.js";
import { FRAMEWORKS } from "./software.js";
import { intersectConstraints, STACK_CAPABILITIES, stackConstraints, stackFor } from "./stackCapabilities.js";

describe("stack capabilities", () => {
  it("are plan constraints in the one vocabulary, each catalogued stack with its release and sources", () => {
    for (const f of FRAMEWORKS) {
      const c = STACK_CAPABILITIES[f];
      expect(c.framework).toBe(f);
      expect(PlanConstraintsSchema.safeParse(c.constraints).success).toBe(true);
      if (f !== "jax-xla") {
        expect(c.version).toMatch(/\d/);
        expect(c.sources.length).toBeGreaterThan(0);
      }
    }
  });

  it("say what the Neuron stacks cannot run: no fp8 or FSDP in NxD Training, no pipeline in TorchNeuron", () => {
    expect(stackConstraints("neuronx-distributed")).toMatchObject({
      zero: ["zero0", "zero1"],
      precision: ["bf16"],
    });
    expect(stackConstraints("torchneuron")).toMatchObject({ pp: 1, cp: 1, ep: 1 });
  });

  it("default to NeuronX Distributed on Trainium only, and to the named stack anywhere", () => {
    expect(stackFor(findChip("trn2")!, undefined)).toMatchObject({ defaulted: true });
    expect(stackFor(findChip("trn2")!, undefined)?.capabilities.framework).toBe("neuronx-distributed");
    expect(stackFor(findChip("h100-sxm")!, undefined)).toBeNull();
    expect(stackFor(findChip("h100-sxm")!, "torchtitan")?.defaulted).toBe(false);
  });
});

describe("intersectConstraints", () => {
  it("keeps what both allow, dimension by dimension", () => {
    const both = intersectConstraints(
      { tp: { min: 2, max: 16 }, pp: [1, 2, 4], zero: ["zero1", "zero3"], recompute: ["none"] },
      { tp: [1, 4, 8, 32], pp: { min: 2, max: 8 }, zero: ["zero0", "zero1"], cp: 1 },
    );
    expect(both).toEqual({ tp: [4, 8], pp: [2, 4], cp: 1, zero: ["zero1"], recompute: ["none"] });
    expect(intersectConstraints({ tp: { min: 1, max: 8 } }, { tp: { min: 4, max: 64 } })).toEqual({
      tp: { min: 4, max: 8 },
    });
  });

  it("leaves an empty list where nothing is allowed by both", () => {
    expect(intersectConstraints({ zero: ["zero3"] }, stackConstraints("neuronx-distributed")).zero).toEqual(
      [],
    );
  });
});
