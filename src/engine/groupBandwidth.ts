import type { Prepared } from "./prepare.js";

/**
 * Achieved bandwidth per rank of a ring collective over a group of `g` ranks spaced `stride` apart
 * (Megatron rank order: tp innermost, then cp, dp, pp). Inside one scale-up domain it is the
 * NVLink/NeuronLink bandwidth. Across domains NCCL runs one ring per NIC: with k group members per
 * domain, k NICs carry the inter-domain traffic in parallel, so the group sees k x the per-chip
 * scale-out bandwidth, up to the scale-up bandwidth that feeds them (NCCL tests' "bus bandwidth").
 */
export function ringBandwidth(p: Prepared, g: number, stride: number): number {
  const domain = p.hw.scaleUpDomainRanks;
  if (g * stride <= domain) return p.scaleUpBw;
  const perDomain = Math.max(1, Math.min(g, Math.floor(domain / stride)));
  const bw = perDomain * p.scaleOutBw;
  return Math.min(bw, p.scaleUpBw);
}

/** Per-step latency of that ring: the scale-up fabric's inside one domain, the network's across. */
export function ringAlpha(p: Prepared, g: number, stride: number): number {
  return g * stride <= p.hw.scaleUpDomainRanks
    ? p.profile.scaleUpLatencySeconds
    : p.profile.scaleOutLatencySeconds;
}
