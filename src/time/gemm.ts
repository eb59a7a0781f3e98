/** What sets a matrix multiply's time on one rank, fixed for a layer's GEMMs at one precision. */
export interface GemmRates {
  /** Dense peak at the GEMM's precision, FLOP/s. */
  peakFlops: number;
  /** Achievable fraction of that peak (the chip profile's gemmEfficiency). */
  efficiency: number;
  /** Fixed time per kernel: ramp-up and the last partial wave. */
  fixedSeconds: number;
  /** Bytes per input element (2 bf16, 1 fp8). */
  bytesPerElement: number;
  /** Achieved memory bandwidth, bytes/s. */
  memBytesPerSecond: number;
  /** Bytes per element of the gradient buffer the weight gradient accumulates into (4 fp32, 2 bf16). */
  gradBytes: number;
}

/**
 * Time of one matrix multiply y[M,N] = x[M,K]·W[K,N] on one rank (or one grouped call over
 * `groups` experts of M rows each): a roofline (Williams et al. 2009) whose compute roof is the
 * chip's dense peak times an achievable efficiency, plus a fixed time per kernel. On an H200 this
 * law fits 48 GEMM shapes from 2 to 900 GFLOP, expert GEMMs included, to 8% rms
 * (data/measurements/derived.json); per-dimension tile factors fitted worse.
 */
export function gemmSeconds(m: number, n: number, k: number, r: GemmRates, groups = 1): number {
  const compute = (2 * groups * m * n * k) / (r.peakFlops * r.efficiency);
  const memory = (groups * ((m * k + k * n) * r.bytesPerElement + 2 * m * n)) / r.memBytesPerSecond;
  return Math.max(compute, memory) + r.fixedSeconds;
}

/**
 * Backward time of the same multiply: the data gradient dx[M,K] = dy[M,N]·Wᵀ and the weight gradient
 * dW[K,N] = xᵀ·dy, each 2·M·N·K FLOPs (Narayanan et al. 2021, section 3). The weight gradient is
 * accumulated into the data-parallel gradient buffer (Megatron-LM's gradient-accumulation fusion),
 * which it reads and writes once per micro-batch: with few rows (small micro-batches, many small
 * experts) that traffic, not the FLOPs, sets the time.
 */
export function backwardGemmSeconds(m: number, n: number, k: number, r: GemmRates, groups = 1): number {
  const compute = (2 * groups * m * n * k) / (r.peakFlops * r.efficiency);
  const dgradBytes = groups * ((m * n + n * k) * r.bytesPerElement + 2 * m * k);
  const wgradBytes = groups * ((m * k + m * n) * r.bytesPerElement + 2 * r.gradBytes * k * n);
  return (
    Math.max(compute, dgradBytes / r.memBytesPerSecond) +
    Math.max(compute, wgradBytes / r.memBytesPerSecond) +
    2 * r.fixedSeconds
  );
}
