import type { SimulationResult } from "../engine/simulate.js";
import { InputError } from "../errors.js";
import { chips as catalogChips, instances as catalogInstances } from "../hardware/catalog.js";
import type { ProfileFile } from "../hardware/profile.js";
import type { Chip } from "../hardware/schema.js";
import type { Precision } from "../plan/schema.js";
import { searchPlans } from "../search/searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import { defaultGlobalBatch } from "../workload/batch.js";
import type { Model } from "../workload/schema.js";
import { candidateChipCounts } from "./chipCounts.js";
import {
  type EconomicsInput,
  type PriceSource,
  type RunEconomics,
  runEconomics,
  runGoodput,
  trainingInstance,
} from "./economics.js";
import { paretoFrontier } from "./frontier.js";
import { type CountOutcome, DEFAULT_MAX_DAYS, pickCount } from "./pickCount.js";

/** The run-economics options (prices, goodput, energy, carbon) pass straight through to runEconomics. */
export interface CompareInput
  extends Pick<
    EconomicsInput,
    "pricing" | "region" | "priceOverrides" | "goodput" | "gCO2PerKWh" | "pue" | "tdpW"
  > {
  model: Model;
  tokens: number;
  /** Default: every chip in the catalog (those that cannot hold the model report why). */
  chips?: readonly Chip[];
  /** "auto" (default): the instance size × 2^k up to 65,536. */
  chipCounts?: readonly number[] | "auto";
  deadlineDays?: number;
  budgetUsd?: number;
  seqLen?: number;
  /** Global batch in sequences; default by model size (batch.ts). */
  globalBatch?: number;
  /** Default bf16, what published large runs used; "auto" lets the search use fp8 where the chip has it. */
  precision?: Precision | "auto";
  profiles?: ProfileFile;
  /** Longest run considered without a deadline (default 120 days). */
  maxDays?: number;
  onProgress?: (done: number, total: number) => void;
  /** Plan search; tests may pass a stub. Default searchPlans. */
  search?: (request: PlanSearchRequest) => PlanSearchResult;
}

/** One chip count tried for a chip. */
export interface CandidateSummary {
  chips: number;
  feasible: boolean;
  days: number | null;
  costUsd: number | null;
  tokensPerSecondPerChip: number | null;
  goodput: number | null;
  /** Why no plan: from the plan search. */
  note: string | null;
}

export interface CompareRow {
  chip: string;
  instance: string | null;
  chips: number | null;
  days: number | null;
  costUsd: number | null;
  usdPerChipHour: number | null;
  usdPerMillionTokens: number | null;
  energyMWh: number | null;
  tCO2e: number | null;
  /** Useful fraction of wall-clock time (goodput.ts). */
  goodput: number | null;
  /** The full goodput result: hours lost per 1,000 to checkpoints, rework and restarts, and why. */
  goodputDetail: RunEconomics["goodput"] | null;
  chipHours: number | null;
  priceSource: PriceSource | null;
  meetsConstraints: boolean;
  reason: string;
  /** The chosen plan, as `plan --json` prints it. */
  plan: SimulationResult | null;
  candidates: CandidateSummary[];
}

export interface CompareResult {
  model: string;
  tokens: number;
  seqLen: number;
  globalBatch: number;
  rows: CompareRow[];
  /** Chip ids of the rows on the time-versus-cost Pareto frontier, fastest first. */
  frontier: string[];
  assumptions: string[];
}

interface Tried {
  summary: CandidateSummary;
  plan: SimulationResult | null;
  econ: RunEconomics | null;
}

function checkInput(input: CompareInput): void {
  const positive = (field: string, v: number | undefined) => {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) {
      throw new InputError({ field, value: v, allowed: "a number > 0" });
    }
  };
  positive("tokens", input.tokens);
  positive("deadlineDays", input.deadlineDays);
  positive("budgetUsd", input.budgetUsd);
  positive("maxDays", input.maxDays);
  for (const [field, v] of [
    ["seqLen", input.seqLen],
    ["globalBatch", input.globalBatch],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new InputError({ field, value: v, allowed: "a whole number >= 1" });
    }
  }
  if (input.chips !== undefined && input.chips.length === 0) {
    throw new InputError({ field: "chips", value: [], allowed: "at least one chip" });
  }
}

function tryCount(
  input: CompareInput,
  chip: Chip,
  chips: number,
  request: Omit<PlanSearchRequest, "chip" | "chips">,
  search: NonNullable<CompareInput["search"]>,
): Tried & { smallestFitting?: number | null } {
  const result = search({ ...request, chip, chips });
  const plan = result.plans[0];
  const blank = { chips, days: null, costUsd: null, tokensPerSecondPerChip: null, goodput: null };
  if (!plan || !(plan.throughput.tokensPerSecondPerChip > 0)) {
    const note = result.infeasible?.reason ?? "no plan found";
    return {
      summary: { ...blank, feasible: false, note },
      plan: null,
      econ: null,
      smallestFitting: result.infeasible?.smallestFittingChips,
    };
  }
  // A size where failures outpace checkpoints never finishes: say so rather than price it.
  const g = runGoodput({ plan, chip, model: input.model, goodput: input.goodput });
  if (g.fraction <= 0) {
    const note = `no forward progress: ${g.warnings.join("; ")}`;
    return { summary: { ...blank, feasible: false, note }, plan: null, econ: null };
  }
  const econ = runEconomics({
    plan,
    chip,
    tokens: input.tokens,
    model: input.model,
    pricing: input.pricing,
    region: input.region,
    priceOverrides: input.priceOverrides,
    goodput: input.goodput,
    gCO2PerKWh: input.gCO2PerKWh,
    pue: input.pue,
    tdpW: input.tdpW,
  });
  return {
    summary: {
      chips,
      feasible: true,
      days: econ.days,
      costUsd: econ.costUsd,
      tokensPerSecondPerChip: plan.throughput.tokensPerSecondPerChip,
      goodput: econ.goodput.fraction,
      note: null,
    },
    plan,
    econ,
  };
}

/** True when the search said no plan fits in memory (rather than no layout dividing the count). */
function memoryBound(note: string | null): boolean {
  return note?.includes("fits in") ?? false;
}

/**
 * Every candidate count for one chip. When a count has no plan because nothing fits in memory, the
 * search also reports the smallest fitting size on the doubling chain n × 2^k; the counts on that chain
 * below it are skipped unsearched (they were checked). Other counts are searched: divisibility is
 * count-specific, and another chain (64 × 2^k beside 72 × 2^k) may fit where this one does not.
 */
function tryCounts(
  input: CompareInput,
  chip: Chip,
  counts: readonly number[],
  request: Omit<PlanSearchRequest, "chip" | "chips">,
  tick: () => void,
): Tried[] {
  const search = input.search ?? searchPlans;
  const tried: Tried[] = [];
  const skipped = new Map<number, string>();
  for (const n of counts) {
    const skipNote = skipped.get(n);
    if (skipNote !== undefined) {
      const summary = {
        chips: n,
        feasible: false,
        days: null,
        costUsd: null,
        tokensPerSecondPerChip: null,
        goodput: null,
      };
      tried.push({ summary: { ...summary, note: skipNote }, plan: null, econ: null });
    } else {
      const t = tryCount(input, chip, n, request, search);
      tried.push(t);
      if (!t.summary.feasible && t.smallestFitting !== undefined && memoryBound(t.summary.note)) {
        const upTo = t.smallestFitting ?? Number.POSITIVE_INFINITY;
        const why =
          t.smallestFitting === null
            ? `no plan fits on ${n} x 2^k chips (checked after ${n})`
            : `no plan fits below ${t.smallestFitting} chips on ${n} x 2^k (checked after ${n})`;
        for (let m = n * 2; m < upTo && m <= 1 << 20; m *= 2) skipped.set(m, why);
      }
    }
    tick();
  }
  return tried;
}

function infeasibleRow(chip: Chip, instance: string | null, tried: Tried[]): CompareRow {
  const counts = tried.map((t) => t.summary.chips);
  // The reason the search gave at the largest count it searched (not a skipped one): at that size
  // the problem is most likely the real one (memory at small sizes, divisibility at large ones).
  const searched = tried.filter((t) => !t.summary.note?.includes("(checked after"));
  const pool = searched.length > 0 ? searched : tried;
  const lastSearched = pool[pool.length - 1]?.summary.note ?? "no plan found";
  const final = tried[tried.length - 1]?.summary.note;
  const last = final && final !== lastSearched ? `${lastSearched}; ${final}` : lastSearched;
  (searched.length > 0 ? searched : tried)[Math.max(0, (searched.length > 0 ? searched : tried).length - 1)]
    ?.summary.note ?? "no plan found";
  return {
    chip: chip.id,
    instance,
    chips: null,
    days: null,
    costUsd: null,
    usdPerChipHour: null,
    usdPerMillionTokens: null,
    energyMWh: null,
    tCO2e: null,
    goodput: null,
    goodputDetail: null,
    chipHours: null,
    priceSource: null,
    meetsConstraints: false,
    reason: `no plan at ${counts.length === 1 ? counts[0] : `${counts[0]}..${counts[counts.length - 1]}`} chips: ${last}`,
    plan: null,
    candidates: tried.map((t) => t.summary),
  };
}

function chipRow(input: CompareInput, chip: Chip, tried: Tried[]): CompareRow {
  const inst = trainingInstance(chip.id, catalogInstances);
  const ok = tried.filter((t) => t.econ !== null && t.plan !== null);
  if (ok.length === 0) return infeasibleRow(chip, inst?.id ?? null, tried);
  const outcomes: CountOutcome[] = ok.map((t) => ({
    chips: t.summary.chips,
    days: t.econ!.days,
    costUsd: t.econ!.costUsd,
    chipHours: t.econ!.chipHours,
  }));
  const pick = pickCount(outcomes, {
    deadlineDays: input.deadlineDays,
    budgetUsd: input.budgetUsd,
    maxDays: input.maxDays,
  });
  const best = ok[pick.index];
  const econ = best.econ!;
  const source = econ.priceSource;
  return {
    chip: chip.id,
    instance: source.kind === "catalog" ? source.instance : (inst?.id ?? null),
    chips: best.summary.chips,
    days: econ.days,
    costUsd: econ.costUsd,
    usdPerChipHour: econ.usdPerChipHour,
    usdPerMillionTokens: econ.usdPerMillionTokens,
    energyMWh: econ.energyMWh,
    tCO2e: econ.tCO2e,
    goodput: econ.goodput.fraction,
    goodputDetail: econ.goodput,
    chipHours: econ.chipHours,
    priceSource: source,
    meetsConstraints: pick.meetsConstraints,
    reason: source.kind === "missing" ? `${pick.reason}; cost needs a price: ${source.reason}` : pick.reason,
    plan: best.plan,
    candidates: tried.map((t) => t.summary),
  };
}

interface ComparePlanning {
  seqLen: number;
  globalBatch: number;
  assumptions: string[];
  request: Omit<PlanSearchRequest, "chip" | "chips">;
  perChip: { chip: Chip; counts: number[] }[];
}

/** What compareChips searches: the shared request, and per chip the candidate counts. */
function planSearches(input: CompareInput): ComparePlanning {
  checkInput(input);
  const chipList = input.chips ?? catalogChips;
  const seqLen = input.seqLen ?? input.model.seqLen;
  const assumptions: string[] = [];
  let globalBatch = input.globalBatch;
  if (globalBatch === undefined) {
    const d = defaultGlobalBatch(input.model, seqLen);
    globalBatch = d.sequences;
    assumptions.push(d.note);
  }
  const precision = input.precision ?? "bf16";
  if (input.precision === undefined) {
    assumptions.push("precision bf16 (what published large runs used); --precision auto also tries fp8");
  }
  const rule =
    input.deadlineDays !== undefined
      ? `chip count: the cheapest size meeting the ${input.deadlineDays}-day deadline${input.budgetUsd !== undefined ? " and the budget" : ""}`
      : `chip count: the cheapest size finishing within ${input.maxDays ?? DEFAULT_MAX_DAYS} days (no deadline given)`;
  assumptions.push(`${rule}; sizes within 1% of the cheapest count as tied and the faster wins`);
  const request = { model: input.model, seqLen, globalBatch, precision, profiles: input.profiles, top: 1 };
  const perChip = chipList.map((chip) => {
    const unit = trainingInstance(chip.id, catalogInstances)?.chipsPerInstance ?? 8;
    return { chip, counts: candidateChipCounts(input.chipCounts ?? "auto", Math.max(8, unit)) };
  });
  return { seqLen, globalBatch, assumptions, request, perChip };
}

/**
 * Every plan search compareChips may make (one per chip and candidate count), so that a caller can
 * run them in parallel and hand the results back through `search`.
 */
export function compareSearchRequests(input: CompareInput): PlanSearchRequest[] {
  const { request, perChip } = planSearches(input);
  return perChip.flatMap(({ chip, counts }) => counts.map((chips) => ({ ...request, chip, chips })));
}

/**
 * For each chip: search the best plan at every candidate chip count, apply the economics, pick the
 * count (pickCount.ts), then mark the rows on the time-versus-cost frontier. Pure: no I/O.
 */
export function compareChips(input: CompareInput): CompareResult {
  const { seqLen, globalBatch, assumptions, request, perChip } = planSearches(input);
  const total = perChip.reduce((s, c) => s + c.counts.length, 0);
  let done = 0;
  const tick = () => input.onProgress?.(++done, total);
  const rows: CompareRow[] = [];
  for (const { chip, counts } of perChip) {
    const tried = tryCounts(input, chip, counts, request, tick);
    const row = chipRow(input, chip, tried);
    rows.push(row);
    const econ = tried.find((t) => t.plan === row.plan)?.econ;
    if (econ) assumptions.push(...econ.assumptions);
  }
  const frontier = paretoFrontier(
    rows.filter((r) => r.chips !== null),
    (r) => r.days,
    (r) => r.costUsd,
  ).map((r) => r.chip);
  return {
    model: input.model.name,
    tokens: input.tokens,
    seqLen,
    globalBatch,
    rows,
    frontier,
    assumptions: [...new Set(assumptions)],
  };
}
