import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { findChip } from "./catalog.js";
import { rankHardware } from "./rankView.js";
import type { Chip } from "./schema.js";

const chip = (id: string) => findChip(id) as Chip;

describe("rankHardware", () => {
  it("gives a logical NeuronCore a quarter of a Trainium2 (LNC=2) and half a Trainium1", () => {
    const trn2 = rankHardware(chip("trn2"), "neuroncore");
    expect(trn2.ranksPerChip).toBe(4);
    expect(trn2.peakFlopsBf16).toBeCloseTo((667e12 / 4) as number, -6);
    expect(trn2.scaleUpDomainRanks).toBe(64);
    expect(rankHardware(chip("trn2"), "neuroncore", 8).ranksPerChip).toBe(8);
    expect(rankHardware(chip("trn1"), "neuroncore").ranksPerChip).toBe(2);
  });

  it("refuses the NeuronCore unit on a GPU with a message naming the unit, never NaN", () => {
    expect(() => rankHardware(chip("h100-sxm"), "neuroncore", 4)).toThrow(InputError);
    expect(() => rankHardware(chip("h100-sxm"), "neuroncore")).toThrow(
      /"chip" on h100-sxm, which has no NeuronCores/,
    );
  });

  it("lists the torus inside the domain per rank, nothing for a switched fabric", () => {
    const trn2 = rankHardware(chip("trn2"), "neuroncore");
    expect(trn2.torusSizes).toEqual([4, 4]);
    expect(trn2.torusLinkBytesPerSecond).toEqual([32e9, 32e9]);
    expect(rankHardware(chip("h100-sxm")).torusSizes).toEqual([]);
  });
});
