/**
 * Time of one matrix multiply y[M,N] = x[M,K]·W[K,N] on one rank (or one grouped call over
 * `groups` experts of M rows each): a roofline (Williams et al. 2009) whose compute roof is the
 * chip's dense peak times an achievable efficiency, plus a fixed time per kernel. On an H200 this
 * law fits 48 GEMM shapes from 2 to 900 GFLOP, expert GEMMs included, to 8% rms
 * (data/measurements/derived.json); per-dimension tile factors fitted worse.
 */
export function gemmSeconds(
  m: number,
  n: number,
  k: number,
  peakFlops: number,
  efficiency: number,
  fixedSeconds: number,
  bytesPerElement: number,
  memBytesPerSecond: number,
  groups = 1,
): number {
  const flops = 2 * groups * m * n * k;
  const compute = flops / (peakFlops * efficiency);
  const memory = (groups * ((m * k + k * n) * bytesPerElement + 2 * m * n)) / memBytesPerSecond;
  return Math.max(compute, memory) + fixedSeconds;
}
