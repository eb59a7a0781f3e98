import { describe, expect, it } from "vitest";
import { backwardGemmSeconds, type GemmRates, gemmSeconds } from "./gemm.js";

// An H100-like rank: 989 TFLOP/s dense bf16 at 70% efficiency, 1.6 TB/s achieved memory bandwidth.
const PEAK = 989e12;
const EFF = 0.7;
const MEM = 1.6e12;
const FIXED = 8e-6;
const rates = (gradBytes = 4): GemmRates => ({
  peakFlops: PEAK,
  efficiency: EFF,
  fixedSeconds: FIXED,
  bytesPerElement: 2,
  memBytesPerSecond: MEM,
  gradBytes,
});

describe("gemmSeconds", () => {
  it("is compute-bound for a large square multiply: 2·M·N·K at the achieved rate plus the fixed time", () => {
    const t = gemmSeconds(8192, 8192, 8192, rates());
    expect(t).toBeCloseTo((2 * 8192 ** 3) / (PEAK * EFF) + FIXED, 12);
  });

  it("is memory-bound for a thin multiply (few rows against a large weight)", () => {
    const t = gemmSeconds(16, 8192, 8192, rates());
    const bytes = (16 * 8192 + 8192 * 8192) * 2 + 2 * 16 * 8192;
    expect(t).toBeCloseTo(bytes / MEM + FIXED, 12);
  });
});

describe("backwardGemmSeconds", () => {
  it("costs twice the forward when both gradients are compute-bound", () => {
    const fwd = gemmSeconds(16384, 8192, 8192, rates());
    const bwd = backwardGemmSeconds(16384, 8192, 8192, rates(4));
    expect(bwd / fwd).toBeCloseTo(2, 6);
  });

  it("is set by the gradient-buffer traffic when an expert sees few rows, less so in bf16", () => {
    // 8 local experts of 2048 x 1536, 256 rows each: the fp32 accumulation (read + write) dominates.
    const fp32 = backwardGemmSeconds(256, 1536, 2048, rates(4), 8);
    const bf16 = backwardGemmSeconds(256, 1536, 2048, rates(2), 8);
    const compute = (2 * 8 * 256 * 1536 * 2048) / (PEAK * EFF);
    const accumulate = (8 * 2 * 4 * 2048 * 1536) / MEM;
    expect(fp32).toBeGreaterThan(compute + accumulate);
    expect(fp32).toBeGreaterThan(bf16);
    expect(bf16).toBeGreaterThan(2 * compute);
  });
});
