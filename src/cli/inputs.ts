import { basename } from "node:path";
import type { GoodputOverrides } from "../compare/economics.js";
import { economics } from "../cost/assumptions.js";
import { carbonRegions } from "../cost/carbon.js";
import { CHECKPOINT_MODES, isCheckpointMode } from "../cost/checkpoint.js";
import { type PriceOverrides, parsePriceOverrides } from "../cost/pricing.js";
import { InputError, inputErrorFromZod, suggest } from "../errors.js";
import { chipIds, findChip, instances } from "../hardware/catalog.js";
import { checkRetiredProfileFileKeys, type ProfileFile, ProfileFileSchema } from "../hardware/profile.js";
import type { Chip } from "../hardware/schema.js";
import { checkLimit, INPUT_LIMITS, type LimitKey } from "../plan/inputLimits.js";
import type { Precision } from "../plan/schema.js";
import { PRECISION_CHOICES, PrecisionChoiceSchema } from "../plan/spelling.js";
import { modelFromValue } from "../scenario/modelValue.js";
import { parseScenarioText } from "../scenario/readText.js";
import { suggestChipIds } from "../scenario/resolveNames.js";
import { parseCount } from "../util/units.js";
import { isHuggingFaceConfig } from "../workload/huggingFace.js";
import { findModelPreset, modelPresetIds, suggestModelPresets } from "../workload/presets.js";
import type { Model } from "../workload/schema.js";
import { readInputFile } from "./io.js";

// Command-line values shared by plan, compare and capacity.

/** Largest token count, budget and deal length accepted (src/plan/inputLimits.ts, shared with the web app). */
const MAX_TOKENS = INPUT_LIMITS.tokens.max;
const MAX_BUDGET_USD = INPUT_LIMITS.budgetUsd.max;
const MAX_YEARS = INPUT_LIMITS.years.max;

/** A model preset id or a YAML/JSON file holding a model; returns the model, a label and what reading it assumed. */
export async function resolveModelArg(
  value: string,
  flag = "--model",
): Promise<{ model: Model; name: string; notes: string[] }> {
  const preset = findModelPreset(value);
  if (preset) return { model: preset.model, name: preset.id, notes: [] };
  if (!/\.(ya?ml|json)$/i.test(value)) {
    throw new InputError({
      field: flag,
      value,
      allowed: `a model preset (${modelPresetIds().join(", ")}), a Hugging Face id of one, or a .yaml/.json model file (trainplan's fields or a Hugging Face config.json)`,
      suggestion: suggestModelPresets(value),
    });
  }
  return readModelFile(value, flag);
}

/**
 * A model file: trainplan's model fields (bare or under `model:`) or a Hugging Face config.json.
 * The notes give its parameter counts and every guess made in reading it.
 */
export async function readModelFile(
  path: string,
  flag: string,
): Promise<{ model: Model; name: string; notes: string[] }> {
  const raw = parseScenarioText(await readInputFile(path, `${flag} file`), path);
  const wrapped = raw !== null && typeof raw === "object" && "model" in raw && !isHuggingFaceConfig(raw);
  const body = wrapped ? (raw as { model: unknown }).model : raw;
  const name = basename(path);
  return { ...modelFromValue(body, name), name };
}

function chipOrThrow(id: string, flag: string, what = "chip ids"): Chip {
  const chip = findChip(id);
  if (!chip) {
    throw new InputError({
      field: flag,
      value: id,
      allowed: `${what}: ${chipIds().join(", ")}`,
      suggestion: suggestChipIds(id),
    });
  }
  return chip;
}

/** Chips by id or alias, each once: `h100,H100,h100-sxm` is one chip. */
export function parseChipList(text: string, flag = "--chip"): Chip[] {
  const chips = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((id) => chipOrThrow(id, flag, "chip ids separated by commas"));
  if (chips.length === 0) {
    throw new InputError({
      field: flag,
      value: text,
      allowed: `one or more chip ids separated by commas: ${chipIds().join(", ")}`,
    });
  }
  return [...new Map(chips.map((c) => [c.id, c])).values()];
}

/**
 * A --price names chips in the comparison: a price for a chip not compared (a typo of the chip, or a
 * forgotten --chip) would otherwise be ignored without a word.
 */
export function checkPricesCompared(
  prices: PriceOverrides | undefined,
  chips: readonly Chip[] | undefined,
): void {
  if (prices === undefined || chips === undefined) return;
  const compared = new Set(chips.map((c) => c.id));
  const instanceChip = (id: string) => instances.find((i) => i.id === id)?.chipId ?? id;
  const priced = [
    ...Object.keys(prices.chips).map((id) => ({ chip: id, given: `${id}=${prices.chips[id]}` })),
    ...Object.keys(prices.instances).map((id) => ({
      chip: instanceChip(id),
      given: `instance:${id}=${prices.instances[id]}`,
    })),
  ];
  const stray = priced.find((p) => !compared.has(p.chip));
  if (stray === undefined) return;
  throw new InputError({
    field: "--price",
    value: stray.given,
    allowed: `prices for the chips compared (${[...compared].join(", ")}); ${stray.chip} is not among --chip: add it there or drop its price`,
  });
}

/**
 * A whole number from 1 to `max` (a size cap from plan/limits.ts): `--top 1e9` or `--global-batch
 * 1e20` are refused here, not turned into a huge allocation or a step of billions of years.
 */
export function parseBoundedCount(text: string, flag: string, max: number, what: string): number {
  const n = parseCount(text, { field: flag, integer: true });
  if (n > max) {
    throw new InputError({
      field: flag,
      value: text,
      allowed: `${what} from 1 to ${max.toLocaleString("en-US")}`,
    });
  }
  return n;
}

/**
 * A library refusal names its own field ("startYear"); the CLI names the flag that set it
 * ("--start-year"), keeping the rest of the message.
 */
export function withFlagNames<T>(flags: Record<string, string>, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof InputError && Object.hasOwn(flags, e.field)) {
      throw new InputError({
        field: flags[e.field],
        value: e.value,
        allowed: e.allowed,
        suggestion: e.suggestion,
      });
    }
    throw e;
  }
}

/** "$38B", "38e9", "500M" as dollars, at most MAX_BUDGET_USD. */
export function parseUsd(text: string, flag: string): number {
  const usd = parseCount(text.trim().replace(/^\$/, ""), { field: flag });
  if (usd > MAX_BUDGET_USD) {
    throw new InputError({ field: flag, value: text, allowed: "a USD amount up to 10T (1e13)" });
  }
  return usd;
}

/** "15T", "1.5e13" tokens, at most MAX_TOKENS. */
export function parseTokens(text: string, flag = "--tokens"): number {
  const tokens = parseCount(text, { field: flag });
  if (tokens > MAX_TOKENS) {
    throw new InputError({ field: flag, value: text, allowed: "a token count up to 1e17 (100,000T)" });
  }
  return tokens;
}

/** A whole number of years from 1 to MAX_YEARS. */
export function parseYears(text: string, flag = "--years"): number {
  const years = parseCount(text, { field: flag, integer: true });
  if (years > MAX_YEARS) {
    throw new InputError({
      field: flag,
      value: text,
      allowed: `a whole number of years from 1 to ${MAX_YEARS}`,
    });
  }
  return years;
}

/** A plain decimal number (1.97e-5, 600, 1.2) within its limit (src/plan/inputLimits.ts). */
function parseNumber(text: string, flag: string, key: LimitKey): number {
  return checkLimit(key, text.trim() === "" ? Number.NaN : Number(text.trim()), flag, text);
}

/** `value` if it is one of the catalog's `kinds` (pricing kinds, regions), else an InputError naming `flag`. */
function checkCatalogValue(value: string | undefined, flag: string, kinds: string[]): string | undefined {
  if (value === undefined || kinds.includes(value)) return value;
  throw new InputError({
    field: flag,
    value,
    allowed: `one of ${kinds.join(", ")}`,
    suggestion: suggest(value, kinds),
  });
}

export function checkPricing(value: string | undefined): string | undefined {
  const kinds = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.pricing)))].sort();
  return checkCatalogValue(value, "--pricing", kinds);
}

export function checkRegion(value: string | undefined): string | undefined {
  const regions = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.region)))].sort();
  return checkCatalogValue(value, "--region", regions);
}

/** Instance ids as users type them: "p5.48xlarge" for the catalog's "aws:p5.48xlarge". */
function shortInstanceIds(): string[] {
  return instances.map((i) => i.id.replace(/^[a-z]+:/, "")).sort();
}

/** The catalog instance a user id names (as pricing.ts matches it), or null. */
function findInstanceId(id: string): string | null {
  return instances.find((i) => i.id === id || i.id.endsWith(`:${id}`))?.id ?? null;
}

/**
 * `--price h100=2.5,instance:p5.48xlarge=55`: chip ids (or aliases) must name catalog chips and
 * instance ids catalog instances; two entries for the same chip or instance with different prices
 * (h100=2,h100-sxm=3) are rejected rather than one kept silently.
 */
export function parsePrices(text: string | undefined, flag = "--price"): PriceOverrides | undefined {
  if (text === undefined) return undefined;
  let parsed: PriceOverrides;
  try {
    parsed = parsePriceOverrides(text);
  } catch (e) {
    if (e instanceof InputError)
      throw new InputError({ field: `${flag} (${e.field})`, value: e.value, allowed: e.allowed });
    throw e;
  }
  const out: PriceOverrides = { chips: {}, instances: {} };
  const conflict = (what: string, a: number, b: number) =>
    new InputError({
      field: flag,
      value: text,
      allowed: `one price per chip or instance (${what} is given both ${a} and ${b})`,
    });
  for (const [id, usd] of Object.entries(parsed.chips)) {
    // Aliases ("H100") are keyed on the catalog id.
    const chip = chipOrThrow(id, flag);
    const prev = out.chips[chip.id];
    if (prev !== undefined && prev !== usd) throw conflict(chip.id, prev, usd);
    out.chips[chip.id] = usd;
  }
  for (const [id, usd] of Object.entries(parsed.instances)) {
    const full = findInstanceId(id);
    if (full === null) {
      throw new InputError({
        field: flag,
        value: `instance:${id}`,
        allowed: `catalog instance ids: ${shortInstanceIds().join(", ")}`,
        suggestion: suggest(id, shortInstanceIds()),
      });
    }
    const prev = out.instances[full];
    if (prev !== undefined && prev !== usd) throw conflict(full, prev, usd);
    out.instances[full] = usd;
  }
  return out;
}

export function parsePrecision(value: string | undefined): Precision | "auto" | undefined {
  if (value === undefined) return undefined;
  const parsed = PrecisionChoiceSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InputError({ field: "--precision", value, allowed: `one of ${PRECISION_CHOICES.join(", ")}` });
}

/** The goodput flags shared by compare and capacity (each overrides one default in data/economics.json). */
export const goodputOptions = {
  "failure-rate": { type: "string" },
  "restart-seconds": { type: "string" },
  checkpoint: { type: "string" },
  "storage-gbps": { type: "string" },
} as const;

/** The energy and carbon flags of compare. */
export const energyOptions = {
  "grid-gco2": { type: "string" },
  pue: { type: "string" },
  tdp: { type: "string" },
} as const;

export const goodputUsage = `  --failure-rate R       interruptions per chip-hour (default 1.973e-5, Llama 3 on H100),
                         or a preset: ${Object.keys(economics.failureRates).join(", ")}
  --restart-seconds S    time to detect, reschedule and reload after a failure (default 600)
  --checkpoint MODE      sync (default) or async checkpoint writes
  --storage-gbps G       checkpoint write GB/s per node (default 5)`;

export const energyUsage = `  --grid-gco2 G          grid intensity, gCO2e/kWh (default: the region's, else us-east-1)
  --pue P                power usage effectiveness, 1 to 3 (default 1.15)
  --tdp CHIP=W,...       chip power in watts, e.g. trn2=500 (Trainium's is an assumption)`;

type Values = Record<string, unknown>;

function optional(v: Values, key: string): string | undefined {
  return typeof v[key] === "string" ? (v[key] as string) : undefined;
}

/** GoodputOverrides from --failure-rate, --restart-seconds, --checkpoint, --storage-gbps. */
export function parseGoodputFlags(v: Values): GoodputOverrides {
  const out: GoodputOverrides = {};
  const rate = optional(v, "failure-rate");
  if (rate !== undefined) {
    if (Object.hasOwn(economics.failureRates, rate)) out.failureRate = rate;
    else if (Number.isFinite(Number(rate)) && rate.trim() !== "") {
      out.failuresPerChipHour = parseNumber(rate, "--failure-rate", "failuresPerChipHour");
    } else {
      const presets = Object.keys(economics.failureRates);
      throw new InputError({
        field: "--failure-rate",
        value: rate,
        allowed: `interruptions per chip-hour (e.g. 2e-5) or one of ${presets.join(", ")}`,
        suggestion: suggest(rate, presets),
      });
    }
  }
  const restart = optional(v, "restart-seconds");
  if (restart !== undefined) out.restartSeconds = parseNumber(restart, "--restart-seconds", "restartSeconds");
  const mode = optional(v, "checkpoint");
  if (mode !== undefined) {
    if (!isCheckpointMode(mode)) {
      throw new InputError({ field: "--checkpoint", value: mode, allowed: CHECKPOINT_MODES.join(" or ") });
    }
    out.checkpointMode = mode;
  }
  const storage = optional(v, "storage-gbps");
  if (storage !== undefined)
    out.storageWriteGBpsPerNode = parseNumber(storage, "--storage-gbps", "storageGBpsPerNode");
  return out;
}

/** "trn2=500,trn3=1000" as watts by catalog chip id; a chip given twice must have one value. */
function parseTdp(text: string, flag = "--tdp"): Record<string, number> {
  const out: Record<string, number> = {};
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    if (eq <= 0) throw new InputError({ field: flag, value: item, allowed: "CHIP=WATTS, e.g. trn2=500" });
    const chip = chipOrThrow(item.slice(0, eq).trim(), flag);
    const watts = parseNumber(item.slice(eq + 1), `${flag} ${chip.id}`, "tdpW");
    if (out[chip.id] !== undefined && out[chip.id] !== watts) {
      throw new InputError({
        field: flag,
        value: text,
        allowed: `one power per chip (${chip.id} is given both ${out[chip.id]} and ${watts})`,
      });
    }
    out[chip.id] = watts;
  }
  return out;
}

/** Energy and carbon overrides from --grid-gco2, --pue, --tdp. */
export function parseEnergyFlags(v: Values): {
  gCO2PerKWh?: number;
  pue?: number;
  tdpW?: Record<string, number>;
} {
  const out: { gCO2PerKWh?: number; pue?: number; tdpW?: Record<string, number> } = {};
  const grid = optional(v, "grid-gco2");
  if (grid !== undefined) {
    try {
      out.gCO2PerKWh = parseNumber(grid, "--grid-gco2", "gCO2PerKWh");
    } catch (e) {
      const allowed = `${(e as InputError).allowed} (or --region with a stored grid: ${carbonRegions().join(", ")})`;
      throw new InputError({ field: "--grid-gco2", value: grid, allowed });
    }
  }
  const pue = optional(v, "pue");
  if (pue !== undefined) out.pue = parseNumber(pue, "--pue", "pue");
  const tdp = optional(v, "tdp");
  if (tdp !== undefined) out.tdpW = parseTdp(tdp);
  return out;
}

/** A profile file (from `trainplan calibrate --out FILE`) to use instead of the shipped one. */
export async function readProfiles(path: string): Promise<ProfileFile> {
  const raw = parseScenarioText(await readInputFile(path, "--profiles"), path);
  checkRetiredProfileFileKeys(raw, `--profiles ${basename(path)}`);
  const parsed = ProfileFileSchema.safeParse(raw);
  if (!parsed.success)
    throw inputErrorFromZod(parsed.error, raw, `--profiles ${basename(path)}`, ProfileFileSchema);
  return parsed.data;
}
