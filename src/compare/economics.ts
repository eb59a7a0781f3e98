import { economics as economicsData } from "../cost/assumptions.js";
import { carbon } from "../cost/carbon.js";
import { checkpointBytes } from "../cost/checkpoint.js";
import { energy } from "../cost/energy.js";
import { type GoodputInput, type GoodputResult, goodput } from "../cost/goodput.js";
import { type PriceOverrides, type ResolvedPrice, resolvePrice } from "../cost/pricing.js";
import { timeToTrain } from "../cost/timeToTrain.js";
import type { SimulationResult } from "../engine/simulate.js";
import { InputError } from "../errors.js";
import { instances as catalogInstances } from "../hardware/catalog.js";
import type { Chip, Instance } from "../hardware/schema.js";
import { countParameters } from "../workload/parameters.js";
import type { Model } from "../workload/schema.js";

/** Goodput inputs the user may override (failure rate, restart time, storage, checkpoint mode). */
export type GoodputOverrides = Partial<Omit<GoodputInput, "chips" | "chipId">>;

/** Where a $/chip-hour came from, as a report shows it. */
export type PriceSource =
  | {
      kind: "catalog";
      instance: string;
      pricing: string;
      region: string;
      usdPerInstanceHour: number;
      period: string;
      title: string;
      url: string;
      dateSeen: string;
    }
  | { kind: "override"; note: string }
  | { kind: "missing"; reason: string };

export interface EconomicsInput {
  plan: SimulationResult;
  chip: Chip;
  tokens: number;
  model: Model;
  /** Price list; default the catalog's instances. */
  instances?: readonly Instance[];
  pricing?: string;
  region?: string;
  priceOverrides?: PriceOverrides;
  goodput?: GoodputOverrides;
  /** Grid intensity, gCO2e/kWh; wins over the region's. */
  gCO2PerKWh?: number;
  /** Power usage effectiveness; default data/economics.json pue. */
  pue?: number;
  /** Chip power in W by catalog chip id; wins over the catalog TDP (for chips whose TDP is assumed). */
  tdpW?: Record<string, number>;
}

export interface RunEconomics {
  days: number;
  chipHours: number;
  costUsd: number | null;
  usdPerChipHour: number | null;
  priceSource: PriceSource;
  usdPerMillionTokens: number | null;
  energyMWh: number;
  tCO2e: number;
  goodput: GoodputResult;
  assumptions: string[];
}

/** Grid used when the user names no region (or one without a stored intensity). */
export const DEFAULT_CARBON_REGION = "us-east-1";

/** The instance a chip is rented in: the largest one in the catalog (training runs on full servers). */
export function trainingInstance(
  chipId: string,
  list: readonly Instance[] = catalogInstances,
): Instance | null {
  const own = list.filter((i) => i.chipId === chipId);
  if (own.length === 0) return null;
  return own.reduce((a, b) => (b.chipsPerInstance > a.chipsPerInstance ? b : a));
}

/**
 * Chips per storage node for checkpoint bandwidth: the instance's chips for a single server (8 or 16);
 * rack-scale systems (NVL72, UltraServers) write through their 4-8-chip trays, so 8 is used.
 */
export function chipsPerNode(instance: Instance | null): number {
  if (instance === null) return 8;
  return instance.chipsPerInstance <= 16 ? instance.chipsPerInstance : 8;
}

/** A resolved price as a report shows its source. */
export function priceSourceOf(price: ResolvedPrice): PriceSource {
  if (price.usdPerChipHour === null) return { kind: "missing", reason: price.reason };
  if (price.from === "override") return { kind: "override", note: price.note };
  const o = price.option;
  return {
    kind: "catalog",
    instance: o.instanceId,
    pricing: o.pricing,
    region: o.region,
    usdPerInstanceHour: o.usdPerInstanceHour,
    period: o.period,
    title: o.source.title,
    url: o.source.url,
    dateSeen: o.source.dateSeen ?? "not recorded",
  };
}

/** Servers with at least this many chips are what large runs rent; smaller instances are a fallback. */
const SERVER_CHIPS = 8;

/**
 * The $/chip-hour: resolvePrice over the multi-chip servers first (a 1-chip trn1.2xlarge at the same
 * $/chip-hour as trn1.32xlarge is not what a 10,000-chip run rents), then over every instance.
 */
export function priceFor(
  chipId: string,
  list: readonly Instance[],
  options: { pricing?: string; region?: string; priceOverrides?: PriceOverrides },
): ResolvedPrice {
  const opts = { pricing: options.pricing, region: options.region, overrides: options.priceOverrides };
  const any = resolvePrice(chipId, list, opts);
  if (any.usdPerChipHour !== null && any.from === "override") return any;
  const servers = list.filter((i) => i.chipsPerInstance >= SERVER_CHIPS);
  const fromServers = resolvePrice(chipId, servers, opts);
  return fromServers.usdPerChipHour !== null ? fromServers : any;
}

/** The chip as energy() sees it, with the user's TDP (then no longer an assumption) when given. */
function powerOf(chip: Chip, tdpW: Record<string, number> | undefined, assumptions: string[]): Chip {
  const user = tdpW?.[chip.id];
  if (user === undefined) return chip;
  assumptions.push(`${chip.id} power ${user} W (user; catalog ${chip.tdpW} W)`);
  return { ...chip, tdpW: user, tdpAssumed: false };
}

function carbonOf(kWh: number, input: EconomicsInput, assumptions: string[]) {
  if (input.gCO2PerKWh !== undefined) return carbon({ kWh, gCO2PerKWh: input.gCO2PerKWh });
  const known = input.region !== undefined && economicsData.gridIntensity[input.region] !== undefined;
  if (!known) {
    assumptions.push(
      `carbon: grid of ${DEFAULT_CARBON_REGION}${input.region ? ` (no stored intensity for ${input.region})` : " (no region given)"}`,
    );
  }
  return carbon({ kWh, region: known && input.region ? input.region : DEFAULT_CARBON_REGION });
}

/** Goodput of the plan's run: its chip count, a checkpoint of 14 bytes per parameter, the instance's node size. */
export function runGoodput(
  input: Pick<EconomicsInput, "plan" | "chip" | "model" | "instances" | "goodput">,
): GoodputResult {
  const instance = trainingInstance(input.chip.id, input.instances ?? catalogInstances);
  return goodput({
    chips: input.plan.chips,
    chipId: input.chip.id,
    checkpointBytes: checkpointBytes(countParameters(input.model).total),
    chipsPerNode: chipsPerNode(instance),
    ...input.goodput,
  });
}

/**
 * Time, cost, energy and carbon of one plan on a token budget (docs/economics.md, docs/compare.md):
 *   days = tokens / (tokens/s per chip × chips × goodput) / 86,400
 *   costUsd = chips × days × 24 × $/chip-hour;  $/M tokens = costUsd / tokens × 10^6
 * Goodput from runGoodput; a run that makes no progress (goodput 0) is an InputError: check runGoodput first.
 */
export function runEconomics(input: EconomicsInput): RunEconomics {
  const { plan, chip } = input;
  const list = input.instances ?? catalogInstances;
  const assumptions: string[] = [];
  const g = runGoodput(input);
  if (g.fraction <= 0) {
    throw new InputError({
      field: "goodput",
      value: 0,
      allowed: `a run that makes progress on ${plan.chips} chips (${g.warnings.join("; ")})`,
    });
  }
  assumptions.push(...g.assumptions);
  const t = timeToTrain({
    tokens: input.tokens,
    tokensPerSecondPerChip: plan.throughput.tokensPerSecondPerChip,
    chips: plan.chips,
    goodput: g.fraction,
  });
  const price = priceFor(chip.id, list, input);
  const usdPerChipHour = price.usdPerChipHour;
  const costUsd = usdPerChipHour === null ? null : plan.chips * t.days * 24 * usdPerChipHour;
  const e = energy({
    chip: powerOf(chip, input.tdpW, assumptions),
    chips: plan.chips,
    hours: t.days * 24,
    mfu: Math.min(1, plan.throughput.mfu),
    pue: input.pue,
  });
  assumptions.push(...e.assumptions);
  const c = carbonOf(e.kWh, input, assumptions);
  assumptions.push(...c.assumptions);
  return {
    days: t.days,
    chipHours: t.chipHours,
    costUsd,
    usdPerChipHour,
    priceSource: priceSourceOf(price),
    usdPerMillionTokens: costUsd === null ? null : (costUsd / input.tokens) * 1e6,
    energyMWh: e.MWh,
    tCO2e: c.tCO2e,
    goodput: g,
    assumptions,
  };
}
