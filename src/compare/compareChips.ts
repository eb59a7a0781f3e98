import type { SimulationResult } from "../engine/result.js";
import { instances as catalogInstances } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import { type NoPlanContext, noPlanText } from "../report/noPlanText.js";
import { searchPlans } from "../search/searchPlans.js";
import type { PlanSearchResult } from "../search/types.js";
import { type RunEconomics, runEconomics, runGoodput, trainingInstance } from "./economics.js";
import { paretoFrontier } from "./frontier.js";
import type { NoPlan } from "./noPlan.js";
import { type CountOutcome, pickCount } from "./pickCount.js";
import { type ComparisonPlan, planComparison } from "./planComparison.js";

import type { CandidateSummary, CompareInput, CompareResult, CompareRow } from "./types.js";

export type { CandidateSummary, CompareInput, CompareResult, CompareRow } from "./types.js";

interface Tried {
  summary: CandidateSummary;
  plan: SimulationResult | null;
  econ: RunEconomics | null;
}

function noPlanAt(chips: number, noPlan: NoPlan, words: NoPlanContext): Tried {
  const summary = {
    chips,
    feasible: false,
    days: null,
    costUsd: null,
    tokensPerSecondPerChip: null,
    goodput: null,
  };
  return {
    summary: { ...summary, noPlan, note: noPlanText(noPlan, { ...words, chips }) },
    plan: null,
    econ: null,
  };
}

/** One chip count from its search result: the economics of its best plan, or why there is none. */
function tryCount(
  input: CompareInput,
  chip: Chip,
  chips: number,
  result: PlanSearchResult,
  words: NoPlanContext,
): Tried {
  const plan = result.plans[0];
  if (!plan || !(plan.throughput.tokensPerSecondPerChip > 0)) {
    const inf = result.infeasible;
    const noPlan: NoPlan = {
      kind: "search",
      reason: inf?.reason ?? "unknown",
      smallestFittingChips: inf?.smallestFittingChips ?? null,
    };
    return noPlanAt(chips, noPlan, words);
  }
  // A size where failures outpace checkpoints never finishes: say so rather than price it.
  const g = runGoodput({ plan, chip, model: input.model, goodput: input.goodput });
  if (g.fraction <= 0) return noPlanAt(chips, { kind: "noProgress", warnings: g.warnings }, words);
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
      noPlan: null,
      note: null,
    },
    plan,
    econ,
  };
}

/**
 * Every candidate count for one chip. When a count has no plan because nothing fits in memory, the
 * search also reports the smallest fitting size on the doubling chain n × 2^k; the counts on that chain
 * below it are skipped unsearched (they were checked). Other counts are searched: divisibility is
 * count-specific, and another chain (64 × 2^k beside 72 × 2^k) may fit where this one does not.
 */
function tryCounts(
  input: CompareInput,
  { chip, counts, first }: ComparisonPlan["perChip"][number],
  searchAt: (index: number) => PlanSearchResult,
  words: NoPlanContext,
  tick: () => void,
): Tried[] {
  const tried: Tried[] = [];
  const skipped = new Map<number, NoPlan>();
  counts.forEach((n, i) => {
    const skip = skipped.get(n);
    const t = skip ? noPlanAt(n, skip, words) : tryCount(input, chip, n, searchAt(first + i), words);
    tried.push(t);
    const why = t.summary.noPlan;
    if (why?.kind === "search" && why.reason === "memory") {
      const upTo = why.smallestFittingChips ?? Number.POSITIVE_INFINITY;
      const chained: NoPlan = {
        kind: "skipped",
        chainStart: n,
        smallestFittingChips: why.smallestFittingChips,
      };
      for (let m = n * 2; m < upTo && m <= 1 << 20; m *= 2) skipped.set(m, chained);
    }
    tick();
  });
  return tried;
}

const EMPTY_ROW = {
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
  plan: null,
} as const;

function infeasibleRow(chip: Chip, instance: string | null, tried: Tried[]): CompareRow {
  const counts = tried.map((t) => t.summary.chips);
  // The reason the search gave at the largest count it searched (not a skipped one): at that size
  // the problem is most likely the real one (memory at small sizes, divisibility at large ones).
  const searched = tried.filter((t) => t.summary.noPlan?.kind !== "skipped");
  const pool = searched.length > 0 ? searched : tried;
  const lastSearched = pool[pool.length - 1]?.summary;
  const final = tried[tried.length - 1]?.summary;
  const reasons = [lastSearched, final].filter((s, i, all) => s && (i === 0 || s !== all[0]));
  const words = reasons.map((s) => s?.note ?? "no plan found").join("; ") || "no plan found";
  const span = counts.length === 1 ? counts[0] : `${counts[0]}..${counts[counts.length - 1]}`;
  return {
    ...EMPTY_ROW,
    chip: chip.id,
    instance,
    reason: `no plan at ${span} chips: ${words}`,
    noPlan: reasons.flatMap((s) => (s?.noPlan ? [s.noPlan] : [])),
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
    noPlan: null,
    plan: best.plan,
    candidates: tried.map((t) => t.summary),
  };
}

/**
 * A planned comparison (planComparison.ts) from its searches' results, `searchAt(i)` answering
 * `plan.searches[i]` (computed on demand: counts a smaller one rules out are never asked for). For each
 * chip: the economics of the best plan at every candidate count, the count picked (pickCount.ts), then
 * the rows on the time-versus-cost frontier. Pure: no I/O.
 */
export function compareFromSearches(
  plan: ComparisonPlan,
  searchAt: (index: number) => PlanSearchResult,
): CompareResult {
  const { input, seqLen, globalBatch } = plan;
  const assumptions = [...plan.assumptions];
  let done = 0;
  const tick = () => input.onProgress?.(++done, plan.searches.length);
  const rows: CompareRow[] = [];
  for (const chipSearches of plan.perChip) {
    const words = { model: input.model.name, chip: chipSearches.chip.id, chips: 0, globalBatch };
    const tried = tryCounts(input, chipSearches, searchAt, words, tick);
    const row = chipRow(input, chipSearches.chip, tried);
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
    defaulted: plan.defaulted,
  };
}

/** Compares chips for one workload, searching in this thread (compareFromSearches on planComparison). */
export function compareChips(input: CompareInput): CompareResult {
  const plan = planComparison(input);
  const search = input.search ?? searchPlans;
  return compareFromSearches(plan, (i) => search(plan.searches[i]));
}
