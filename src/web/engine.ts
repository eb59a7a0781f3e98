/**
 * What the worker computes for one app state: compareChips (src/compare) per chip, and the capacity
 * view (src/cost/capacity). No formula lives here. Pure: runs in a Web Worker or in Node.
 */

import { type CompareRow, compareChips } from "../compare/compareChips.js";
import { type CapacityResult, capacityPlan } from "../cost/capacity.js";
import type { SimulationResult } from "../engine/simulate.js";
import { chips as catalogChips, instances } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import { searchPlans } from "../search/searchPlans.js";
import { countParameters } from "../workload/parameters.js";
import { modelPresets } from "../workload/presets.js";
import type { Source } from "../workload/schema.js";
import { type Model, ModelSchema } from "../workload/schema.js";
import type { AppState } from "./state.js";

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
  goodput: number | null;
  mfu: number | null;
  tokensPerSecond: number | null;
  price: PriceInfo;
  plan: SimulationResult | null;
  /** Next-best plans for this chip, best first (the first is `plan`). */
  top: SimulationResult[];
  reason: string | null;
}

export interface Comparison {
  model: Model;
  paramsB: number;
  rows: Row[];
  capacity: CapacityResult | null;
  capacityError: string | null;
  assumptions: string[];
  elapsedMs: number;
}

/** The model for a state: the preset with the user's architecture edits applied (and re-validated). */
export function modelFor(state: AppState): Model {
  const preset = modelPresets.find((p) => p.id === state.model) ?? modelPresets[0];
  const edited = Object.keys(state.arch).length > 0;
  return ModelSchema.parse({
    ...preset.model,
    ...state.arch,
    name: edited ? `${preset.model.name} (edited)` : preset.model.name,
    seqLen: state.seqLen,
  });
}

export function chipsFor(state: AppState): Chip[] {
  if (state.chipIds.length === 0) return [...catalogChips];
  return catalogChips.filter((c) => state.chipIds.includes(c.id));
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

/** One chip at the state's chip count, through compareChips (src/compare); keeps the top plans too. */
export function rowFor(state: AppState, model: Model, _params: number, chip: Chip): Row {
  let top: SimulationResult[] = [];
  const result = compareChips({
    model,
    tokens: state.tokensB * 1e9,
    chips: [chip],
    chipCounts: [state.count],
    seqLen: state.seqLen,
    globalBatch: state.globalBatch,
    pricing: state.pricing,
    region: state.region || undefined,
    priceOverrides: { chips: state.prices, instances: {} },
    goodput: {
      checkpointMode: state.checkpoint,
      ...(state.failuresPerChipHour > 0 ? { failuresPerChipHour: state.failuresPerChipHour } : {}),
    },
    // No deadline filter: the table shows the user's chip count even when the run is long.
    maxDays: 36_500,
    search: (request) => {
      const found = searchPlans({ ...request, top: 5 });
      top = found.plans;
      return found;
    },
  });
  const r = result.rows[0];
  const price = priceInfo(r);
  const usable = r.plan !== null;
  return {
    chip: chip.id,
    chips: r.chips ?? state.count,
    fits: usable,
    days: r.days,
    costUsd: r.costUsd,
    usdPerMillionTokens: r.usdPerMillionTokens,
    energyMWh: r.energyMWh,
    goodput: r.goodput,
    mfu: r.plan?.throughput.mfu ?? null,
    tokensPerSecond: r.plan?.throughput.tokensPerSecond ?? null,
    price,
    plan: r.plan,
    top: usable ? top : [],
    // compareChips' reason explains its pick among counts; here only a missing plan or price needs words.
    reason: !usable ? r.reason : price.usdPerChipHour === null ? price.text : null,
  };
}

export function capacityFor(state: AppState, model: Model, rows: Row[]): CapacityResult {
  const offer = catalogChips.flatMap((chip) => {
    const row = rows.find((r) => r.chip === chip.id);
    const rate = row?.plan?.throughput.tokensPerSecondPerChip;
    if (!row || !rate || row.price.usdPerChipHour === null) return [];
    return [
      {
        chipId: chip.id,
        year: chip.year,
        usdPerChipHour: row.price.usdPerChipHour,
        tokensPerSecondPerChip: rate,
      },
    ];
  });
  return capacityPlan({
    budgetUsd: state.budgetM * 1e6,
    years: Math.max(1, Math.round(state.years)),
    startYear: 2026,
    chips: offer,
    runs: [{ model: model.name, tokens: state.tokensB * 1e9 }],
    tokensPerSecond: (chipId) => offer.find((o) => o.chipId === chipId)?.tokensPerSecondPerChip ?? 0,
  });
}

/** Every selected chip compared for the state's workload; `now` times it (ms). */
export function compare(state: AppState, now: () => number = () => 0): Comparison {
  const t0 = now();
  const model = modelFor(state);
  const params = countParameters(model).total;
  const rows = chipsFor(state).map((chip) => safeRow(state, model, params, chip));
  let capacity: CapacityResult | null = null;
  let capacityError: string | null = null;
  try {
    capacity = capacityFor(state, model, rows);
  } catch (e) {
    capacityError = (e as Error).message;
  }
  return {
    model,
    paramsB: params / 1e9,
    rows,
    capacity,
    capacityError,
    assumptions: [],
    elapsedMs: now() - t0,
  };
}

/** A row that never throws: bad input becomes the row's reason. */
export function safeRow(state: AppState, model: Model, params: number, chip: Chip): Row {
  try {
    return rowFor(state, model, params, chip);
  } catch (e) {
    return { ...emptyRow(state, chip.id), reason: (e as Error).message };
  }
}

export function emptyRow(state: AppState, chip: string): Row {
  return {
    chip,
    chips: state.count,
    fits: false,
    days: null,
    costUsd: null,
    usdPerMillionTokens: null,
    energyMWh: null,
    goodput: null,
    mfu: null,
    tokensPerSecond: null,
    price: { usdPerChipHour: null, from: "none", instance: null, text: "", source: null },
    plan: null,
    top: [],
    reason: null,
  };
}
