import type { Chip, TorusDimension } from "./schema.js";

/**
 * The torus dimensions inside the chip's scale-up domain: the first ones whose sizes multiply to
 * `scaleUp.domainChips` (a Trn2 UltraServer's third ring lies beyond a lone trn2.48xlarge's domain).
 * Empty for a switched fabric.
 */
export function torusDimensionsInDomain(chip: Chip): TorusDimension[] {
  const topology = chip.scaleUp.topology;
  if (topology.kind !== "torus") return [];
  const inside: TorusDimension[] = [];
  let chips = 1;
  for (const dimension of topology.dimensions) {
    if (chips * dimension.size > chip.scaleUp.domainChips) break;
    chips *= dimension.size;
    inside.push(dimension);
  }
  return inside;
}

/** Why a chip's torus does not match its domain (null when it does, or the fabric is a switch). */
export function topologyIssue(chip: Chip): string | null {
  if (chip.scaleUp.topology.kind !== "torus") return null;
  const chips = torusDimensionsInDomain(chip).reduce((product, d) => product * d.size, 1);
  if (chips === chip.scaleUp.domainChips) return null;
  const sizes = chip.scaleUp.topology.dimensions.map((d) => d.size);
  return `scaleUp.domainChips ${chip.scaleUp.domainChips} is not a product of the first torus dimensions (${sizes.join(" x ")}); allowed: ${prefixProducts(sizes).join(", ")}`;
}

function prefixProducts(sizes: number[]): number[] {
  const out: number[] = [];
  let product = 1;
  for (const size of sizes) {
    product *= size;
    out.push(product);
  }
  return out;
}
