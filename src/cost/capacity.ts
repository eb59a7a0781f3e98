import { INPUT_LIMITS } from "../plan/inputLimits.js";
import { defaultValue, describeDefault } from "./assumptions.js";
import {
  CostInputError,
  requireNonNegative,
  requirePositive,
  requirePositiveInt,
  requireRange,
} from "./errors.js";

/** A generation on offer: from catalog year `year`, at `usdPerChipHour` in `priceYear`. */
export interface CapacityChip {
  chipId: string;
  /** First year the chip can be rented (catalog `year`). */
  year: number;
  usdPerChipHour: number;
  /**
   * Year the price was quoted (a catalog snapshot's year; "now" for a user price). The price falls by
   * the decline rate each year after it (and is that much higher for years before it).
   */
  priceYear: number;
  /** Tokens/s per chip on the reference workload; picks the best $/token generation each year. */
  tokensPerSecondPerChip: number;
}

/** tokens/s per chip for each (chip, model); from the engine, since this module does not simulate. */
export type TokensPerSecondTable = Record<string, Record<string, number>>;
export type TokensPerSecondFn = (chipId: string, model: string) => number;

export interface CapacityRun {
  model: string;
  tokens: number;
}

export interface CapacityInput {
  budgetUsd: number;
  years: number;
  startYear: number;
  chips: CapacityChip[];
  /** Price decline per year, percent; default data/economics.json priceDeclinePctPerYear. */
  priceDeclinePctPerYear?: number;
  /** Fraction of the budget spent each year; length = years, sums to 1. Default even. */
  ramp?: number[];
  /** Useful fraction of rented chip-hours (goodput); default 1. */
  goodput?: number;
  runs?: CapacityRun[];
  /** Per-(chip, model) tokens/s per chip for `runs`. */
  tokensPerSecond?: TokensPerSecondTable | TokensPerSecondFn;
}

export interface CapacityYear {
  year: number;
  budgetUsd: number;
  chipId: string;
  usdPerChipHour: number;
  chipHours: number;
  /** Chips held all year round: chipHours / 8,760. */
  sustainedChips: number;
  /** Reference-workload tokens bought this year. */
  tokens: number;
  usdPerMillionTokens: number;
}

export interface CapacityResult {
  budgetUsd: number;
  chipHours: number;
  tokens: number;
  years: CapacityYear[];
  /** How many runs of each workload the whole deal covers if spent on that workload alone. */
  runs: { model: string; tokens: number; count: number; wholeRuns: number }[];
  assumptions: string[];
}

const HOURS_PER_YEAR = 8760;

function rampOf(input: CapacityInput, years: number): number[] {
  if (input.ramp === undefined) return Array.from({ length: years }, () => 1 / years);
  const ramp = input.ramp;
  if (ramp.length !== years) throw new CostInputError("ramp", ramp, `${years} fractions, one per year`);
  for (const [i, f] of ramp.entries()) requireNonNegative(`ramp[${i}]`, f);
  const sum = ramp.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new CostInputError("ramp", ramp, "fractions that sum to 1");
  return ramp;
}

function throughputOf(input: CapacityInput, chipId: string, model: string): number {
  const t = input.tokensPerSecond;
  const value = typeof t === "function" ? t(chipId, model) : t?.[chipId]?.[model];
  if (value === undefined || typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new CostInputError(`tokensPerSecond[${chipId}][${model}]`, value, "tokens/s per chip > 0");
  }
  return value;
}

/** The inputs capacityPlan checks and defaults once, before any year is priced. */
interface CapacityTerms {
  budgetUsd: number;
  years: number;
  startYear: number;
  /** Price decline per year, percent. */
  decline: number;
  goodputFraction: number;
  ramp: number[];
}

/**
 * Longest deal, years (the CLI's and the web's --years cap, plan/inputLimits.ts): 1e300 years allocated
 * a table of as many rows.
 */
export const MAX_DEAL_YEARS = INPUT_LIMITS.years.max;
/** Largest budget, USD: $10 trillion, beyond any compute deal (the largest published is $38B). */
export const MAX_BUDGET_USD = INPUT_LIMITS.budgetUsd.max;

/**
 * A deal's size, checked before anything is computed from it: from $1 (a budget of 1e-320 lost its
 * digits when split by year) to MAX_BUDGET_USD, over 1 to MAX_DEAL_YEARS whole years.
 */
export function checkDealSize(budgetUsd: unknown, years: unknown): { budgetUsd: number; years: number } {
  const budget = requireRange("budgetUsd", budgetUsd, 1, MAX_BUDGET_USD);
  const whole = requirePositiveInt("years", years);
  if (whole > MAX_DEAL_YEARS)
    throw new CostInputError("years", years, `a whole number of years from 1 to ${MAX_DEAL_YEARS}`);
  return { budgetUsd: budget, years: whole };
}

function termsOf(input: CapacityInput, assumptions: string[]): CapacityTerms {
  const { budgetUsd, years } = checkDealSize(input.budgetUsd, input.years);
  const startYear = input.startYear;
  if (!Number.isInteger(startYear))
    throw new CostInputError("startYear", startYear, "a whole year, e.g. 2026");
  if (input.chips.length === 0) throw new CostInputError("chips", input.chips, "at least one chip");
  const decline = requireRange(
    "priceDeclinePctPerYear",
    input.priceDeclinePctPerYear ?? defaultValue("priceDeclinePctPerYear"),
    0,
    99,
  );
  if (input.priceDeclinePctPerYear === undefined) assumptions.push(describeDefault("priceDeclinePctPerYear"));
  const goodputFraction = requireRange("goodput", input.goodput ?? 1, 1e-9, 1);
  const ramp = rampOf(input, years);
  input.chips.forEach(requireChip);
  return { budgetUsd, years, startYear, decline, goodputFraction, ramp };
}

function requireChip(c: CapacityChip, i: number): void {
  requirePositive(`chips[${i}].usdPerChipHour`, c.usdPerChipHour);
  requirePositive(`chips[${i}].tokensPerSecondPerChip`, c.tokensPerSecondPerChip);
  if (!Number.isInteger(c.year)) throw new CostInputError(`chips[${i}].year`, c.year, "a whole year");
  if (!Number.isInteger(c.priceYear))
    throw new CostInputError(`chips[${i}].priceYear`, c.priceYear, "a whole year");
}

/**
 * The generation bought in `year`, among chips with year_c ≤ year:
 *   price_c(y) = usdPerChipHour_c × (1 − d/100)^(y − priceYear_c)
 *   (priceYear_c: the year the price was quoted, not the start year: a 2026 price bought in 2030 has fallen 4 years)
 *   chip_y = argmin_c price_c(y) / (3600 × tokensPerSecondPerChip_c)    (best $/token)
 */
function bestChip(chips: CapacityChip[], year: number, decline: number) {
  const available = chips.filter((c) => c.year <= year);
  if (available.length === 0) {
    throw new CostInputError(
      "chips",
      chips.map((c) => `${c.chipId}@${c.year}`),
      `a chip with year <= ${year}`,
    );
  }
  const priced = available.map((c) => {
    const usdPerChipHour = c.usdPerChipHour * (1 - decline / 100) ** (year - c.priceYear);
    return { chip: c, usdPerChipHour, usdPerToken: usdPerChipHour / (3600 * c.tokensPerSecondPerChip) };
  });
  // Cheapest per token; ties go to the newer generation, then by id, so the result is deterministic.
  priced.sort(
    (a, b) =>
      a.usdPerToken - b.usdPerToken ||
      b.chip.year - a.chip.year ||
      a.chip.chipId.localeCompare(b.chip.chipId),
  );
  return priced[0];
}

/**
 * Year i (y = startYear + i):
 *   budget_y = budgetUsd × ramp[i]
 *   chipHours_y = budget_y / price_chip_y(y);  sustainedChips_y = chipHours_y / 8760
 *   tokens_y = chipHours_y × 3600 × tokensPerSecondPerChip × goodput
 */
function yearOf(input: CapacityInput, terms: CapacityTerms, i: number): CapacityYear {
  const year = terms.startYear + i;
  const best = bestChip(input.chips, year, terms.decline);
  const yearBudget = terms.budgetUsd * terms.ramp[i];
  const chipHours = yearBudget / best.usdPerChipHour;
  const tokens = chipHours * 3600 * best.chip.tokensPerSecondPerChip * terms.goodputFraction;
  return {
    year,
    budgetUsd: yearBudget,
    chipId: best.chip.chipId,
    usdPerChipHour: best.usdPerChipHour,
    chipHours,
    sustainedChips: chipHours / HOURS_PER_YEAR,
    tokens,
    usdPerMillionTokens: (best.usdPerToken * 1e6) / terms.goodputFraction,
  };
}

/** count_run = Σ_y chipHours_y × 3600 × tps(chip_y, model) × goodput / tokens_run */
function runCounts(
  input: CapacityInput,
  rows: CapacityYear[],
  goodputFraction: number,
): CapacityResult["runs"] {
  return (input.runs ?? []).map((run, r) => {
    requirePositive(`runs[${r}].tokens`, run.tokens);
    const total = rows.reduce(
      (sum, y) => sum + y.chipHours * 3600 * throughputOf(input, y.chipId, run.model) * goodputFraction,
      0,
    );
    const count = total / run.tokens;
    return { model: run.model, tokens: run.tokens, count, wholeRuns: Math.floor(count) };
  });
}

/**
 * What a multi-year budget buys: each year spends its share of the budget (the ramp) on the generation
 * with the lowest $ per reference token that year (bestChip), as chip-hours and tokens (yearOf); the
 * runs each workload could fill follow from those chip-hours (runCounts).
 */
export function capacityPlan(input: CapacityInput): CapacityResult {
  const assumptions: string[] = [];
  const terms = termsOf(input, assumptions);
  const rows = Array.from({ length: terms.years }, (_, i) => yearOf(input, terms, i));
  return {
    budgetUsd: terms.budgetUsd,
    chipHours: rows.reduce((s, y) => s + y.chipHours, 0),
    tokens: rows.reduce((s, y) => s + y.tokens, 0),
    years: rows,
    runs: runCounts(input, rows, terms.goodputFraction),
    assumptions,
  };
}
