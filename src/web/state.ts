import { type CheckpointMode, isCheckpointMode } from "../cost/checkpoint.js";
import { chips as catalogChips } from "../hardware/catalog.js";
import { type ModelPreset, modelPresets } from "../workload/presets.js";

/**
 * The whole app state, and its URL form: every control's value lives in the query string so a link
 * reproduces the view. Only values that differ from the defaults are written, keeping links short.
 */

/** Architecture fields a user may edit; a set field overrides the preset's value. */
export const ARCH_FIELDS = ["layers", "hidden", "ffnHidden", "heads", "kvHeads", "vocab"] as const;
export type ArchField = (typeof ARCH_FIELDS)[number];

export interface AppState {
  /** Model preset id (src/workload/presets.ts). */
  model: string;
  /** User edits of the preset's architecture. */
  arch: Partial<Record<ArchField, number>>;
  /** Training tokens, billions. */
  tokensB: number;
  seqLen: number;
  /** Global batch, sequences. */
  globalBatch: number;
  /**
   * Chip ids to compare; empty = every chip in the catalog (chipsFor in web/engine.ts), priced or
   * not. Never a way to say "none": chipIdsFromChecked keeps at least one.
   */
  chipIds: string[];
  /** Chip count for every chip. */
  count: number;
  pricing: string;
  /** "" = cheapest region. */
  region: string;
  /** $/chip-hour overrides by chip id. */
  prices: Record<string, number>;
  /** Unexpected interruptions per chip-hour; 0 = catalog default. */
  failuresPerChipHour: number;
  checkpoint: CheckpointMode;
  /** Seconds to restart after a failure; null = the default (data/economics.json). */
  restartSeconds: number | null;
  /** Power usage effectiveness (>= 1); null = the default (data/economics.json). */
  pue: number | null;
  /** Grid intensity, gCO2e/kWh; null = the region's (or the default region's). */
  gCO2PerKWh: number | null;
  /** Chip power in W by chip id, for chips whose catalog TDP is assumed. */
  tdpW: Record<string, number>;
  /** Chip whose plan is shown in detail; "" = the cheapest row. */
  selected: string;
  /** Capacity view: budget (USD millions) and years. */
  budgetM: number;
  years: number;
}

export const DEFAULT_STATE: AppState = {
  model: "llama3-70b",
  arch: {},
  tokensB: 1000,
  seqLen: 8192,
  globalBatch: 512,
  chipIds: [],
  count: 1024,
  pricing: "on-demand",
  region: "",
  prices: {},
  failuresPerChipHour: 0,
  checkpoint: "async",
  restartSeconds: null,
  pue: null,
  gCO2PerKWh: null,
  tdpW: {},
  selected: "",
  budgetM: 100,
  years: 3,
};

/** The state's model preset; an unknown id (a hand-edited link) means the first preset. */
export function presetFor(state: AppState): ModelPreset {
  return modelPresets.find((p) => p.id === state.model) ?? modelPresets[0];
}

type NumberKey = "tokensB" | "seqLen" | "globalBatch" | "count" | "failuresPerChipHour" | "budgetM" | "years";
/** The plain number fields, each one control and one query parameter. */
export const NUMBER_KEYS: readonly NumberKey[] = [
  "tokensB",
  "seqLen",
  "globalBatch",
  "count",
  "failuresPerChipHour",
  "budgetM",
  "years",
];

/** Overrides that are blank (null) unless the user sets them; 0 is a real value for some. */
export const OPTIONAL_KEYS = ["restartSeconds", "pue", "gCO2PerKWh"] as const;
export type OptionalKey = (typeof OPTIONAL_KEYS)[number];
/** The least value each optional override accepts (PUE below 1 would mean the facility makes power). */
export const OPTIONAL_MIN: Record<OptionalKey, number> = { restartSeconds: 0, pue: 1, gCO2PerKWh: 0 };
/** The most: PUE as energy.ts allows it. */
export const OPTIONAL_MAX: Record<OptionalKey, number> = {
  restartSeconds: Number.POSITIVE_INFINITY,
  pue: 10,
  gCO2PerKWh: Number.POSITIVE_INFINITY,
};

/** A finite number within the override's range, or null (blank, malformed or out of range). */
export function optionalValue(key: OptionalKey, text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= OPTIONAL_MIN[key] && n <= OPTIONAL_MAX[key] ? n : null;
}

/** Fields that count whole things (tokens per sequence, sequences, chips, years): at least 1. */
export const INTEGER_KEYS = ["seqLen", "globalBatch", "count", "years"] as const;
/** The largest chip count searched (the CLI's --chips cap and searchPlans' own limit, 2^20). */
export const MAX_COUNT = 1 << 20;

/**
 * Rounds the whole-number fields the way the form's controls are read, so a hand-edited link
 * (`?count=1.5`, `?years=0`) gives the same state as typing the value; count is capped at MAX_COUNT.
 */
export function roundWholeNumbers(state: AppState): AppState {
  const out = { ...state };
  for (const key of INTEGER_KEYS) out[key] = Math.max(1, Math.round(out[key]));
  out.count = Math.min(out.count, MAX_COUNT);
  return out;
}

/**
 * The chip selection from the checked boxes: exactly the default set checked = [] (the chips compared
 * by default, defaultComparisonChips); none checked keeps the previous selection (`kept`), since
 * comparing no chip shows nothing and [] would mean the default set.
 */
export function chipIdsFromChecked(
  checked: readonly string[],
  defaultIds: readonly string[],
  previous: readonly string[],
): { chipIds: string[]; kept: boolean } {
  if (checked.length === 0) return { chipIds: [...previous], kept: true };
  const same = checked.length === defaultIds.length && defaultIds.every((id) => checked.includes(id));
  if (same) return { chipIds: [], kept: false };
  return { chipIds: [...checked], kept: false };
}

/** "a:1,b:2" -> {a: 1, b: 2}; entries that are not finite positive numbers are dropped. */
function decodeMap(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of text.split(",")) {
    const [key, value] = item.split(":");
    const n = Number(value);
    if (key && Number.isFinite(n) && n > 0) out[key] = n;
  }
  return out;
}

function encodeMap(map: Record<string, number>): string {
  return Object.entries(map)
    .map(([k, v]) => `${k}:${v}`)
    .join(",");
}

/** Chips whose catalog TDP is an assumption (the vendor publishes none): the ones the page lets you set. */
export const TDP_ASSUMED_IDS = catalogChips.filter((c) => c.tdpAssumed).map((c) => c.id);

/** Drops TDP overrides for chips with a published TDP, so a link cannot hide one the page has no control for. */
function assumedOnly(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).filter(([id]) => TDP_ASSUMED_IDS.includes(id)));
}

/** The query string for `state` (without "?"); defaults are left out. */
export function encodeState(state: AppState): string {
  const params = new URLSearchParams();
  if (state.model !== DEFAULT_STATE.model) params.set("model", state.model);
  const arch = encodeMap(state.arch as Record<string, number>);
  if (arch) params.set("arch", arch);
  for (const key of NUMBER_KEYS) {
    if (state[key] !== DEFAULT_STATE[key]) params.set(key, String(state[key]));
  }
  if (state.chipIds.length > 0) params.set("chips", state.chipIds.join(","));
  if (state.pricing !== DEFAULT_STATE.pricing) params.set("pricing", state.pricing);
  if (state.region) params.set("region", state.region);
  const prices = encodeMap(state.prices);
  if (prices) params.set("prices", prices);
  if (state.checkpoint !== DEFAULT_STATE.checkpoint) params.set("checkpoint", state.checkpoint);
  for (const key of OPTIONAL_KEYS) {
    const v = state[key];
    if (v !== null) params.set(key, String(v));
  }
  const tdp = encodeMap(state.tdpW);
  if (tdp) params.set("tdp", tdp);
  if (state.selected) params.set("selected", state.selected);
  return params.toString();
}

/** The state a query string describes; unknown or malformed values fall back to the defaults. */
export function decodeState(query: string): AppState {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const state: AppState = { ...DEFAULT_STATE, arch: {}, chipIds: [], prices: {}, tdpW: {} };
  const model = params.get("model");
  if (model) state.model = model;
  const arch = decodeMap(params.get("arch") ?? "");
  for (const field of ARCH_FIELDS) if (arch[field] !== undefined) state.arch[field] = Math.round(arch[field]);
  for (const key of NUMBER_KEYS) {
    const text = params.get(key);
    if (text === null) continue;
    const n = Number(text);
    if (Number.isFinite(n) && n >= 0) state[key] = n;
  }
  const chips = params.get("chips");
  if (chips) state.chipIds = chips.split(",").filter((c) => c.length > 0);
  state.pricing = params.get("pricing") ?? state.pricing;
  state.region = params.get("region") ?? "";
  state.prices = decodeMap(params.get("prices") ?? "");
  const checkpoint = params.get("checkpoint");
  if (isCheckpointMode(checkpoint)) state.checkpoint = checkpoint;
  for (const key of OPTIONAL_KEYS) state[key] = optionalValue(key, params.get(key));
  state.tdpW = assumedOnly(decodeMap(params.get("tdp") ?? ""));
  state.selected = params.get("selected") ?? "";
  return roundWholeNumbers(state);
}
