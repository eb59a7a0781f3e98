/**
 * The range of every number a user sets for a run, once: the CLI's flags and the web app's fields
 * check against these, so a value one face refuses the other refuses too, in the same words.
 */
import { InputError } from "../errors.js";

export interface Limit {
  /** Least value allowed; with `aboveMin` the value must be strictly greater. */
  min: number;
  aboveMin?: boolean;
  max: number;
  integer?: boolean;
  /** The unit, as the message names it. */
  unit: string;
}

/** Largest chip count searched: searchPlans looks for a fitting count up to 2^20. */
export const MAX_CHIPS = 1 << 20;

export const INPUT_LIMITS = {
  /** 1e17 tokens (100 quadrillion); reports switch to exponent form past 1e21. */
  tokens: { min: 0, aboveMin: true, max: 1e17, unit: "tokens" },
  seqLen: { min: 1, max: 1 << 20, integer: true, unit: "tokens per sequence" },
  globalBatch: { min: 1, max: 1 << 24, integer: true, unit: "sequences" },
  chips: { min: 1, max: MAX_CHIPS, integer: true, unit: "chips" },
  deadlineDays: { min: 0, aboveMin: true, max: 36_500, unit: "days" },
  /** $10 trillion, beyond any compute deal (the largest published is $38B). */
  budgetUsd: { min: 0, aboveMin: true, max: 1e13, unit: "USD" },
  years: { min: 1, max: 30, integer: true, unit: "years" },
  usdPerChipHour: { min: 0, aboveMin: true, max: 10_000, unit: "USD per chip-hour" },
  failuresPerChipHour: { min: 1e-12, max: 1, unit: "interruptions per chip-hour" },
  restartSeconds: { min: 0, max: 86_400, unit: "seconds" },
  storageGBpsPerNode: { min: 0.001, max: 10_000, unit: "GB/s per node" },
  pue: { min: 1, max: 3, unit: "(facility kWh / IT kWh)" },
  gCO2PerKWh: { min: 0, max: 2000, unit: "gCO2e/kWh" },
  tdpW: { min: 1, max: 10_000, unit: "W" },
  priceDeclinePct: { min: 0, max: 99, unit: "percent per year" },
  /** Architecture sizes: layers, widths, heads, experts. */
  modelSize: { min: 1, max: 1 << 24, integer: true, unit: "" },
} as const satisfies Record<string, Limit>;
export type LimitKey = keyof typeof INPUT_LIMITS;

/** "a number from 1 to 3 (facility kWh / IT kWh)", "a whole number from 1 to 30 years". */
export function describeLimit(key: LimitKey): string {
  const n = (x: number) => (x >= 1e4 ? x.toLocaleString("en-US") : String(x));
  const l: Limit = INPUT_LIMITS[key];
  const kind = l.integer ? "a whole number" : "a number";
  const range = l.aboveMin ? `above ${n(l.min)} and up to ${n(l.max)}` : `from ${n(l.min)} to ${n(l.max)}`;
  return `${kind} ${range}${l.unit ? ` ${l.unit}` : ""}`;
}

/** Whether `value` is within the limit. */
export function withinLimit(key: LimitKey, value: number): boolean {
  const l: Limit = INPUT_LIMITS[key];
  if (!Number.isFinite(value)) return false;
  if (l.integer && !Number.isInteger(value)) return false;
  if (l.aboveMin ? value <= l.min : value < l.min) return false;
  return value <= l.max;
}

/** `value` when within the limit, else one InputError naming `field`, the value and the range. */
export function checkLimit(key: LimitKey, value: number, field: string, shown: unknown = value): number {
  if (!withinLimit(key, value)) throw new InputError({ field, value: shown, allowed: describeLimit(key) });
  return value;
}

/**
 * A field's text read as a number within its limit: null when blank, else the number or an error
 * message (the InputError's text) to show beside the field. Plain decimal only, as a number field holds.
 */
export function readLimited(
  key: LimitKey,
  text: string,
  field: string,
): { value: number | null; error: string | null } {
  if (text.trim() === "") return { value: null, error: null };
  const n = Number(text.trim());
  if (withinLimit(key, n)) return { value: n, error: null };
  return { value: null, error: new InputError({ field, value: text, allowed: describeLimit(key) }).message };
}
