import { z } from "zod";
import { MAX_CHIPS } from "../plan/limits.js";
import { SourceSchema } from "../workload/schema.js";

/**
 * A hardware figure within physical bounds: a hundred times beyond the catalog's extremes either way,
 * and never so small that a time computed from it overflows (hbmTBps 1e-320 made steps NaN). The
 * bounds hold the catalog and every user override alike (ChipOverridesSchema derives from these).
 */
const figure = (min: number, max: number) => z.number().min(min).max(max);
/** TFLOP/s: the catalog spans 190 to 5,000. */
const tflops = figure(1, 1e6);
/** GB/s of a link: the catalog spans 25 to 1,280. */
const linkGBps = figure(0.1, 1e6);

/**
 * One dimension of a torus: `size` chips joined in a ring, each chip with one link to each of its two
 * neighbours along it, `linkUnidirGBps` per link one way. Dimensions are listed innermost first: chip
 * i sits at coordinate i mod size of the first, and so on (the order Neuron numbers its devices in).
 */
export const TorusDimensionSchema = z.object({
  name: z.string(),
  size: z.number().int().min(2).max(MAX_CHIPS),
  linkUnidirGBps: linkGBps,
});
export type TorusDimension = z.infer<typeof TorusDimensionSchema>;

/**
 * The scale-up fabric's wiring. "switch": NVSwitch, NeuronSwitch: any group of the domain gets the chip's
 * full bandwidth. "mesh": a direct link between every pair (AMD Infinity Fabric): a group of k chips gets
 * its k - 1 links. "torus": point-to-point rings (Trainium1/2 NeuronLink):
 * a group gets the links of the dimensions it spans (src/engine/groupBandwidth.ts); `domainChips` must
 * be the product of the first dimensions (those inside the domain; the rest lie beyond it).
 */
export const ScaleUpTopologySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("switch") }),
  /** Every chip of the domain linked directly to every other (AMD Infinity Fabric among 8 GPUs). */
  z.object({ kind: z.literal("mesh"), linkUnidirGBps: linkGBps }),
  z.object({ kind: z.literal("torus"), dimensions: z.array(TorusDimensionSchema).min(1).max(3) }),
]);
export type ScaleUpTopology = z.infer<typeof ScaleUpTopologySchema>;

/**
 * One accelerator chip. Figures are dense (no 2:4 sparsity), per chip, SI units in the
 * field names. `sources` says where each figure came from (see data/chips.json).
 */
export const ChipSchema = z.object({
  id: z.string(),
  /** Other spellings users and sources use ("H100 SXM5", "trainium2"); matched case-insensitively. */
  aliases: z.array(z.string()).default([]),
  vendor: z.string(),
  name: z.string(),
  /** Year the chip became generally available to train on (used by capacity planning). */
  year: z.number().int(),
  /** Dense peak tensor throughput by matrix precision, TFLOP/s. null = not supported. */
  peakTflops: z.object({
    bf16: tflops,
    fp16: tflops.nullable(),
    fp8: tflops.nullable(),
  }),
  /** The catalog spans 32 to 288 GiB. */
  hbmGiB: figure(0.5, 1e5),
  /** The catalog spans 0.82 to 8 TB/s. */
  hbmTBps: figure(0.01, 1e3),
  /**
   * Trainium: the NeuronCores a parallel rank counts by default, as Neuron's tables count them: logical
   * cores, LNC physical cores each (Trn2 and Trn3 default to LNC=2: 8 physical cores show as 4; Trn1
   * has no LNC and shows its 2 physical cores). null on chips without NeuronCores.
   */
  neuronCoresPerChip: z.number().int().min(1).max(64).nullable().default(null),
  /** Trainium: physical NeuronCores on the chip (8 on Trn2 and Trn3, 2 on Trn1); LNC=1 shows all of them. */
  physicalNeuronCoresPerChip: z.number().int().min(1).max(64).nullable().default(null),
  /** Scale-up fabric (NVLink + NVSwitch, NeuronLink): chips in one domain and per-chip bandwidth. */
  scaleUp: z.object({
    name: z.string(),
    domainChips: z.number().int().min(1).max(MAX_CHIPS),
    /** Per chip, one direction, GB/s (NVIDIA quotes bidirectional totals: halve them). */
    unidirGBps: linkGBps,
    /** How the domain's chips are wired (default a switch: every group gets unidirGBps). */
    topology: ScaleUpTopologySchema.default({ kind: "switch" }),
  }),
  /** Scale-out network per chip (EFA / InfiniBand), one direction, Gbit/s. */
  scaleOut: z.object({
    name: z.string(),
    gbpsPerChip: figure(1, 1e7),
  }),
  /**
   * Coherent link to host memory fast enough to hold activations there (Grace's NVLink-C2C), per chip
   * one direction, GB/s; null where the host sits behind PCIe and published recipes do not offload.
   */
  hostLink: z
    .object({
      name: z.string(),
      unidirGBps: linkGBps,
    })
    .nullable()
    .default(null),
  /** Board power at full load, W; `tdpAssumed` marks a figure that the vendor does not publish. */
  /** The catalog spans 192 to 1,400 W. */
  tdpW: figure(1, 1e5),
  tdpAssumed: z.boolean().default(false),
  /** Fitted profile to borrow when this chip has no validation cases of its own. */
  profileFrom: z.string().nullable().default(null),
  notes: z.string().nullable().default(null),
  sources: z.array(SourceSchema).min(1),
});
export type Chip = z.infer<typeof ChipSchema>;

/** A user's replacement figures for a catalog chip (any subset; nested groups in part). */
export const ChipOverridesSchema = z
  .object({
    peakTflops: ChipSchema.shape.peakTflops.partial(),
    hbmGiB: ChipSchema.shape.hbmGiB,
    hbmTBps: ChipSchema.shape.hbmTBps,
    scaleUp: ChipSchema.shape.scaleUp.partial(),
    scaleOut: ChipSchema.shape.scaleOut.partial(),
    tdpW: ChipSchema.shape.tdpW,
  })
  .partial()
  .strict();
export type ChipOverrides = z.infer<typeof ChipOverridesSchema>;

export const PriceSchema = z.object({
  /** on-demand | capacity-block | savings-plan-1yr | savings-plan-3yr | reserved-1yr | reserved-3yr */
  pricing: z.string(),
  region: z.string(),
  usdPerHour: z.number().positive(),
  /** When the price was in force, in words ("current as of ...", "before June 2025 cut"). */
  period: z.string(),
  current: z.boolean(),
  /**
   * "listed": a price list (AWS or an aggregator of its Price List API) states it; used by default.
   * "quoted": only a third party quotes it (a benchmark write-up); shown with its source beside the
   * listed one, never picked unless the user passes it with --price.
   */
  standing: z.enum(["listed", "quoted"]).default("listed"),
  source: SourceSchema,
});
export type Price = z.infer<typeof PriceSchema>;

/** A rentable unit: a cloud instance (or UltraServer) of `chipsPerInstance` chips. */
export const InstanceSchema = z.object({
  id: z.string(),
  cloud: z.string(),
  chipId: z.string(),
  chipsPerInstance: z.number().int().positive(),
  scaleUpDomainChips: z.number().int().positive(),
  networkGbps: z.number().positive().nullable(),
  vcpus: z.number().int().positive().nullable(),
  hostMemoryGiB: z.number().positive().nullable(),
  prices: z.array(PriceSchema),
  notes: z.string().nullable().default(null),
  sources: z.array(SourceSchema),
});
export type Instance = z.infer<typeof InstanceSchema>;

export const ChipCatalogSchema = z.array(ChipSchema);
export const InstanceCatalogSchema = z.array(InstanceSchema);
