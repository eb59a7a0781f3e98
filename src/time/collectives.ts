/**
 * Alpha-beta cost of collectives on a ring (Thakur, Rabenseifner & Gropp 2005, "Optimization of
 * collective communication operations in MPICH", section 4; Patarasuk & Yuan 2009 for the
 * bandwidth-optimal ring all-reduce). `bytes` is the full buffer size on each rank, `busBytesPerSecond`
 * the achieved one-direction bandwidth per rank. Latency grows with log2(g): NCCL switches to
 * tree/NVLS algorithms when ring latency would dominate, so a pure (g-1)·alpha would overstate it.
 */

/** All-reduce: reduce-scatter then all-gather, each moving (g-1)/g of the buffer. */
export function allReduceSeconds(bytes: number, g: number, busBytesPerSecond: number, alpha: number): number {
  if (g <= 1) return 0;
  return (2 * (g - 1) * bytes) / (g * busBytesPerSecond) + 2 * Math.log2(g) * alpha;
}

/** All-gather or reduce-scatter of a buffer of `bytes` (the gathered size). */
export function allGatherSeconds(bytes: number, g: number, busBytesPerSecond: number, alpha: number): number {
  if (g <= 1) return 0;
  return ((g - 1) * bytes) / (g * busBytesPerSecond) + Math.log2(g) * alpha;
}

/**
 * All-to-all where each rank sends `bytes` in total, spread evenly over the group: the share that
 * stays inside the scale-up domain and the share that leaves it travel concurrently, so the slower
 * path sets the time.
 */
export function allToAllSeconds(
  bytes: number,
  g: number,
  domain: number,
  upBytesPerSecond: number,
  outBytesPerSecond: number,
  alpha: number,
): number {
  if (g <= 1) return 0;
  const local = Math.min(g, domain);
  const sent = (bytes * (g - 1)) / g;
  const offShare = g > local ? (g - local) / (g - 1) : 0;
  const up = (sent * (1 - offShare)) / upBytesPerSecond;
  const out = offShare > 0 ? (sent * offShare) / outBytesPerSecond : 0;
  return Math.max(up, out) + Math.log2(g) * alpha;
}

/** Point-to-point send of `bytes`. */
export function sendSeconds(bytes: number, bytesPerSecond: number, alpha: number): number {
  return bytes / bytesPerSecond + alpha;
}
