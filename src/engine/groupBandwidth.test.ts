import { describe, expect, it } from "vitest";
import { ringBandwidth } from "./groupBandwidth.js";
import { prep } from "./testRun.js";

describe("ringBandwidth", () => {
  it("gives NVLink inside a node and k NICs for k group members per node across nodes", () => {
    expect(ringBandwidth(prep, 8, 1)).toBe(prep.scaleUpBw);
    // 64 ranks with stride 1: 8 per node, so 8 NICs carry the ring (capped by NVLink).
    expect(ringBandwidth(prep, 64, 1)).toBe(Math.min(prep.scaleUpBw, 8 * prep.scaleOutBw));
    // Stride 8 (tp = 8 inside the node): one member per node, one NIC.
    expect(ringBandwidth(prep, 64, 8)).toBe(prep.scaleOutBw);
  });
});
