import { InputError } from "../errors.js";

/** Decimal multipliers for count suffixes: 16M tokens, 15T tokens, 70B params. */
const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

const COUNT_RE = /^([0-9][0-9_]*(?:\.[0-9_]+)?|\.[0-9_]+)(?:e([+-]?[0-9]+))?\s*([kmbgt])?$/i;

export interface CountOptions {
  /** Field name used in error messages. */
  field?: string;
  /** "positive" rejects zero (default); "nonnegative" accepts it. */
  sign?: "positive" | "nonnegative";
  /** Require a whole number after applying the suffix (e.g. chips, batch sizes). */
  integer?: boolean;
}

const COUNT_ALLOWED =
  "a number such as 2048, 2_048, 1e12, 16M, 70B or 15T (suffixes k, M, B/G, T are decimal)";

/**
 * Parses a human count: "16M" -> 16e6, "1.5k" -> 1500, "2_048" -> 2048, "1e12". Numbers pass
 * through. Throws an InputError naming `field` for junk, NaN/Infinity, negatives, or zero when
 * a positive value is required.
 */
export function parseCount(input: string | number, opts: CountOptions = {}): number {
  const field = opts.field ?? "count";
  const sign = opts.sign ?? "positive";
  const value = typeof input === "number" ? input : parseCountText(input, field);
  const allowed = describeCountAllowed(sign, opts.integer);
  if (!Number.isFinite(value)) throw new InputError({ field, value: input, allowed });
  if (value < 0 || (sign === "positive" && value === 0))
    throw new InputError({ field, value: input, allowed });
  if (opts.integer && !Number.isInteger(value)) throw new InputError({ field, value: input, allowed });
  // Past 2^53 a double no longer holds every whole number: "9007199254740993" would silently become ...992.
  if (opts.integer && !Number.isSafeInteger(value)) {
    throw new InputError({
      field,
      value: input,
      allowed: `a whole number up to 2^53 - 1 (${Number.MAX_SAFE_INTEGER})`,
    });
  }
  return value;
}

function describeCountAllowed(sign: "positive" | "nonnegative", integer?: boolean): string {
  const kind = integer ? "whole number" : "number";
  return `${sign === "positive" ? "a positive" : "a non-negative"} ${kind}, e.g. 2048, 2_048, 1e12, 16M, 70B or 15T`;
}

function parseCountText(text: string, field: string): number {
  const t = text.trim();
  const m = COUNT_RE.exec(t);
  if (!m || /_$|^_|__/.test(m[1])) {
    const neg = t.startsWith("-") && COUNT_RE.test(t.slice(1));
    throw new InputError({ field, value: text, allowed: neg ? "a positive number" : COUNT_ALLOWED });
  }
  const mantissa = Number(m[1].replaceAll("_", ""));
  const exp = m[2] ? 10 ** Number(m[2]) : 1;
  const mult = m[3] ? SUFFIX[m[3].toLowerCase()] : 1;
  // Multiply the exact integer mantissa first so "16M" is exactly 16000000.
  return mantissa * exp * mult;
}

export interface Range {
  min: number;
  max: number;
}

/** Parses "1024..16384" (or a single value "4096" -> {min: 4096, max: 4096}). */
export function parseRange(input: string, opts: CountOptions = {}): Range {
  const field = opts.field ?? "range";
  const parts = input.split("..");
  if (parts.length > 2 || parts.some((p) => p.trim() === "")) {
    throw new InputError({
      field,
      value: input,
      allowed: "a range MIN..MAX such as 1024..16384, or one value",
    });
  }
  const min = parseCount(parts[0], { ...opts, field });
  const max = parts.length === 2 ? parseCount(parts[1], { ...opts, field }) : min;
  if (min > max) {
    throw new InputError({ field, value: input, allowed: "a range MIN..MAX with MIN not above MAX" });
  }
  return { min, max };
}
