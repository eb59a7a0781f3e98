import type { Prepared } from "./prepare.js";

/**
 * Achieved bandwidth per rank of a ring collective over a group of `g` ranks spaced `stride` apart
 * (Megatron rank order: tp innermost, then cp, dp, pp). Inside one scale-up domain it is the
 * NVLink/NeuronLink/Infinity Fabric bandwidth: all of it behind a switch, the group's own k - 1 links on
 * a fully connected mesh, the links of the dimensions the group spans on a torus (torusBandwidth). Across domains NCCL runs one ring per NIC: with k group members per
 * domain, k NICs carry the inter-domain traffic in parallel, so the group sees k x the per-chip
 * scale-out bandwidth, up to the scale-up bandwidth that feeds them (NCCL tests' "bus bandwidth").
 */
export function ringBandwidth(p: Prepared, g: number, stride: number): number {
  const domain = p.hw.scaleUpDomainRanks;
  if (g * stride <= domain) return scaleUpGroupBandwidth(p, g, stride);
  const perDomain = Math.max(1, Math.min(g, Math.floor(domain / stride)));
  const bw = perDomain * p.scaleOutBw;
  return Math.min(bw, scaleUpGroupBandwidth(p, perDomain, stride));
}

/** Per-step latency of that ring: the scale-up fabric's inside one domain, the network's across. */
export function ringAlpha(p: Prepared, g: number, stride: number): number {
  return g * stride <= p.hw.scaleUpDomainRanks
    ? p.profile.scaleUpLatencySeconds
    : p.profile.scaleOutLatencySeconds;
}

function scaleUpGroupBandwidth(p: Prepared, g: number, stride: number): number {
  const hw = p.hw;
  let bw: number;
  if (hw.meshLinkBytesPerSecond > 0) {
    // A fully connected mesh: a member reaches each of the other g - 1 (on other chips) over its own link.
    bw =
      g * stride > hw.ranksPerChip ? (Math.min(g, hw.scaleUpDomainRanks) - 1) * hw.meshLinkBytesPerSecond : 0;
  } else if (hw.torusSizes.length > 0) {
    bw = torusBandwidth(p, g, stride);
  } else {
    return p.scaleUpBw;
  }
  return bw > 0 ? bw * p.profile.scaleUpBusEfficiency : p.scaleUpBw;
}

/**
 * Link bandwidth per rank a group of `g` ranks `stride` apart gets on a torus, before bus efficiency.
 * Chips are numbered innermost dimension first, so the group covers E = g x stride / ranksPerChip
 * consecutive chip positions in steps of stride / ranksPerChip. Along each dimension it spans, its
 * collectives run rings over that dimension's links concurrently (data split across dimensions, as
 * multi-ring and 2D-torus all-reduce do): both neighbour links where it closes the dimension's ring
 * (a 4-chip ring along one dimension of a 4x4 torus: 2 links; all 16 chips: 4 links), one where it
 * covers only part of it (no wraparound). Members k chips apart along a dimension share its links with
 * the k - 1 interleaved groups beside them. A group inside one chip keeps the chip's scale-up share.
 */
function torusBandwidth(p: Prepared, g: number, stride: number): number {
  const hw = p.hw;
  if (g * stride <= hw.ranksPerChip) return 0;
  const chipStep = stride / hw.ranksPerChip;
  const extent = g * chipStep;
  let place = 1;
  let bw = 0;
  for (let d = 0; d < hw.torusSizes.length; d++) {
    const size = hw.torusSizes[d];
    const step = chipStep / place;
    if (step < size) {
      const spacing = Math.max(1, step);
      const covered = Math.min(size, Math.max(1, extent / place)) / spacing;
      if (covered >= 2) {
        const closesRing = covered * spacing >= size && size > 2;
        bw += ((closesRing ? 2 : 1) * hw.torusLinkBytesPerSecond[d]) / spacing;
      }
    }
    place *= size;
  }
  return bw;
}
