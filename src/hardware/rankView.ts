import { InputError } from "../errors.js";
import { DEFAULT_RANK_UNIT, type RankUnit } from "../plan/schema.js";
import type { Chip } from "./schema.js";
import { torusDimensionsInDomain } from "./topology.js";

/**
 * The hardware as one parallel rank sees it. A rank is a chip, except on Trainium tables
 * that count NeuronCores: then a rank is one (logical) core, with its share of the chip's compute,
 * memory and links (NeuronCores on one chip split them evenly; AWS Trainium docs).
 */
export interface RankHardware {
  chipId: string;
  ranksPerChip: number;
  peakFlopsBf16: number;
  peakFlopsFp8: number;
  hbmBytes: number;
  hbmBytesPerSecond: number;
  /** Ranks reachable over the scale-up fabric (NVLink/NeuronLink domain). */
  scaleUpDomainRanks: number;
  /** One-direction bandwidth per rank, bytes/s. */
  scaleUpBytesPerSecond: number;
  scaleOutBytesPerSecond: number;
  /** One-direction bandwidth to host memory for activation offloading, bytes/s; 0 when not offered. */
  hostLinkBytesPerSecond: number;
  /**
   * The torus inside the scale-up domain, innermost dimension first (empty for a switched fabric):
   * chips along each dimension and one link's one-direction bandwidth per rank, bytes/s.
   */
  torusSizes: readonly number[];
  torusLinkBytesPerSecond: readonly number[];
  /** One direct link's one-direction bandwidth per rank on a fully connected mesh, bytes/s; 0 otherwise. */
  meshLinkBytesPerSecond: number;
}

const GIB = 1024 ** 3;

/** NeuronCores per chip for a NeuronCore-unit run; refuses a chip that has none (a GPU). */
function coresPerRankUnit(chip: Chip, coresPerChip: number | null | undefined): number {
  if (chip.neuronCoresPerChip === null) {
    throw new InputError({
      field: "unit",
      value: "neuroncore",
      allowed: `"chip" on ${chip.id}, which has no NeuronCores (the "neuroncore" unit is for AWS Trainium chips)`,
    });
  }
  return coresPerChip ?? chip.neuronCoresPerChip;
}

export function rankHardware(
  chip: Chip,
  unit: RankUnit = DEFAULT_RANK_UNIT,
  coresPerChip?: number | null,
): RankHardware {
  const ranksPerChip = unit === "neuroncore" ? coresPerRankUnit(chip, coresPerChip) : 1;
  const bf16 = chip.peakTflops.bf16 * 1e12;
  // A chip without an fp8 path runs "fp8" plans at its bf16 rate: no speed-up to gain.
  const fp8 = (chip.peakTflops.fp8 ?? chip.peakTflops.bf16) * 1e12;
  const torus = torusDimensionsInDomain(chip);
  return {
    chipId: chip.id,
    ranksPerChip,
    peakFlopsBf16: bf16 / ranksPerChip,
    peakFlopsFp8: fp8 / ranksPerChip,
    hbmBytes: (chip.hbmGiB * GIB) / ranksPerChip,
    hbmBytesPerSecond: (chip.hbmTBps * 1e12) / ranksPerChip,
    scaleUpDomainRanks: chip.scaleUp.domainChips * ranksPerChip,
    scaleUpBytesPerSecond: (chip.scaleUp.unidirGBps * 1e9) / ranksPerChip,
    scaleOutBytesPerSecond: (chip.scaleOut.gbpsPerChip * 1e9) / 8 / ranksPerChip,
    hostLinkBytesPerSecond: chip.hostLink ? (chip.hostLink.unidirGBps * 1e9) / ranksPerChip : 0,
    torusSizes: torus.map((d) => d.size),
    torusLinkBytesPerSecond: torus.map((d) => (d.linkUnidirGBps * 1e9) / ranksPerChip),
    meshLinkBytesPerSecond:
      chip.scaleUp.topology.kind === "mesh" ? (chip.scaleUp.topology.linkUnidirGBps * 1e9) / ranksPerChip : 0,
  };
}
