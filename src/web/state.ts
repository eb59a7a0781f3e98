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
  /** Chip ids to compare; empty = every chip with a price. */
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
  checkpoint: "sync" | "async";
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
  selected: "",
  budgetM: 100,
  years: 3,
};

type NumberKey = "tokensB" | "seqLen" | "globalBatch" | "count" | "failuresPerChipHour" | "budgetM" | "years";
const NUMBER_KEYS: NumberKey[] = [
  "tokensB",
  "seqLen",
  "globalBatch",
  "count",
  "failuresPerChipHour",
  "budgetM",
  "years",
];

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
  if (state.selected) params.set("selected", state.selected);
  return params.toString();
}

/** The state a query string describes; unknown or malformed values fall back to the defaults. */
export function decodeState(query: string): AppState {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const state: AppState = { ...DEFAULT_STATE, arch: {}, chipIds: [], prices: {} };
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
  if (checkpoint === "sync" || checkpoint === "async") state.checkpoint = checkpoint;
  state.selected = params.get("selected") ?? "";
  return state;
}
