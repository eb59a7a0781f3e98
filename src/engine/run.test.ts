import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { shippedProfiles } from "../hardware/profiles.js";
import type { Chip } from "../hardware/schema.js";
import { findModelPreset } from "../workload/presets.js";
import { prepareRun } from "./run.js";
import { model } from "./testRun.js";

const chip = (id: string) => findChip(id) as Chip;

describe("prepareRun", () => {
  it("states how the profile was obtained when it is not the chip's own fit", () => {
    expect(prepareRun({ model, chip: chip("h100-sxm") }).profileBasis).toBe("fitted");
    const trn2 = prepareRun({ model, chip: chip("trn2") });
    expect(trn2.profileBasis).toBe("prior");
    expect(trn2.assumptions.join(" ")).toMatch(/performance profile basis: prior/);
    const tpu = prepareRun({ model, chip: chip("tpu-v5p") });
    expect(tpu.profileBasis).toBe("default");
    expect(tpu.assumptions.join(" ")).toMatch(/not a validated prediction/);
    expect(prepareRun({ model, chip: chip("h200-sxm") }).profileBasis).toBe("borrowed");
  });

  it("states the logical-core default of a NeuronCore-unit run, and LNC=1 when eight cores are given", () => {
    const lnc2 = prepareRun({ model, chip: chip("trn2"), unit: "neuroncore" }).assumptions.join(" ");
    expect(lnc2).toMatch(/4 ranks per trn2 chip \(logical NeuronCores: LNC=2 .*Neuron's default\)/);
    const lnc1 = prepareRun({ model, chip: chip("trn2"), unit: "neuroncore", neuronCoresPerChip: 8 });
    expect(lnc1.assumptions.join(" ")).toMatch(/8 ranks per trn2 chip \(physical NeuronCores, LNC=1\)/);
  });

  it("reads a caller's profile file through its schema: an older file's missing fields take their defaults, a bad value is refused", () => {
    // A file written before attentionTilesHalf existed: the field's default (0, no occupancy term) applies.
    const older = structuredClone(shippedProfiles) as unknown as {
      chips: Record<string, Record<string, number>>;
    };
    for (const p of Object.values(older.chips)) delete p.attentionTilesHalf;
    const run = prepareRun({ model, chip: chip("h100-sxm") }, { profiles: older as never });
    expect(run.prep.profile.attentionTilesHalf).toBe(0);
    expect(Number.isFinite(run.prep.memBw)).toBe(true);
    const bad = structuredClone(shippedProfiles);
    bad.chips["h100-sxm"].gemmEfficiency = 5;
    expect(() => prepareRun({ model, chip: chip("h100-sxm") }, { profiles: bad })).toThrow(
      /profiles\.chips\.h100-sxm\.gemmEfficiency: got 5/,
    );
  });

  it("refuses a caller's profile fitted for a retired parameter rather than dropping it unseen", () => {
    const older = structuredClone(shippedProfiles) as unknown as {
      chips: Record<string, Record<string, number>>;
    };
    older.chips["h100-sxm"].dispatchSyncSeconds = 0.0043;
    expect(() => prepareRun({ model, chip: chip("h100-sxm") }, { profiles: older as never })).toThrow(
      /profiles\.chips\.h100-sxm\.dispatchSyncSeconds/,
    );
    const given = { ...shippedProfiles.chips["h100-sxm"], dispatchSyncSeconds: 0.0043 };
    expect(() => prepareRun({ model, chip: chip("h100-sxm") }, { profile: given })).toThrow(
      /profile\.dispatchSyncSeconds/,
    );
  });

  it("times an MoE run padded to capacity with no dispatcher sync, says dropless where no factor is given, and refuses a factor on a dispatcher that cannot pad", () => {
    const moe = findModelPreset("qwen3-30b-a3b")!.model;
    const h100 = chip("h100-sxm");
    const dropless = prepareRun({ model: moe, chip: h100 });
    expect(dropless.prep.dispatcherSyncs).toBe(true);
    expect(dropless.assumptions.join(" ")).toMatch(/expertCapacityFactor: null \(dropless/);
    expect(prepareRun({ model, chip: h100 }).assumptions.join(" ")).not.toMatch(/expertCapacityFactor/);
    const padded = prepareRun({ model: moe, chip: h100, software: { expertCapacityFactor: 1.25 } });
    expect(padded.prep.dispatcherSyncs).toBe(false);
    expect(padded.prep.ops.moe!.expertRowsPerToken).toBeCloseTo(1.25 * moe.moe!.topK, 12);
    expect(() =>
      prepareRun({
        model: moe,
        chip: h100,
        software: { moeDispatcher: "hybridep", expertCapacityFactor: 1 },
      }),
    ).toThrow(
      /software\.expertCapacityFactor: got 1\. Only with moeDispatcher "alltoall".*this run: "hybridep"/,
    );
    expect(() =>
      prepareRun({ model: moe, chip: h100, software: { framework: "torchtitan", expertCapacityFactor: 1 } }),
    ).toThrow(/software\.expertCapacityFactor: got 1\. No capacity factor \(dropless\) on torchtitan/);
    // A dense model has no experts to pad: the knob does not apply, whatever the dispatcher.
    const dense = prepareRun({
      model,
      chip: h100,
      software: { moeDispatcher: "deepep", expertCapacityFactor: 1.5 },
    });
    expect(dense.prep.ops.dense.expertRowsPerToken).toBe(0);
    // null says dropless, as leaving the knob out does.
    const nulled = prepareRun({ model: moe, chip: h100, software: { expertCapacityFactor: null } });
    expect(nulled.prep.dispatcherSyncs).toBe(true);
  });
});
