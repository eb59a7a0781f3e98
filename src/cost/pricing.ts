import type { Instance, Price } from "../hardware/schema.js";
import { CostInputError, requirePositive, requirePositiveInt, requireRange } from "./errors.js";

/** One way to rent a chip: an instance price divided by its chips. */
export interface PriceOption {
  instanceId: string;
  chipId: string;
  pricing: string;
  region: string;
  usdPerInstanceHour: number;
  chipsPerInstance: number;
  usdPerChipHour: number;
  period: string;
  current: boolean;
  /** "quoted" prices (a third party's figure) are listed beside the listed ones, never picked by default. */
  standing: Price["standing"];
  source: Price["source"];
}

export interface PriceFilter {
  pricing?: string;
  region?: string;
  /** Include prices no longer in force (e.g. before the June 2025 P5 cut). Default false. */
  includeHistorical?: boolean;
  /** Include prices only a third party quotes (standing "quoted"). Default false. */
  includeQuoted?: boolean;
}

/** Every matching catalog price for `chipId`, as $/chip-hour, cheapest first. */
export function priceOptions(
  chipId: string,
  instances: readonly Instance[],
  filter: PriceFilter = {},
): PriceOption[] {
  const options: PriceOption[] = [];
  for (const inst of instances) {
    if (inst.chipId !== chipId) continue;
    for (const p of inst.prices) {
      if (!filter.includeHistorical && !p.current) continue;
      if (!filter.includeQuoted && p.standing === "quoted") continue;
      if (filter.pricing !== undefined && p.pricing !== filter.pricing) continue;
      if (filter.region !== undefined && p.region !== filter.region) continue;
      options.push({
        instanceId: inst.id,
        chipId,
        pricing: p.pricing,
        region: p.region,
        usdPerInstanceHour: p.usdPerHour,
        chipsPerInstance: inst.chipsPerInstance,
        usdPerChipHour: p.usdPerHour / inst.chipsPerInstance,
        period: p.period,
        current: p.current,
        standing: p.standing,
        source: p.source,
      });
    }
  }
  // Stable tie-break so the same catalog always resolves to the same price.
  return options.sort(
    (a, b) =>
      a.usdPerChipHour - b.usdPerChipHour ||
      a.region.localeCompare(b.region) ||
      a.instanceId.localeCompare(b.instanceId),
  );
}

/**
 * A user's price, USD per hour, within what any rental costs: above a millionth of a dollar (smaller
 * ones are no price and lose their digits in the sums) and at most $1M. NaN made a comparison crash.
 */
const USER_PRICE_RANGE = { min: 1e-6, max: 1e6 } as const;

function userPrice(field: string, usd: number): number {
  return requireRange(field, usd, USER_PRICE_RANGE.min, USER_PRICE_RANGE.max);
}

/** User prices from `--price`: per chip-hour by chip id, or per instance-hour by instance id. */
export interface PriceOverrides {
  chips: Record<string, number>;
  instances: Record<string, number>;
}

/**
 * Parse "trn2=2.5,h100-sxm=3.1,instance:p5.48xlarge=55". Chip entries are USD per chip-hour;
 * `instance:` entries are USD per instance-hour and are divided by the instance's chips later.
 */
export function parsePriceOverrides(text: string): PriceOverrides {
  const out: PriceOverrides = { chips: {}, instances: {} };
  const allowed =
    '"chipId=USD per chip-hour" or "instance:instanceId=USD per instance-hour", comma-separated';
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const eq = item.lastIndexOf("=");
    if (eq <= 0) throw new CostInputError("price", item, allowed);
    const key = item.slice(0, eq).trim();
    const valueText = item.slice(eq + 1).trim();
    const value = Number(valueText);
    if (valueText === "" || !Number.isFinite(value) || value <= 0) {
      throw new CostInputError(`price ${key}`, valueText, "a USD amount > 0");
    }
    userPrice(`price ${key}`, value);
    const isInstance = key.startsWith("instance:");
    const id = isInstance ? key.slice("instance:".length).trim() : key;
    if (id === "") throw new CostInputError("price", item, allowed);
    const table = isInstance ? out.instances : out.chips;
    // A repeated key with another price is a typo or a conflict: never keep one silently.
    if (table[id] !== undefined && table[id] !== value) {
      throw new CostInputError("price", item, `one price per ${key}: it is already ${table[id]}`);
    }
    table[id] = value;
  }
  return out;
}

export interface ResolvePriceOptions extends PriceFilter {
  overrides?: PriceOverrides;
}

export type ResolvedPrice =
  | { usdPerChipHour: number; from: "override"; note: string }
  | { usdPerChipHour: number; from: "catalog"; option: PriceOption }
  | { usdPerChipHour: null; reason: string };

/** "p5.48xlarge" matches the catalog id "aws:p5.48xlarge" as well as itself. */
function instanceMatches(catalogId: string, userId: string): boolean {
  return catalogId === userId || catalogId.endsWith(`:${userId}`);
}

/**
 * The $/chip-hour to use for `chipId`: a user override first, then the cheapest current catalog
 * price of the requested pricing (default on-demand) in the requested region (default: cheapest region).
 */
export function resolvePrice(
  chipId: string,
  instances: readonly Instance[],
  options: ResolvePriceOptions = {},
): ResolvedPrice {
  const overrides = options.overrides;
  const chipOverride =
    overrides && Object.hasOwn(overrides.chips, chipId)
      ? userPrice(`priceOverrides.chips.${chipId}`, overrides.chips[chipId])
      : undefined;
  if (chipOverride !== undefined) {
    return { usdPerChipHour: chipOverride, from: "override", note: `--price ${chipId}=${chipOverride}` };
  }
  for (const [userId, usd] of Object.entries(overrides?.instances ?? {})) {
    const inst = instances.find((i) => i.chipId === chipId && instanceMatches(i.id, userId));
    if (inst) {
      userPrice(`priceOverrides.instances.${userId}`, usd);
      return {
        usdPerChipHour: usd / inst.chipsPerInstance,
        from: "override",
        note: `--price instance:${userId}=${usd} / ${inst.chipsPerInstance} chips`,
      };
    }
  }
  const pricing = options.pricing ?? "on-demand";
  const found = priceOptions(chipId, instances, { ...options, pricing });
  if (found.length > 0) return { usdPerChipHour: found[0].usdPerChipHour, from: "catalog", option: found[0] };
  const others = [...new Set(priceOptions(chipId, instances).map((o) => `${o.pricing} ${o.region}`))];
  const where = options.region ? ` in ${options.region}` : "";
  const hint = others.length > 0 ? ` (catalog has: ${others.join(", ")})` : "";
  const what =
    others.length > 0 ? `no ${pricing} price${where} for ${chipId}${hint}` : `no public price for ${chipId}`;
  return { usdPerChipHour: null, reason: `${what}; ${priceHint(chipId)}` };
}

/** How to give a price the catalog lacks, in the words the CLI takes (the web app's price fields say the same). */
export function priceHint(chipId: string): string {
  return `pass --price ${chipId}=<USD per chip-hour>`;
}

/**
 * Every price the catalog holds for a chip, as a fact: "listed" when at least one price list states a
 * current price, "quoted-only" when only third parties quote one, "no-public-price" when nothing does.
 * Historical and quoted prices are included and flagged, so a report can show the disagreement.
 */
export type PriceListing =
  | { chipId: string; status: "listed" | "quoted-only"; options: PriceOption[]; hint: string }
  | { chipId: string; status: "no-public-price"; options: []; hint: string };

export function priceListing(chipId: string, instances: readonly Instance[]): PriceListing {
  const options = priceOptions(chipId, instances, { includeHistorical: true, includeQuoted: true });
  const hint = priceHint(chipId);
  if (options.length === 0) return { chipId, status: "no-public-price", options: [], hint };
  const listed = options.some((o) => o.current && o.standing === "listed");
  return { chipId, status: listed ? "listed" : "quoted-only", options, hint };
}

/** Cost = chips × hours × $/chip-hour. */
export function costUsd(chips: number, hours: number, usdPerChipHour: number): number {
  requirePositiveInt("chips", chips);
  if (!Number.isFinite(hours) || hours < 0) throw new CostInputError("hours", hours, "a finite number >= 0");
  requirePositive("usdPerChipHour", usdPerChipHour);
  return chips * hours * usdPerChipHour;
}
