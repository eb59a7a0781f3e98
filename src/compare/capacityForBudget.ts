import {
  type CapacityChip,
  type CapacityResult,
  type CapacityYear,
  capacityPlan,
  checkDealSize,
  type TokensPerSecondFn,
} from "../cost/capacity.js";
import type { PriceOverrides } from "../cost/pricing.js";
import { InputError } from "../errors.js";
import { chips as catalogChips, instances as catalogInstances } from "../hardware/catalog.js";
import type { ProfileFile } from "../hardware/profile.js";
import type { Chip } from "../hardware/schema.js";
import type { Precision } from "../plan/schema.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import type { Model } from "../workload/schema.js";
import { type CompareRow, compareChips } from "./compareChips.js";
import { type GoodputOverrides, type PriceSource, priceFor, priceSourceOf } from "./economics.js";
import { catalogPriceYear, priceYearOf } from "./priceYear.js";

export interface CapacityRunInput {
  /** Label in reports: the preset id or file name. */
  name: string;
  model: Model;
  tokens: number;
  /** Sequence length and global batch in sequences; default the model's (src/plan/runDefaults.ts). */
  seqLen?: number;
  globalBatch?: number;
}

export interface CapacityForBudgetInput {
  budgetUsd: number;
  years: number;
  /** First year; default the year of the catalog's prices (catalogPriceYear), the same in the CLI and web app. */
  startYear?: number;
  /**
   * The year a user price (`priceOverrides`) is quoted: "now". Default the catalog's price year.
   * Catalog prices fall from the year they were quoted (priceYear.ts).
   */
  userPriceYear?: number;
  /** Default: every catalog chip; those without a price (or a plan for every run) are left out, with the reason. */
  chips?: readonly Chip[];
  priceDeclinePctPerYear?: number;
  ramp?: number[];
  /** The first run is the reference workload that picks the generation each year. At least one. */
  runs: CapacityRunInput[];
  pricing?: string;
  region?: string;
  priceOverrides?: PriceOverrides;
  precision?: Precision | "auto";
  goodput?: GoodputOverrides;
  profiles?: ProfileFile;
  onProgress?: (done: number, total: number) => void;
  search?: (request: PlanSearchRequest) => PlanSearchResult;
}

/** How one run performs on one chip at its reference size. */
export interface ReferenceRun {
  model: string;
  /** The chip count compareChips picks for this run without a deadline. */
  chips: number;
  tokensPerSecondPerChip: number;
  goodput: number;
  /** tokens/s per chip × goodput: what the capacity arithmetic uses. */
  effectiveTokensPerSecondPerChip: number;
  /** The 80% error band of tokens/s per chip for runs of the plan's class; null where none is known. */
  band: { low: number; high: number } | null;
}

export interface CapacityChipInfo {
  chipId: string;
  year: number;
  usdPerChipHour: number;
  /** Year `usdPerChipHour` was quoted; the yearly decline applies from here. */
  priceYear: number;
  priceSource: PriceSource;
  reference: ReferenceRun[];
}

export interface CapacityRunCount {
  model: string;
  tokens: number;
  /** Runs the whole deal covers if spent on this workload alone. */
  count: number;
  /** `count` at the ends of each chip's 80% throughput band; null where a chip bought has no band. */
  countBand: { low: number; high: number } | null;
  wholeRuns: number;
  /** Runs covered by the end of each year, cumulative. */
  cumulativeByYear: { year: number; count: number }[];
  /** First year by whose end one whole run is paid for; null if never. */
  firstCompleteYear: number | null;
}

export interface CapacityForBudgetResult {
  budgetUsd: number;
  startYear: number;
  chipHours: number;
  /** Reference-workload tokens bought. */
  tokens: number;
  years: CapacityYear[];
  runs: CapacityRunCount[];
  chips: CapacityChipInfo[];
  excluded: { chip: string; reason: string }[];
  assumptions: string[];
}

function cumulative(plan: CapacityResult, tps: (chip: string) => number, tokens: number) {
  let sum = 0;
  return plan.years.map((y) => {
    sum += (y.chipHours * 3600 * tps(y.chipId)) / tokens;
    return { year: y.year, count: sum };
  });
}

type Exclusion = CapacityForBudgetResult["excluded"][number];

interface PricedChip {
  chip: Chip;
  usd: number;
  source: PriceSource;
}

/** The chips on offer, each once (`--chip h100,h100` is one chip, not two offers measured twice). */
function uniqueChips(chips: readonly Chip[]): Chip[] {
  return [...new Map(chips.map((c) => [c.id, c])).values()];
}

/** Latest start year accepted: past it the price decline compounds to nothing ($0 per chip-hour). */
const LAST_START_YEAR = 2100;

/**
 * A deal starts in a year some chip on offer is available (catalog year) and not so far ahead that
 * prices have fallen to zero: 1990 offers no chip, 1e9 gave Infinity chip-hours at $0.
 */
function checkStartYear(startYear: number, offered: readonly Chip[]): void {
  const first = offered.reduce((a, c) => (c.year < a.year ? c : a), offered[0]);
  const from = first?.year ?? 1;
  if (Number.isInteger(startYear) && startYear >= from && startYear <= LAST_START_YEAR) return;
  throw new InputError({
    field: "startYear",
    value: startYear,
    allowed: `a whole year from ${from} (the first year a chip on offer is available: ${first?.id ?? "none"}) to ${LAST_START_YEAR}`,
  });
}

/**
 * The chips with a $/chip-hour (catalog or the user's); each one without is excluded with the reason.
 * None priced is refused at once, saying why and how to give a price, before any search runs.
 */
function pricedChips(
  offered: readonly Chip[],
  input: CapacityForBudgetInput,
  excluded: Exclusion[],
): PricedChip[] {
  const priced: PricedChip[] = [];
  for (const chip of offered) {
    const p = priceFor(chip.id, catalogInstances, input);
    if (p.usdPerChipHour === null) excluded.push({ chip: chip.id, reason: p.reason });
    else priced.push({ chip, usd: p.usdPerChipHour, source: priceSourceOf(p) });
  }
  if (priced.length === 0) {
    throw new InputError({
      field: "chips",
      value: offered.map((c) => c.id).join(","),
      allowed: `a chip with a price; ${excluded.map((e) => `${e.chip}: ${e.reason}`).join("; ")}`,
    });
  }
  return priced;
}

/** One run on one chip as compareChips sized it; null when no chip count had a plan. */
function referenceRun(name: string, row: CompareRow): ReferenceRun | null {
  if (row.plan === null || row.goodput === null || row.chips === null) return null;
  const tps = row.plan.throughput.tokensPerSecondPerChip;
  const band = row.plan.band;
  return {
    model: name,
    chips: row.chips,
    tokensPerSecondPerChip: tps,
    goodput: row.goodput,
    effectiveTokensPerSecondPerChip: tps * row.goodput,
    band: band ? { low: band.low, high: band.high } : null,
  };
}

/**
 * Every run measured on every priced chip by compareChips (one comparison per run; progress counts
 * across all of them), as reference runs by chip id, in run order. A chip with no plan for a run is
 * excluded, once, with the first such reason; the first run's comparison assumptions are the deal's.
 */
function measureRuns(
  input: CapacityForBudgetInput,
  priced: PricedChip[],
  excluded: Exclusion[],
  assumptions: string[],
): Map<string, ReferenceRun[]> {
  const reference = new Map<string, ReferenceRun[]>();
  input.runs.forEach((run, r) => {
    const result = compareChips({
      model: run.model,
      tokens: run.tokens,
      seqLen: run.seqLen,
      globalBatch: run.globalBatch,
      chips: priced.map((p) => p.chip),
      precision: input.precision,
      pricing: input.pricing,
      region: input.region,
      priceOverrides: input.priceOverrides,
      goodput: input.goodput,
      profiles: input.profiles,
      search: input.search,
      onProgress: (done, total) => input.onProgress?.(r * total + done, input.runs.length * total),
    });
    if (r === 0) assumptions.push(...result.assumptions);
    for (const row of result.rows) {
      const ref = referenceRun(run.name, row);
      if (ref === null) {
        if (!excluded.some((e) => e.chip === row.chip)) {
          excluded.push({ chip: row.chip, reason: `no plan for ${run.name}: ${row.reason}` });
        }
        continue;
      }
      const list = reference.get(row.chip) ?? [];
      list.push(ref);
      reference.set(row.chip, list);
    }
  });
  return reference;
}

/** The priced chips with a plan for every run; with none, the input error lists every exclusion. */
function usableChips(
  input: CapacityForBudgetInput,
  priced: PricedChip[],
  reference: Map<string, ReferenceRun[]>,
  excluded: Exclusion[],
): PricedChip[] {
  const usable = priced.filter((p) => (reference.get(p.chip.id)?.length ?? 0) === input.runs.length);
  if (usable.length === 0) {
    throw new InputError({
      field: "chips",
      value: uniqueChips(input.chips ?? catalogChips)
        .map((c) => c.id)
        .join(","),
      allowed: `at least one chip with a price and a plan for every run (${excluded.map((e) => `${e.chip}: ${e.reason}`).join("; ")})`,
    });
  }
  return usable;
}

/** A usable chip as the capacity arithmetic sees it: its price, the year it was quoted, its reference throughput. */
function offerOf(p: PricedChip, priceYear: number, tokensPerSecondPerChip: number): CapacityChip {
  return { chipId: p.chip.id, year: p.chip.year, usdPerChipHour: p.usd, priceYear, tokensPerSecondPerChip };
}

/**
 * The runs the deal covers at the ends of the throughput bands: the chip-hours bought stay as they are
 * (the purchase is by price), each year's tokens scale with its chip's band. Null if a chip has none.
 */
function countBandOf(
  plan: CapacityResult,
  run: { model: string; tokens: number },
  refOf: (chip: string, model: string) => ReferenceRun | undefined,
): { low: number; high: number } | null {
  const bought = plan.years.filter((y) => y.chipHours > 0);
  if (bought.some((y) => !refOf(y.chipId, run.model)?.band)) return null;
  const atEnd = (end: "low" | "high") => {
    const tps = (chip: string) => {
      const ref = refOf(chip, run.model)!;
      return ref.effectiveTokensPerSecondPerChip * (ref.band![end] / ref.tokensPerSecondPerChip);
    };
    return cumulative(plan, tps, run.tokens).at(-1)?.count ?? 0;
  };
  return { low: atEnd("low"), high: atEnd("high") };
}

/** The runs the deal covers, with the cumulative count by year and the first year one whole run is paid for. */
function runCountsOf(
  plan: CapacityResult,
  tpsOf: TokensPerSecondFn,
  refOf: (chip: string, model: string) => ReferenceRun | undefined,
): CapacityRunCount[] {
  return plan.runs.map((run) => {
    const byYear = cumulative(plan, (chip) => tpsOf(chip, run.model), run.tokens);
    return {
      model: run.model,
      tokens: run.tokens,
      count: run.count,
      countBand: countBandOf(plan, run, refOf),
      wholeRuns: run.wholeRuns,
      cumulativeByYear: byYear,
      firstCompleteYear: byYear.find((y) => y.count >= 1)?.year ?? null,
    };
  });
}

/**
 * What a multi-year budget buys (src/cost/capacity.ts), with tokens/s per chip from the plan search.
 * Each (chip, run) is measured at the chip count compareChips picks for that run with no deadline
 * (the cheapest size finishing within 120 days), and multiplied by the goodput at that size.
 */
export function capacityForBudget(input: CapacityForBudgetInput): CapacityForBudgetResult {
  if (input.runs.length === 0) {
    throw new InputError({ field: "runs", value: [], allowed: "at least one run MODEL:TOKENS" });
  }
  checkDealSize(input.budgetUsd, input.years);
  const assumptions: string[] = [];
  const offered = uniqueChips(input.chips ?? catalogChips);
  const startYear = input.startYear ?? catalogPriceYear();
  checkStartYear(startYear, offered);
  if (input.startYear === undefined)
    assumptions.push(`start year ${startYear}: the year of the catalog prices`);
  const priceYear = (source: PriceSource) => priceYearOf(source, input.userPriceYear);
  const excluded: Exclusion[] = [];
  const priced = pricedChips(offered, input, excluded);
  const reference = measureRuns(input, priced, excluded, assumptions);
  const usable = usableChips(input, priced, reference, excluded);
  const refOf = (chipId: string, model: string) => reference.get(chipId)?.find((x) => x.model === model);
  const tpsOf = (chipId: string, model: string) => refOf(chipId, model)?.effectiveTokensPerSecondPerChip ?? 0;
  const refName = input.runs[0].name;
  const offer = usable.map((p) => offerOf(p, priceYear(p.source), tpsOf(p.chip.id, refName)));
  const plan = capacityPlan({
    budgetUsd: input.budgetUsd,
    years: input.years,
    startYear,
    chips: offer,
    priceDeclinePctPerYear: input.priceDeclinePctPerYear,
    ramp: input.ramp,
    goodput: 1,
    runs: input.runs.map((r) => ({ model: r.name, tokens: r.tokens })),
    tokensPerSecond: tpsOf,
  });
  assumptions.push(
    `each year buys the generation with the lowest $ per ${refName} token among chips available that year (catalog year)`,
    `prices fall from the year each was quoted: ${[...new Set(offer.map((o) => `${o.chipId} ${o.priceYear}`))].join(", ")}`,
    "tokens/s per chip: the best plan at the chip count compare picks for each run, times the goodput at that count",
    ...plan.assumptions,
  );
  return {
    budgetUsd: plan.budgetUsd,
    startYear,
    chipHours: plan.chipHours,
    tokens: plan.tokens,
    years: plan.years,
    runs: runCountsOf(plan, tpsOf, refOf),
    chips: usable.map((p) => ({
      chipId: p.chip.id,
      year: p.chip.year,
      usdPerChipHour: p.usd,
      priceYear: priceYear(p.source),
      priceSource: p.source,
      reference: reference.get(p.chip.id) ?? [],
    })),
    excluded,
    assumptions: [...new Set(assumptions)],
  };
}
