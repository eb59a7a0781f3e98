import { describe, expect, it } from "vitest";
import { checkpointBytes, checkpointTime } from "./checkpoint.js";
import { CostInputError } from "./errors.js";
import { dalyInterval, goodput, youngInterval } from "./goodput.js";

describe("checkpoint", () => {
  it("sizes a 405B checkpoint at 14 bytes per parameter", () => {
    expect(checkpointBytes(405e9)).toBe(5.67e12);
    expect(checkpointBytes(1e9, 16)).toBe(16e9);
  });

  it("scales write bandwidth with nodes up to the cap", () => {
    expect(checkpointTime({ checkpointBytes: 1e12, chips: 16 }).aggregateWriteGBps).toBe(10);
    expect(checkpointTime({ checkpointBytes: 1e12, chips: 16_384 }).aggregateWriteGBps).toBe(2000);
    expect(checkpointTime({ checkpointBytes: 1e12, chips: 16 }).blockingSeconds).toBeCloseTo(100, 9);
  });

  it("blocks only for the device-to-host copy when async", () => {
    const t = checkpointTime({ checkpointBytes: 1e12, chips: 100, mode: "async", hostCopyGBpsPerChip: 10 });
    expect(t.blockingSeconds).toBeCloseTo(1, 9);
    expect(t.persistSeconds).toBeGreaterThan(t.blockingSeconds);
  });
});

describe("Young and Daly intervals", () => {
  // Hand computed: δ = 60 s, M = 3.1 h = 11,160 s.
  // Young: sqrt(2·60·11160) = sqrt(1,339,200) = 1157.238 s (19.3 min, reliability.md §9 table).
  // Daly: x = 60/22320 = 0.00268817; 1 + sqrt(x)/3 + x/9 = 1.0175815; 1157.238·1.0175815 − 60 = 1117.58 s.
  it("matches the hand-computed example", () => {
    expect(youngInterval(60, 11_160)).toBeCloseTo(1157.238, 2);
    expect(dalyInterval(60, 11_160)).toBeCloseTo(1117.58, 1);
  });

  it("uses τ = M when δ >= 2M", () => {
    expect(dalyInterval(100, 50)).toBe(50);
  });
});

describe("goodput", () => {
  const base = { checkpointBytes: 5.67e12, restartSeconds: 600 };

  it("derives the Llama 3 MTBF of about 3.09 h at 16,384 GPUs", () => {
    const g = goodput({ ...base, chips: 16_384 });
    expect(g.mtbfHours).toBeCloseTo(3.093, 2);
    expect(g.failuresPerDay).toBeCloseTo(7.76, 1);
  });

  it("keeps Llama 3 405B above 90% effective training time (the paper's figure)", () => {
    const g = goodput({ ...base, chips: 16_384 });
    expect(g.fraction).toBeGreaterThan(0.9);
    expect(g.fraction).toBeLessThan(0.97);
  });

  it("has hours of every 1,000 that add up to 1,000", () => {
    const g = goodput({ ...base, chips: 8192 });
    const h = g.hoursPer1000;
    expect(h.useful + h.checkpointing + h.rework + h.restart).toBeCloseTo(1000, 9);
    expect(h.useful / 1000).toBeCloseTo(g.fraction, 12);
  });

  it("matches the closed form (1 − (R + τ/2 + δ)/M)·τ/(τ + δ) for a fixed interval", () => {
    // λ = 1e-4 per chip-hour, N = 1000 → M = 10 h = 36,000 s. δ = 1e15 B / (125 nodes × 5 GB/s) = 1600 s.
    const g = goodput({
      chips: 1000,
      checkpointBytes: 1e15,
      failuresPerChipHour: 1e-4,
      restartSeconds: 600,
      intervalSeconds: 3600,
    });
    expect(g.checkpointSeconds).toBeCloseTo(1600, 9);
    const expected = (1 - (600 + 1800 + 1600) / 36_000) * (3600 / (3600 + 1600));
    expect(g.fraction).toBeCloseTo(expected, 12);
  });

  it("falls with more chips (lower MTBF, lower goodput)", () => {
    const sizes = [64, 512, 4096, 32_768, 131_072];
    const results = sizes.map((chips) => goodput({ ...base, chips, storageWriteCapGBps: 200 }));
    for (let i = 1; i < results.length; i++) {
      expect(results[i].mtbfHours).toBeLessThan(results[i - 1].mtbfHours);
      expect(results[i].fraction).toBeLessThan(results[i - 1].fraction);
    }
  });

  it("gains from async checkpointing", () => {
    const sync = goodput({ ...base, chips: 16_384, storageWriteCapGBps: 100 });
    const async = goodput({ ...base, chips: 16_384, storageWriteCapGBps: 100, checkpointMode: "async" });
    expect(async.fraction).toBeGreaterThan(sync.fraction);
    expect(async.intervalSeconds).toBeGreaterThanOrEqual(async.persistSeconds);
  });

  it("flags Trainium as using the GPU failure rate", () => {
    const g = goodput({ ...base, chips: 64, chipId: "trn2" });
    expect(g.assumptions.some((a) => a.includes("no published failure rate for trn2"))).toBe(true);
    expect(g.assumptions.some((a) => a.includes("using the GPU rate above"))).toBe(true);
  });

  it("says Trainium uses the user's failure rate when one is given, not the GPU rate", () => {
    const g = goodput({ ...base, chips: 64, chipId: "trn2", failuresPerChipHour: 5e-5 });
    expect(g.assumptions.join("\n")).toContain("trn2: using the rate you gave");
    expect(g.assumptions.join("\n")).not.toContain("GPU rate above");
  });

  it("uses a named failure-rate preset", () => {
    const g = goodput({ ...base, chips: 16_384, failureRate: "meta-rsc1-a100" });
    expect(g.failuresPerChipHour).toBe(3.385e-5);
  });

  it("returns 0 with a warning, not NaN, when failures outpace progress", () => {
    const g = goodput({
      chips: 1_000_000,
      checkpointBytes: 1e15,
      failuresPerChipHour: 1e-3,
      restartSeconds: 3600,
    });
    expect(g.fraction).toBe(0);
    expect(g.warnings.length).toBe(1);
    const h = g.hoursPer1000;
    expect(h.rework + h.restart).toBeCloseTo(1000, 9);
    for (const v of Object.values(h)) expect(Number.isFinite(v)).toBe(true);
  });

  it("rejects zero chips, zero checkpoint and unknown presets with a named field", () => {
    expect(() => goodput({ ...base, chips: 0 })).toThrowError(/chips/);
    expect(() => goodput({ chips: 8, checkpointBytes: 0 })).toThrowError(CostInputError);
    expect(() => goodput({ ...base, chips: 8, failureRate: "nope" })).toThrowError(
      /failureRate.*llama3-h100/,
    );
    expect(() => goodput({ ...base, chips: 8, failuresPerChipHour: Number.NaN })).toThrowError(
      /failuresPerChipHour/,
    );
  });

  it("refuses a failure rate above 1 per chip-hour (10 was accepted silently), as the CLI does", () => {
    expect(() => goodput({ ...base, chips: 8, failuresPerChipHour: 10 })).toThrowError(
      /^Invalid failuresPerChipHour: got 10\. A number from 1e-12 to 1\.$/,
    );
    expect(goodput({ ...base, chips: 8, failuresPerChipHour: 1 }).fraction).toBeGreaterThanOrEqual(0);
  });

  it("takes only own preset names: __proto__ and toString are unknown presets, not crashes", () => {
    for (const name of ["__proto__", "toString", "constructor"]) {
      expect(() => goodput({ ...base, chips: 8, failureRate: name })).toThrowError(CostInputError);
    }
  });
});
