import { csvRecords } from "../report/csv.js";
import type { Row } from "./engine.js";
import { planText } from "./format.js";

const HEADER = [
  "chip",
  "chips",
  "plan",
  "days",
  "costUsd",
  "usdPerChipHour",
  "usdPerMillionTokens",
  "energyMWh",
  "tCO2e",
  "goodput",
  "mfu",
  "priceSource",
  "reason",
];

/**
 * The table as the page's Export CSV writes it: raw numbers (not the table's rounded text), the
 * price's source URL, LF line breaks (csvRecords in src/report/csv.ts, the CLI's writer too).
 */
export function rowsToCsv(list: Row[]): string {
  const records = list.map((r) => [
    r.chip,
    r.chips,
    planText(r),
    r.days,
    r.costUsd,
    r.price.usdPerChipHour,
    r.usdPerMillionTokens,
    r.energyMWh,
    r.tCO2e,
    r.goodput,
    r.mfu,
    r.price.from === "override" ? "user override" : (r.price.source?.url ?? ""),
    r.reason,
  ]);
  return csvRecords([HEADER, ...records], "\n");
}
