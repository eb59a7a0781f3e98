import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import type { Chip } from "../hardware/schema.js";
import { workloadOperators } from "../workload/operators.js";
import { ringBandwidth } from "./groupBandwidth.js";
import { prepare } from "./prepare.js";
import { model, prep } from "./testRun.js";

function prepared(id: string, unit: "chip" | "neuroncore" = "chip") {
  const chip = findChip(id) as Chip;
  return prepare(workloadOperators(model), rankHardware(chip, unit), profileForChip(chip).profile);
}

/** One-way GB/s per chip of the links a group gets, before bus efficiency. */
function linkGBps(p: ReturnType<typeof prepared>, g: number, stride: number): number {
  return (ringBandwidth(p, g, stride) * p.hw.ranksPerChip) / p.profile.scaleUpBusEfficiency / 1e9;
}

describe("ringBandwidth", () => {
  it("gives NVLink inside a node and k NICs for k group members per node across nodes", () => {
    expect(ringBandwidth(prep, 8, 1)).toBe(prep.scaleUpBw);
    // 64 ranks with stride 1: 8 per node, so 8 NICs carry the ring (capped by NVLink).
    expect(ringBandwidth(prep, 64, 1)).toBe(Math.min(prep.scaleUpBw, 8 * prep.scaleOutBw));
    // Stride 8 (tp = 8 inside the node): one member per node, one NIC.
    expect(ringBandwidth(prep, 64, 8)).toBe(prep.scaleOutBw);
  });

  it("gives a switched fabric's full bandwidth to every group inside the domain (Trn3)", () => {
    const trn3 = prepared("trn3");
    for (const [g, stride] of [
      [2, 1],
      [4, 1],
      [16, 4],
      [64, 1],
    ]) {
      expect(ringBandwidth(trn3, g, stride), `${g}x${stride}`).toBe(trn3.scaleUpBw);
    }
  });
});

describe("ringBandwidth on a Trainium2 torus (4x4 per trn2.48xlarge, 128 GB/s per link each way)", () => {
  const trn2 = prepared("trn2");

  it("gives a 4-chip ring along one dimension both its neighbour links, half the chip's 4", () => {
    expect(linkGBps(trn2, 4, 1)).toBeCloseTo(256, 6);
    expect(linkGBps(trn2, 16, 1)).toBeCloseTo(512, 6);
    expect(linkGBps(trn2, 16, 1)).toBeCloseTo(trn2.hw.scaleUpBytesPerSecond / 1e9, 6);
  });

  it("gives a group down the other dimension (stride 4) the same ring, and a partial one a single link", () => {
    expect(linkGBps(trn2, 4, 4)).toBeCloseTo(256, 6);
    expect(linkGBps(trn2, 2, 1)).toBeCloseTo(128, 6);
    // 4x2: the closed x ring (2 links) plus one y link.
    expect(linkGBps(trn2, 8, 1)).toBeCloseTo(384, 6);
  });

  it("shares the links between interleaved groups (members two chips apart)", () => {
    expect(linkGBps(trn2, 2, 2)).toBeCloseTo(128, 6);
  });

  it("leaves the instance over EFA, one NIC per member, capped by the members' torus links", () => {
    // 32 chips: two instances, 16 members each, so 16 NICs; their torus links (512) cap it.
    const across = ringBandwidth(trn2, 32, 1);
    expect(across).toBe(Math.min(16 * trn2.scaleOutBw, ringBandwidth(trn2, 16, 1)));
    // tp = 4 inside, dp = 8 across (stride 4): 4 members per instance ride one y ring.
    expect(ringBandwidth(trn2, 8, 4)).toBe(Math.min(4 * trn2.scaleOutBw, ringBandwidth(trn2, 4, 4)));
  });

  it("splits a chip's links among its logical NeuronCores (LNC=2: 4 per chip)", () => {
    const cores = prepared("trn2", "neuroncore");
    expect(cores.hw.ranksPerChip).toBe(4);
    // tp = 16 cores = a 4-chip ring: the same 256 GB/s per chip, a quarter per core.
    expect(ringBandwidth(cores, 16, 1)).toBeCloseTo(ringBandwidth(trn2, 4, 1) / 4, 6);
    // A group inside one chip keeps the chip's share.
    expect(ringBandwidth(cores, 4, 1)).toBe(cores.scaleUpBw);
  });
});

describe("ringBandwidth in a Trn2 UltraServer (a 4x4x4 torus, 64 GB/s per link each way between instances)", () => {
  const trn2u = prepared("trn2u");

  it("keeps a group inside the UltraServer on NeuronLink, the rings between instances the slowest", () => {
    expect(linkGBps(trn2u, 4, 16)).toBeCloseTo(128, 6);
    expect(linkGBps(trn2u, 64, 1)).toBeCloseTo(640, 6);
    expect(ringBandwidth(trn2u, 32, 1)).toBeGreaterThan(ringBandwidth(prepared("trn2"), 32, 1));
  });
});

describe("ringBandwidth on AMD Instinct's fully connected Infinity Fabric (7 links of 64 GB/s each way)", () => {
  const mi300x = prepared("mi300x");

  it("gives a group of k GPUs its k - 1 direct links: all 7 for tp = 8, 3 for tp = 4", () => {
    expect(linkGBps(mi300x, 8, 1)).toBeCloseTo(448, 6);
    expect(linkGBps(mi300x, 4, 1)).toBeCloseTo(192, 6);
    expect(linkGBps(mi300x, 2, 4)).toBeCloseTo(64, 6);
  });
});
