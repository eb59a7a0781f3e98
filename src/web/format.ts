/**
 * How the page writes numbers and plans. Not src/report/format.ts: the page prints "—" for a
 * missing value (the CLI prints "n/a"), groups thousands ("1,024.0") and always shows the digits
 * asked for. Nor does its rounding match the CLI's: toLocaleString rounds the shortest decimal form
 * (0.15 -> "0.2") where the CLI's toFixed rounds the binary value ("0.1"). The browser tests and
 * users see these strings, so they stay the page's own.
 */

import { planLabel } from "../report/planLabel.js";
import type { Row } from "./engine.js";

type Num = number | null | undefined;

/** A number with exactly `digits` decimals and thousands separators; "—" when missing or not finite. */
export const fmt = (n: Num, digits = 1) =>
  n === null || n === undefined || !Number.isFinite(n)
    ? "—"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** US dollars in millions: "$12.35M". */
export const usd = (n: number | null) => (n === null ? "—" : `$${fmt(n / 1e6, 2)}M`);

/** US dollars with cents, for rates ($/chip-hour, $/M tokens): "$2.50". */
export const dollars = (n: number | null) => (n === null ? "—" : `$${fmt(n, 2)}`);

/** A fraction as a percentage: 0.423 -> "42.3%". */
export const pct = (n: number | null) => (n === null ? "—" : `${fmt(n * 100, 1)}%`);

/** Bytes in GiB, the unit HBM sizes are quoted in. */
export const gib = (bytes: number, digits: number) => fmt(bytes / 2 ** 30, digits);

/** A row's plan in one line, as the CLI names it (report/planLabel.ts); "—" with no plan. */
export function planText(r: Row): string {
  return r.plan ? planLabel(r.plan.parallelism) : "—";
}
