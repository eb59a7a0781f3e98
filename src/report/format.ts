/**
 * Number formatting for reports. Every formatter prints "n/a" for null, undefined, NaN or
 * ±Infinity, so no report ever shows "NaN" or "Infinity".
 */

export const NA = "n/a";

type Num = number | null | undefined;

function finite(x: Num): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** Fixed decimals for small magnitudes, fewer for large ones: 1.23, 12.3, 123. */
function sig(x: number, digits = 3): string {
  const a = Math.abs(x);
  if (a === 0) return "0";
  const decimals = a >= 100 ? 0 : a >= 10 ? Math.max(0, digits - 2) : Math.max(0, digits - 1);
  return x.toFixed(decimals);
}

/** Bytes in binary units; memory reports are in GiB because HBM sizes are quoted in GiB. */
export function formatBytes(bytes: Num): string {
  if (!finite(bytes)) return NA;
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? String(Math.round(v)) : sig(v)} ${units[i]}`;
}

/** Bytes always in GiB with fixed decimals (for aligned memory tables). */
export function formatGiB(bytes: Num, decimals = 1): string {
  if (!finite(bytes)) return NA;
  return `${(bytes / 1024 ** 3).toFixed(decimals)} GiB`;
}

/** Durations: ms under 1 s, s under 2 min, min under 2 h, h under 2 days, then days (or years). */
export function formatSeconds(seconds: Num): string {
  if (!finite(seconds)) return NA;
  const s = seconds;
  const a = Math.abs(s);
  if (a < 1) return `${sig(s * 1000)} ms`;
  if (a < 120) return `${sig(s)} s`;
  if (a < 7200) return `${sig(s / 60)} min`;
  if (a < 2 * 86400) return `${sig(s / 3600)} h`;
  if (a < 730 * 86400) return `${sig(s / 86400)} days`;
  return `${sig(s / (365.25 * 86400))} years`;
}

/** Counts with decimal suffixes: 1.50k, 16.0M, 70.6B, 15.0T. */
export function formatCount(n: Num): string {
  if (!finite(n)) return NA;
  const a = Math.abs(n);
  const steps: [number, string][] = [
    [1e15, "P"],
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [div, suffix] of steps) {
    if (a >= div) return `${sig(n / div)}${suffix}`;
  }
  return Number.isInteger(n) ? String(n) : sig(n);
}

/** A fraction as a percentage: 0.423 -> "42.3%". */
export function formatPercent(fraction: Num, decimals = 1): string {
  if (!finite(fraction)) return NA;
  return `${(fraction * 100).toFixed(decimals)}%`;
}

/** US dollars with thousands separators; cents only below $100. Large sums get M/B suffixes. */
export function formatUsd(usd: Num): string {
  if (!finite(usd)) return NA;
  const a = Math.abs(usd);
  const sign = usd < 0 ? "-" : "";
  if (a >= 1e9) return `${sign}$${sig(a / 1e9)}B`;
  if (a >= 1e6) return `${sign}$${sig(a / 1e6)}M`;
  const decimals = a < 100 ? 2 : 0;
  return `${sign}$${a.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
}

/** A plain number with fixed decimals, "n/a" when not finite. */
export function formatNumber(x: Num, decimals = 2): string {
  if (!finite(x)) return NA;
  return x.toFixed(decimals);
}

/**
 * Throws if any number anywhere inside `value` is NaN or ±Infinity, naming its path. The CLI
 * calls this before printing JSON, because JSON.stringify silently turns NaN into null.
 */
export function assertFinite(value: unknown, path = "result"): void {
  const bad = findNonFinite(value, path, new Set());
  if (bad) throw new Error(`Internal error: ${bad.path} is ${bad.value}, expected a finite number`);
}

function findNonFinite(
  value: unknown,
  path: string,
  seen: Set<object>,
): { path: string; value: number } | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { path, value };
  if (value === null || typeof value !== "object") return undefined;
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const r = findNonFinite(value[i], `${path}[${i}]`, seen);
      if (r) return r;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const r = findNonFinite(v, `${path}.${k}`, seen);
    if (r) return r;
  }
  return undefined;
}
