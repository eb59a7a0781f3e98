/**
 * What the worker computes for one app state: compareChips (src/compare) per chip, and the capacity
 * view through capacityForBudget (src/compare). No formula lives here: this file only maps app state
 * to their inputs and their rows to what the page shows. Pure: runs in a Web Worker or in Node.
 */

import type { ZodError } from "zod";
import { type CapacityForBudgetResult, capacityForBudget } from "../compare/capacityForBudget.js";
import {
  type CandidateSummary,
  type CompareInput,
  type CompareRow,
  compareFromSearches,
} from "../compare/compareChips.js";
import type { GoodputOverrides } from "../compare/economics.js";
import { planComparison } from "../compare/planComparison.js";
import { catalogPriceYear } from "../compare/priceYear.js";
import type { PriceOverrides } from "../cost/pricing.js";
import type { SimulationResult } from "../engine/result.js";
import { simulate } from "../engine/simulate.js";
import { inputErrorFromZod } from "../errors.js";
import { chips as catalogChips } from "../hardware/catalog.js";
import { defaultComparisonChips } from "../hardware/profiles.js";
import type { Chip } from "../hardware/schema.js";
import { parseConstraintTexts } from "../plan/constraintText.js";
import { defaultSeqLen, RUN_DEFAULTS, workloadDefaults } from "../plan/runDefaults.js";
import { rejectedLine, searchLimitsLines } from "../report/constraintsText.js";
import { parsePlanLabel } from "../report/planLabel.js";
import { searchPlans } from "../search/searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import type { Source } from "../workload/schema.js";
import { type Model, ModelSchema } from "../workload/schema.js";
import { type AppState, ARCH_FIELDS, presetFor, TOP_PLANS } from "./state.js";

export interface PriceInfo {
  usdPerChipHour: number | null;
  /** "override" (the user's), "catalog" or "none". */
  from: "override" | "catalog" | "none";
  instance: string | null;
  text: string;
  source: Source | null;
}

export interface Row {
  chip: string;
  chips: number;
  fits: boolean;
  days: number | null;
  costUsd: number | null;
  usdPerMillionTokens: number | null;
  energyMWh: number | null;
  tCO2e: number | null;
  goodput: number | null;
  /** Hours per 1,000 lost to checkpoints, rework and restarts (the cost-breakdown chart). */
  goodputDetail: CompareRow["goodputDetail"];
  /** The chip count tried (one: the state's count), for the frontier chart. */
  candidates: CandidateSummary[];
  mfu: number | null;
  tokensPerSecond: number | null;
  price: PriceInfo;
  plan: SimulationResult | null;
  /** Next-best plans for this chip, best first (the first is `plan`). */
  top: SimulationResult[];
  reason: string | null;
  /** False when the count picked misses the deadline or budget (compare's meetsConstraints). */
  meetsConstraints: boolean;
  /** Everything the comparison assumed for this chip, as the CLI's compare prints it. */
  assumptions: string[];
  /** Global batch in sequences that the searches used (an exported plan's batch). */
  globalBatch: number;
  /**
   * The picked count's search, as `plan` prints it: the stack and constraints it kept to with the
   * plans each removed, then every rejection reason with its count.
   */
  searchLines: string[];
}

/** The model for a state: the preset with the user's architecture edits applied (and re-validated). */
export function modelFor(state: AppState): Model {
  const preset = presetFor(state);
  const base = preset.model;
  const top: Record<string, number> = {};
  const moe: Record<string, number> = {};
  const mla: Record<string, number> = {};
  for (const field of ARCH_FIELDS) {
    const v = state.arch[field];
    if (v === undefined) continue;
    const [group, key] = field.split(".");
    if (key === undefined) top[group] = v;
    else (group === "moe" ? moe : mla)[key] = v;
  }
  const edited = Object.keys(state.arch).length + Object.keys(state.archFlags).length > 0;
  return ModelSchema.parse({
    ...base,
    ...top,
    ...state.archFlags,
    moe: Object.keys(moe).length > 0 ? { ...base.moe, ...moe } : base.moe,
    mla: Object.keys(mla).length > 0 ? { ...base.mla, ...mla } : base.mla,
    name: edited ? `${base.name} (edited)` : base.name,
    seqLen: state.seqLen ?? defaultSeqLen(base),
  });
}

/** Why the state's architecture is not a model (one message naming the field), or null when it is one. */
export function modelError(state: AppState): string | null {
  try {
    modelFor(state);
    return null;
  } catch (e) {
    const issues = (e as { issues?: unknown }).issues;
    if (Array.isArray(issues)) return inputErrorFromZod(e as ZodError, state.arch, "architecture").message;
    return (e as Error).message;
  }
}

/**
 * A typed layout ("tp8 pp4 dp32 mb1 ...", planLabel's words) simulated on a chip at a count, with the
 * state's workload and its defaults, as `trainplan simulate` would; fields left out are filled and stated.
 */
export function layoutResult(state: AppState, model: Model, chip: Chip, chips: number): SimulationResult {
  const typed = parsePlanLabel(state.layout, "layout");
  const { seqLen, globalBatch } = workloadDefaults(model, {
    seqLen: state.seqLen ?? undefined,
    globalBatch: state.globalBatch ?? undefined,
  });
  const precision =
    typed.precision ?? (state.precision === "auto" ? RUN_DEFAULTS.precision : state.precision);
  return simulate({
    model,
    chip,
    chipCount: chips,
    seqLen,
    globalBatch,
    precision,
    parallelism: typed.parallelism,
    microBatch: typed.microBatch,
  });
}

export function chipsFor(state: AppState): Chip[] {
  if (state.chipIds.length === 0) return defaultComparisonChips(catalogChips);
  return catalogChips.filter((c) => state.chipIds.includes(c.id));
}

const searched = new Map<string, PlanSearchResult>();
const CACHE_LIMIT = 4000;

/**
 * searchPlans, remembered: the table (fixed count) and the capacity view (compare's counts) ask for
 * many of the same searches, and a change of budget, price or years needs no new search at all.
 * Catalog chips are fixed, so the chip's id stands for it in the key; the model is keyed in full
 * because the user may edit its architecture.
 */
export function cachedSearch(request: PlanSearchRequest): PlanSearchResult {
  const key = JSON.stringify({ ...request, chip: request.chip.id });
  const hit = searched.get(key);
  if (hit) return hit;
  const found = searchPlans(request);
  if (searched.size >= CACHE_LIMIT) searched.clear();
  searched.set(key, found);
  return found;
}

/** First year of the capacity view: the year of the catalog prices, the CLI's default too. */
export const CAPACITY_START_YEAR = catalogPriceYear();

function priceOverridesFor(state: AppState): PriceOverrides {
  return { chips: state.prices, instances: {} };
}

/** A blank failure rate and restart time in the state mean the default (src/plan/runDefaults.ts). */
function goodputFor(state: AppState): GoodputOverrides {
  return {
    checkpointMode: state.checkpoint,
    ...(state.failuresPerChipHour !== null ? { failuresPerChipHour: state.failuresPerChipHour } : {}),
    ...(state.restartSeconds !== null ? { restartSeconds: state.restartSeconds } : {}),
    ...(state.storageGBps !== null ? { storageWriteGBpsPerNode: state.storageGBps } : {}),
  };
}

/** The energy and carbon overrides compareChips takes; blank ones are left out so its defaults apply. */
function energyFor(state: AppState): { pue?: number; gCO2PerKWh?: number; tdpW?: Record<string, number> } {
  return {
    ...(state.pue !== null ? { pue: state.pue } : {}),
    ...(state.gCO2PerKWh !== null ? { gCO2PerKWh: state.gCO2PerKWh } : {}),
    ...(Object.keys(state.tdpW).length > 0 ? { tdpW: state.tdpW } : {}),
  };
}

function priceInfo(row: CompareRow): PriceInfo {
  const src = row.priceSource;
  if (!src || src.kind === "missing") {
    return {
      usdPerChipHour: null,
      from: "none",
      instance: null,
      text: src?.reason ?? "no price",
      source: null,
    };
  }
  if (src.kind === "override") {
    return {
      usdPerChipHour: row.usdPerChipHour,
      from: "override",
      instance: null,
      text: "your price",
      source: null,
    };
  }
  return {
    usdPerChipHour: row.usdPerChipHour,
    from: "catalog",
    instance: src.instance,
    text: `${src.instance} ${src.pricing} ${src.region}: $${src.usdPerInstanceHour}/h per instance (${src.period})`,
    source: { title: src.title, url: src.url, dateSeen: src.dateSeen },
  };
}

/**
 * What a compare of this state asks, as the CLI's `compare` would be asked it: the same input, every
 * blank field left out so the same defaults (src/plan/runDefaults.ts) apply.
 */
export function compareInputFor(state: AppState, model: Model, chips: Chip[]): CompareInput {
  const defaultSeq = state.seqLen === null;
  return {
    model,
    tokens: state.tokensB * 1e9,
    chips,
    chipCounts: state.count === null ? "auto" : [state.count],
    ...(defaultSeq ? {} : { seqLen: state.seqLen ?? undefined }),
    ...(state.globalBatch !== null ? { globalBatch: state.globalBatch } : {}),
    ...(state.precision !== RUN_DEFAULTS.precision ? { precision: state.precision } : {}),
    ...(state.deadlineDays !== null ? { deadlineDays: state.deadlineDays } : {}),
    ...(state.runBudgetM !== null ? { budgetUsd: state.runBudgetM * 1e6 } : {}),
    pricing: state.pricing,
    region: state.region || undefined,
    priceOverrides: priceOverridesFor(state),
    goodput: goodputFor(state),
    ...energyFor(state),
    ...searchLimitsFor(state),
  };
}

/** The constraints and stack of the state, as compare's --tp ... and --framework give them. */
export function searchLimitsFor(state: AppState): Pick<CompareInput, "constraints" | "framework"> {
  const constraints = parseConstraintTexts(state.constraints);
  return {
    ...(constraints ? { constraints } : {}),
    ...(state.framework ? { framework: state.framework } : {}),
  };
}

/** One chip through compareChips' planning (src/compare), as the CLI's compare; keeps the top plans too. */
export function rowFor(state: AppState, model: Model, chip: Chip): Row {
  const plan = planComparison(compareInputFor(state, model, [chip]));
  const searchAt = (i: number) => cachedSearch({ ...plan.searches[i], top: TOP_PLANS });
  const result = compareFromSearches(plan, searchAt);
  const r = result.rows[0];
  const picked = plan.searches.findIndex((q) => q.chips === r.chips);
  const search = picked >= 0 ? searchAt(picked) : null;
  const top = search?.plans ?? [];
  const price = priceInfo(r);
  const usable = r.plan !== null;
  return {
    chip: chip.id,
    chips: r.chips ?? state.count ?? 0,
    fits: usable,
    days: r.days,
    costUsd: r.costUsd,
    usdPerMillionTokens: r.usdPerMillionTokens,
    energyMWh: r.energyMWh,
    tCO2e: r.tCO2e,
    goodput: r.goodput,
    goodputDetail: r.goodputDetail,
    candidates: r.candidates,
    mfu: r.plan?.throughput.mfu ?? null,
    tokensPerSecond: r.plan?.throughput.tokensPerSecond ?? null,
    price,
    plan: r.plan,
    top: usable ? top : [],
    // compareChips' reason explains its pick among counts; here only a missing plan or price needs words.
    reason: !usable ? r.reason : price.usdPerChipHour === null ? price.text : r.reason,
    meetsConstraints: r.meetsConstraints,
    assumptions: result.assumptions,
    globalBatch: plan.globalBatch,
    searchLines: search ? searchLines(search) : [],
  };
}

/** What held a search and what it rejected, in the CLI's words (src/report/constraintsText.ts). */
function searchLines(result: PlanSearchResult): string[] {
  const rejected = rejectedLine(result);
  return [...searchLimitsLines(result), ...(rejected ? [rejected] : [])];
}

/**
 * The capacity view through capacityForBudget (src/compare): each chip measured at the count compare
 * picks for this workload (not the table's fixed count), times its goodput, then src/cost/capacity.
 */
export function capacityFor(state: AppState, model: Model): CapacityForBudgetResult {
  return capacityForBudget({
    budgetUsd: state.budgetM * 1e6,
    years: state.years,
    ...(state.priceDeclinePct !== null ? { priceDeclinePctPerYear: state.priceDeclinePct } : {}),
    startYear: CAPACITY_START_YEAR,
    chips: chipsFor(state),
    runs: [
      {
        name: model.name,
        model,
        tokens: state.tokensB * 1e9,
        ...(state.seqLen !== null ? { seqLen: state.seqLen } : {}),
        ...(state.globalBatch !== null ? { globalBatch: state.globalBatch } : {}),
      },
    ],
    ...(state.precision !== RUN_DEFAULTS.precision ? { precision: state.precision } : {}),
    pricing: state.pricing,
    region: state.region || undefined,
    priceOverrides: priceOverridesFor(state),
    goodput: goodputFor(state),
    // The table's constraints and stack hold the capacity view's searches too.
    search: (request) => cachedSearch({ ...request, ...searchLimitsFor(state) }),
  });
}

/** A row that never throws: bad input becomes the row's reason. */
export function safeRow(state: AppState, model: Model, chip: Chip): Row {
  try {
    return rowFor(state, model, chip);
  } catch (e) {
    return { ...emptyRow(state, chip.id), reason: (e as Error).message };
  }
}

export function emptyRow(state: AppState, chip: string): Row {
  return {
    chip,
    chips: state.count ?? 0,
    fits: false,
    days: null,
    costUsd: null,
    usdPerMillionTokens: null,
    energyMWh: null,
    tCO2e: null,
    goodput: null,
    goodputDetail: null,
    candidates: [],
    mfu: null,
    tokensPerSecond: null,
    price: { usdPerChipHour: null, from: "none", instance: null, text: "", source: null },
    plan: null,
    top: [],
    reason: null,
    meetsConstraints: false,
    assumptions: [],
    globalBatch: state.globalBatch ?? 0,
    searchLines: [],
  };
}
