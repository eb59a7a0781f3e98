import { describe, expect, it } from "vitest";
import { candidateChipCounts, countsInRange } from "./chipCounts.js";

describe("candidateChipCounts", () => {
  it("keeps unit x 2^k for power-of-two servers", () => {
    expect(candidateChipCounts("auto", 8)).toEqual([
      8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
    ]);
  });

  it("adds powers of two for a 72-chip rack, so power-of-two batches divide, and stays short", () => {
    const c = candidateChipCounts("auto", 72);
    expect(c).toContain(64);
    expect(c).toContain(72);
    expect(c).toContain(4096);
    expect(c).toContain(36864);
    expect(c.length).toBeLessThanOrEqual(22);
    expect(Math.max(...c)).toBeLessThanOrEqual(65536);
    expect([...c].sort((a, b) => a - b)).toEqual(c);
  });

  it("adds 128 x 2^k for a 144-chip UltraServer", () => {
    const c = candidateChipCounts("auto", 144);
    expect(c.slice(0, 4)).toEqual([128, 144, 256, 288]);
  });

  it("keeps a range's ends and the candidates inside", () => {
    expect(countsInRange(60, 300, 72)).toEqual([60, 64, 72, 128, 144, 256, 288, 300]);
  });
});
