import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import { ringBandwidth } from "./groupBandwidth.js";
import { planRecordOf as plan } from "./planRecord.js";
import { prepare } from "./prepare.js";
import { recordMemory } from "./result.js";
import { OUT_SIZE } from "./slots.js";

const chip = findChip("h100-sxm")!;
const model = findModelPreset("llama3-70b")!.model;
const prep = prepare(workloadOperators(model), rankHardware(chip), profileForChip(chip).profile);

function _memory(zero: number, recompute: number, tp = 8, pp = 4): number {
  const out = new Float64Array(OUT_SIZE);
  return recordMemory(
    prep,
    plan({
      tp,
      pp,
      dp: 8,
      microBatches: 64,
      recompute,
      zero,
      sp: 1,
    }),
    out,
  );
}

describe("ringBandwidth", () => {
  it("gives NVLink inside a node and k NICs for k group members per node across nodes", () => {
    expect(ringBandwidth(prep, 8, 1)).toBe(prep.scaleUpBw);
    // 64 ranks with stride 1: 8 per node, so 8 NICs carry the ring (capped by NVLink).
    expect(ringBandwidth(prep, 64, 1)).toBe(Math.min(prep.scaleUpBw, 8 * prep.scaleOutBw));
    // Stride 8 (tp = 8 inside the node): one member per node, one NIC.
    expect(ringBandwidth(prep, 64, 8)).toBe(prep.scaleOutBw);
  });
});
