/**
 * Time of one matrix multiply y[M,N] = x[M,K]·W[K,N] on one rank: a roofline (Williams et al.
 * 2009) whose compute roof is the chip's dense peak times an achievable efficiency. The efficiency
 * falls for thin shapes (tile quantisation, too few thread blocks to fill the chip): each dimension d
 * contributes d/(d + halfDim), so a GEMM with all dimensions far above halfDim runs at `efficiency`.
 */
export function gemmSeconds(
  m: number,
  n: number,
  k: number,
  peakFlops: number,
  efficiency: number,
  halfDim: number,
  bytesPerElement: number,
  memBytesPerSecond: number,
): number {
  const flops = 2 * m * n * k;
  const shape = (m / (m + halfDim)) * (n / (n + halfDim)) * (k / (k + halfDim));
  const compute = flops / (peakFlops * efficiency * shape);
  const memory = ((m * k + k * n) * bytesPerElement + 2 * m * n) / memBytesPerSecond;
  return compute > memory ? compute : memory;
}
