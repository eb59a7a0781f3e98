import type { BreakEvenOutcome } from "../compare/breakEven.js";
import { formatNumber, formatPercent } from "./format.js";
import type { Column } from "./table.js";

/** Break-even and vendor-claim sections of a comparison, as table columns and cells (CLI and web alike). */

/** Said until the engine states an error band on its throughput. */
/** Said when the ranges include both chips' 80% throughput error bands. */
export const BANDED = "ranges: over both chips' 80% throughput error bands, taken as independent";

export const BAND_NOT_YET =
  "error band: not yet available (the engine states no band on its throughput yet); point values shown";

export const BREAK_EVEN_COLUMNS: Column[] = [
  { header: "chip" },
  { header: "against" },
  { header: "break-even $/chip-h", align: "right" },
  { header: "x against's price", align: "right" },
  { header: "cost today vs against", align: "right" },
  { header: "MFU predicted", align: "right" },
  { header: "MFU needed at today's price", align: "right" },
  { header: "note" },
];

const range = (r: { low: number; high: number } | null | undefined, f: (x: number) => string) =>
  r ? ` (${f(r.low)}-${f(r.high)})` : "";

/** One row of the break-even table; a band, when given, follows each figure as its range. */
export function breakEvenCells(o: BreakEvenOutcome): string[] {
  if (o.kind === "no-plan") return [o.chip, o.against, "-", "-", "-", "-", "-", o.reason];
  const usd = (x: number) => `$${formatNumber(x, 2)}`;
  const times = (x: number) => `${formatNumber(x, 3)}x`;
  return [
    o.chip,
    o.against,
    o.usdPerChipHour === null ? "needs a price" : usd(o.usdPerChipHour) + range(o.bands?.usdPerChipHour, usd),
    times(o.priceRatio) + range(o.bands?.priceRatio, times),
    o.costRatio === null ? "-" : times(o.costRatio),
    formatPercent(o.mfu),
    o.mfuNeeded === null
      ? "-"
      : formatPercent(o.mfuNeeded) + range(o.bands?.mfuNeeded, (x) => formatPercent(x)),
    o.missing.join("; "),
  ];
}

/** The lines under the table: what the figures mean and whether a band is in them. */
export function breakEvenNotes(outcomes: readonly BreakEvenOutcome[]): string[] {
  const banded = outcomes.some((o) => o.kind === "break-even" && o.bands !== null);
  return [
    "break-even $/chip-h: the chip's price at which its run costs what the other's costs at the price shown",
    "(= the other's price x its chip-hours / this chip's chip-hours, at each chip's chosen size and plan);",
    "MFU needed: the utilisation at which the chip, at its price today, would cost the same (goodput held).",
    banded ? BANDED : BAND_NOT_YET,
  ];
}
