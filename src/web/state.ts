import { CHECKPOINT_MODES, type CheckpointMode, isCheckpointMode } from "../cost/checkpoint.js";
import { chips as catalogChips, instances } from "../hardware/catalog.js";
import {
  type ConstraintTexts,
  constraintText,
  parseConstraintTexts,
  TEXT_DIMENSIONS,
  type TextDimension,
} from "../plan/constraintText.js";
import { describeLimit, INPUT_LIMITS, type LimitKey, MAX_CHIPS, withinLimit } from "../plan/inputLimits.js";
import { RUN_DEFAULTS } from "../plan/runDefaults.js";
import { FRAMEWORKS, type Framework } from "../plan/software.js";
import { type ModelPreset, modelPresets } from "../workload/presets.js";

/**
 * The whole app state, and its URL form: every control's value lives in the query string so a link
 * reproduces the view. Only values that differ from the defaults are written, keeping links short.
 * Every default is the CLI's (src/plan/runDefaults.ts) and every number is checked against the
 * CLI's limits (src/plan/inputLimits.ts); a link's value outside them is ignored and reported.
 */

/** Architecture fields a user may edit, by the model's field path; a set field overrides the preset's value. */
export const ARCH_FIELDS = [
  "layers",
  "hidden",
  "ffnHidden",
  "heads",
  "kvHeads",
  "headDim",
  "vocab",
  "moe.experts",
  "moe.topK",
  "moe.expertFfnHidden",
  "moe.sharedExperts",
  "moe.denseLayers",
  "mla.qLoraRank",
  "mla.kvLoraRank",
  "mla.qkNopeHeadDim",
  "mla.qkRopeHeadDim",
  "mla.vHeadDim",
] as const;
export type ArchField = (typeof ARCH_FIELDS)[number];
/** Fields where 0 is a real value (no shared experts, no dense layers, no query compression). */
export const ARCH_ZERO_ALLOWED: readonly ArchField[] = [
  "moe.sharedExperts",
  "moe.denseLayers",
  "mla.qLoraRank",
];
/** Yes/no architecture fields: a set value overrides the preset's. */
export const ARCH_FLAGS = ["gatedMlp", "tiedEmbeddings"] as const;
export type ArchFlag = (typeof ARCH_FLAGS)[number];

export const PRECISION_CHOICES = ["bf16", "fp8", "auto"] as const;
export type PrecisionChoice = (typeof PRECISION_CHOICES)[number];

export interface AppState {
  /** Model preset id (src/workload/presets.ts). */
  model: string;
  /** User edits of the preset's architecture, by field path ("moe.experts"). */
  arch: Partial<Record<ArchField, number>>;
  archFlags: Partial<Record<ArchFlag, boolean>>;
  /** Training tokens, billions. */
  tokensB: number;
  /** null = the model's sequence length. */
  seqLen: number | null;
  /** Global batch, sequences; null = the default by model size (src/workload/batch.ts). */
  globalBatch: number | null;
  precision: PrecisionChoice;
  /**
   * Chip ids to compare; empty = every chip in the catalog (chipsFor in web/engine.ts), priced or
   * not. Never a way to say "none": chipIdsFromChecked keeps at least one.
   */
  chipIds: string[];
  /** Chip count for every chip; null = the count compare picks (deadline, budget, 120 days). */
  count: number | null;
  /** Deadline in days and run budget in USD millions, as compare's --deadline-days and --budget; null = none. */
  deadlineDays: number | null;
  runBudgetM: number | null;
  pricing: string;
  /** "" = cheapest region. */
  region: string;
  /** $/chip-hour overrides by chip id. */
  prices: Record<string, number>;
  /** Unexpected interruptions per chip-hour; null = the default (data/economics.json). */
  failuresPerChipHour: number | null;
  checkpoint: CheckpointMode;
  /** Seconds to restart after a failure; null = the default (data/economics.json). */
  restartSeconds: number | null;
  /** Checkpoint write GB/s per node; null = the default (data/economics.json), as compare --storage-gbps. */
  storageGBps: number | null;
  /** Power usage effectiveness; null = the default (data/economics.json). */
  pue: number | null;
  /** Grid intensity, gCO2e/kWh; null = the region's (or the default region's). */
  gCO2PerKWh: number | null;
  /** Chip power in W by chip id, for chips whose catalog TDP is assumed. */
  tdpW: Record<string, number>;
  /**
   * What the plan searches keep to, as compare's --tp, --pp, ... flags: each dimension's text in
   * their vocabulary (src/plan/constraintText.ts), always as that module writes it back; unset = searched in full.
   */
  constraints: ConstraintTexts;
  /** The stack that runs the plans, as compare --framework; "" = none (on Trainium its default). */
  framework: Framework | "";
  /** Chip whose plan is shown in detail; "" = the cheapest row. */
  selected: string;
  /** Which of the selected chip's top plans is opened (0 = the best). */
  planRank: number;
  /** A layout typed by the user ("tp8 pp4 dp32 mb1 ..."), simulated on the selected chip; "" = none. */
  layout: string;
  /** Capacity view: budget (USD millions) and years. */
  budgetM: number;
  years: number;
  /** Price fall per year, percent; null = the default (data/economics.json), as capacity --price-decline. */
  priceDeclinePct: number | null;
}

export const DEFAULT_STATE: AppState = {
  model: "llama3-70b",
  arch: {},
  archFlags: {},
  tokensB: 1000,
  seqLen: null,
  globalBatch: null,
  precision: RUN_DEFAULTS.precision,
  chipIds: [],
  count: 1024,
  deadlineDays: null,
  runBudgetM: null,
  pricing: RUN_DEFAULTS.pricing,
  region: "",
  prices: {},
  failuresPerChipHour: null,
  checkpoint: RUN_DEFAULTS.checkpointMode,
  restartSeconds: null,
  storageGBps: null,
  pue: null,
  gCO2PerKWh: null,
  tdpW: {},
  constraints: {},
  framework: "",
  selected: "",
  planRank: 0,
  layout: "",
  budgetM: 100,
  years: 3,
  priceDeclinePct: null,
};

/** The state's model preset; an unknown id never reaches the state (decodeState ignores it). */
export function presetFor(state: AppState): ModelPreset {
  return modelPresets.find((p) => p.id === state.model) ?? modelPresets[0];
}

/** The plain number fields, each one control and one query parameter, with its limit and scale to the limit's unit. */
export interface NumberField {
  limit: LimitKey;
  /** Multiplies the field's value into the limit's unit (billions of tokens, millions of USD). */
  scale: number;
  /** Whether blank is allowed (and means the default). */
  optional: boolean;
}
type NumberKey =
  | "tokensB"
  | "seqLen"
  | "globalBatch"
  | "count"
  | "deadlineDays"
  | "runBudgetM"
  | "failuresPerChipHour"
  | "restartSeconds"
  | "storageGBps"
  | "pue"
  | "gCO2PerKWh"
  | "budgetM"
  | "years"
  | "priceDeclinePct";
export const NUMBER_FIELDS: Record<NumberKey, NumberField> = {
  tokensB: { limit: "tokens", scale: 1e9, optional: false },
  seqLen: { limit: "seqLen", scale: 1, optional: true },
  globalBatch: { limit: "globalBatch", scale: 1, optional: true },
  count: { limit: "chips", scale: 1, optional: true },
  deadlineDays: { limit: "deadlineDays", scale: 1, optional: true },
  runBudgetM: { limit: "budgetUsd", scale: 1e6, optional: true },
  failuresPerChipHour: { limit: "failuresPerChipHour", scale: 1, optional: true },
  restartSeconds: { limit: "restartSeconds", scale: 1, optional: true },
  storageGBps: { limit: "storageGBpsPerNode", scale: 1, optional: true },
  pue: { limit: "pue", scale: 1, optional: true },
  gCO2PerKWh: { limit: "gCO2PerKWh", scale: 1, optional: true },
  budgetM: { limit: "budgetUsd", scale: 1e6, optional: false },
  years: { limit: "years", scale: 1, optional: false },
  priceDeclinePct: { limit: "priceDeclinePct", scale: 1, optional: true },
};
export const NUMBER_KEYS = Object.keys(NUMBER_FIELDS) as NumberKey[];
/** The largest chip count searched (the CLI's cap and searchPlans' own limit, 2^20). */
export const MAX_COUNT = MAX_CHIPS;

const SCALE_WORDS: Record<number, string> = { 1e9: " (in billions)", 1e6: " (in millions)" };

/** What a field allows, in its own unit: the CLI's limit, scaled ("a number above 0 and up to 100,000,000 (in billions)"). */
export function describeField(key: NumberKey): string {
  const f = NUMBER_FIELDS[key];
  if (f.scale === 1) return describeLimit(f.limit);
  const l = INPUT_LIMITS[f.limit];
  const n = (x: number) => (x / f.scale).toLocaleString("en-US", { maximumFractionDigits: 12 });
  return `a number above ${n(l.min)} and up to ${n(l.max)}${SCALE_WORDS[f.scale] ?? ""}`;
}

/** Whether a number field's value is within the CLI's limit. */
export function fieldValueOk(key: NumberKey, value: number): boolean {
  const f = NUMBER_FIELDS[key];
  if (f.scale === 1) return withinLimit(f.limit, value);
  // Scaled fields are never whole-number limits; compare in the limit's unit.
  return Number.isFinite(value) && withinLimit(f.limit, value * f.scale);
}

/** An architecture field's value is allowed: a whole number within the model-size limit (0 where it means "none"). */
export function archValueOk(field: ArchField, value: number): boolean {
  if (value === 0) return ARCH_ZERO_ALLOWED.includes(field);
  return withinLimit("modelSize", value);
}

/** What an architecture field allows, in words. */
export function describeArch(field: ArchField): string {
  const base = describeLimit("modelSize");
  return ARCH_ZERO_ALLOWED.includes(field) ? `0 or ${base}` : base;
}

/** Catalog regions and pricing kinds: what the price catalog knows. */
export const REGIONS = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.region)))].sort();
export const PRICINGS = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.pricing)))];
const CHIP_IDS = catalogChips.map((c) => c.id);

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

/** "a:1,b:2" -> [["a", "1"], ["b", "2"]]. */
function decodePairs(text: string): [string, string][] {
  return text
    .split(",")
    .filter((item) => item !== "")
    .map((item) => {
      const i = item.indexOf(":");
      return i < 0 ? [item, ""] : [item.slice(0, i), item.slice(i + 1)];
    });
}

function encodeMap(map: Record<string, number | boolean>): string {
  return Object.entries(map)
    .map(([k, v]) => `${k}:${v}`)
    .join(",");
}

/** Chips whose catalog TDP is an assumption (the vendor publishes none): the ones the page lets you set. */
export const TDP_ASSUMED_IDS = catalogChips.filter((c) => c.tdpAssumed).map((c) => c.id);

/** The query string for `state` (without "?"); defaults are left out. */
export function encodeState(state: AppState): string {
  const params = new URLSearchParams();
  if (state.model !== DEFAULT_STATE.model) params.set("model", state.model);
  const arch = encodeMap({ ...state.arch, ...state.archFlags });
  if (arch) params.set("arch", arch);
  for (const key of NUMBER_KEYS) {
    const v = state[key];
    if (v !== DEFAULT_STATE[key]) params.set(key, v === null ? "" : String(v));
  }
  if (state.precision !== DEFAULT_STATE.precision) params.set("precision", state.precision);
  if (state.chipIds.length > 0) params.set("chips", state.chipIds.join(","));
  if (state.pricing !== DEFAULT_STATE.pricing) params.set("pricing", state.pricing);
  if (state.region) params.set("region", state.region);
  const prices = encodeMap(state.prices);
  if (prices) params.set("prices", prices);
  if (state.checkpoint !== DEFAULT_STATE.checkpoint) params.set("checkpoint", state.checkpoint);
  const tdp = encodeMap(state.tdpW);
  if (tdp) params.set("tdp", tdp);
  for (const d of TEXT_DIMENSIONS) if (state.constraints[d]) params.set(d, state.constraints[d]);
  if (state.framework) params.set("framework", state.framework);
  if (state.selected) params.set("selected", state.selected);
  if (state.planRank > 0) params.set("planRank", String(state.planRank));
  if (state.layout) params.set("layout", state.layout);
  return params.toString();
}

/** A link's state, and what in it was ignored (with why), to show the user. */
export interface DecodedState {
  state: AppState;
  ignored: string[];
}

const has = (list: readonly string[], v: string) => list.includes(v);

/**
 * The state a query string describes. Every value is checked as the form checks it, against the
 * CLI's limits and the catalog's names (never looked up as an object key, so `__proto__` is just an
 * unknown name); what fails is left at its default and listed in `ignored`.
 */
export function decodeState(query: string): DecodedState {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const state: AppState = {
    ...DEFAULT_STATE,
    arch: {},
    archFlags: {},
    chipIds: [],
    prices: {},
    tdpW: {},
    constraints: {},
  };
  const ignored: string[] = [];
  const ignore = (name: string, value: string, why: string) =>
    ignored.push(`${name}=${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}: ${why}`);
  const text = (name: string) => params.get(name);

  const model = text("model");
  if (model !== null) {
    if (modelPresets.some((p) => p.id === model)) state.model = model;
    else ignore("model", model, "not a model preset");
  }
  decodeArch(text("arch") ?? "", state, ignore);
  for (const key of NUMBER_KEYS) {
    const t = text(key);
    if (t === null) continue;
    if (t === "" && NUMBER_FIELDS[key].optional) {
      (state[key] as number | null) = null;
      continue;
    }
    const n = Number(t);
    if (t.trim() !== "" && fieldValueOk(key, n)) (state[key] as number | null) = n;
    else ignore(key, t, describeField(key));
  }
  const precision = text("precision");
  if (precision !== null) {
    if (has(PRECISION_CHOICES, precision)) state.precision = precision as PrecisionChoice;
    else ignore("precision", precision, `one of ${PRECISION_CHOICES.join(", ")}`);
  }
  const chips = text("chips");
  if (chips) {
    const ids = chips.split(",").filter((c) => c.length > 0);
    for (const id of ids) if (!has(CHIP_IDS, id)) ignore("chips", id, "not a catalog chip");
    const known = [...new Set(ids.filter((id) => has(CHIP_IDS, id)))];
    state.chipIds = known.length === CHIP_IDS.length ? [] : known;
  }
  const pricing = text("pricing");
  if (pricing !== null) {
    if (has(PRICINGS, pricing)) state.pricing = pricing;
    else ignore("pricing", pricing, `one of ${PRICINGS.join(", ")}`);
  }
  const region = text("region");
  if (region) {
    if (has(REGIONS, region)) state.region = region;
    else ignore("region", region, "not a price region of the catalog");
  }
  state.prices = decodeChipMap(text("prices") ?? "", "prices", CHIP_IDS, "usdPerChipHour", ignore);
  state.tdpW = decodeChipMap(text("tdp") ?? "", "tdp", TDP_ASSUMED_IDS, "tdpW", ignore);
  const checkpoint = text("checkpoint");
  if (checkpoint !== null) {
    if (isCheckpointMode(checkpoint)) state.checkpoint = checkpoint;
    else ignore("checkpoint", checkpoint, CHECKPOINT_MODES.join(" or "));
  }
  for (const d of TEXT_DIMENSIONS) {
    const t = text(d);
    if (t === null || t.trim() === "") continue;
    const read = readConstraint(d, t);
    if (read.ok) state.constraints[d] = read.text;
    else ignore(d, t, read.allowed);
  }
  const framework = text("framework");
  if (framework) {
    if (has(FRAMEWORKS, framework)) state.framework = framework as Framework;
    else ignore("framework", framework, `one of ${FRAMEWORKS.join(", ")}`);
  }
  const selected = text("selected");
  if (selected) {
    if (has(CHIP_IDS, selected)) state.selected = selected;
    else ignore("selected", selected, "not a catalog chip");
  }
  const rank = text("planRank");
  if (rank !== null) {
    const n = Number(rank);
    if (Number.isInteger(n) && n >= 0 && n < TOP_PLANS) state.planRank = n;
    else ignore("planRank", rank, `a whole number from 0 to ${TOP_PLANS - 1}`);
  }
  state.layout = (text("layout") ?? "").slice(0, 200);
  return { state, ignored };
}

/**
 * One constraint's text checked as the CLI checks its flag, and written back as the CLI's vocabulary
 * has it ("zero 1" becomes "zero1"); else what it allows.
 */
export function readConstraint(
  d: TextDimension,
  text: string,
): { ok: true; text: string } | { ok: false; allowed: string } {
  try {
    const parsed = parseConstraintTexts({ [d]: text });
    return { ok: true, text: constraintText(parsed?.[d]) };
  } catch (e) {
    return { ok: false, allowed: (e as { allowed?: string }).allowed ?? (e as Error).message };
  }
}

/** How many of each chip's best plans the page keeps (and can open). */
export const TOP_PLANS = 5;

function decodeArch(
  text: string,
  state: AppState,
  ignore: (n: string, v: string, why: string) => void,
): void {
  for (const [key, value] of decodePairs(text)) {
    if (has(ARCH_FLAGS, key)) {
      if (value === "true" || value === "false") state.archFlags[key as ArchFlag] = value === "true";
      else ignore(`arch ${key}`, value, "true or false");
      continue;
    }
    if (!has(ARCH_FIELDS, key)) {
      ignore("arch", key, `not an architecture field (${[...ARCH_FIELDS, ...ARCH_FLAGS].join(", ")})`);
      continue;
    }
    const n = Number(value);
    if (value !== "" && archValueOk(key as ArchField, n)) state.arch[key as ArchField] = n;
    else ignore(`arch ${key}`, value, describeArch(key as ArchField));
  }
}

function decodeChipMap(
  text: string,
  name: string,
  ids: readonly string[],
  limit: LimitKey,
  ignore: (n: string, v: string, why: string) => void,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, value] of decodePairs(text)) {
    const n = Number(value);
    if (!has(ids, id)) ignore(name, id, `not one of ${ids.join(", ")}`);
    else if (value === "" || !withinLimit(limit, n)) ignore(`${name} ${id}`, value, describeLimit(limit));
    else out[id] = n;
  }
  return out;
}

/** The preset's value of an architecture field ("moe.experts"), or null where the preset has none. */
export function presetArchValue(model: ModelPreset["model"], field: ArchField): number | null {
  const [group, key] = field.split(".");
  const holder = (key === undefined ? model : model[group as "moe" | "mla"]) as Record<
    string,
    unknown
  > | null;
  const v = holder?.[key ?? group];
  return typeof v === "number" ? v : null;
}
