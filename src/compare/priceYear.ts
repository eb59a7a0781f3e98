import { instances as catalogInstances } from "../hardware/catalog.js";
import type { Instance } from "../hardware/schema.js";
import type { PriceSource } from "./economics.js";

/**
 * The year a catalog price was quoted. A period that opens with a year ("late 2024 (...)") is dated
 * by it; one that is "current as of the stored catalog snapshot" (or any other wording) is dated by
 * the year the price was seen (source.dateSeen). Null when neither gives a year.
 */
export function quotedYear(period: string, dateSeen: string | undefined): number | null {
  const opening = /^\s*(?:(?:early|mid|late)[\s-]+)?((?:19|20)\d\d)\b/i.exec(period);
  if (opening) return Number(opening[1]);
  const seen = /^((?:19|20)\d\d)-/.exec(dateSeen ?? "");
  return seen ? Number(seen[1]) : null;
}

/**
 * The year the catalog's current prices stand for: the latest quoted year among them (2026 for the
 * stored snapshot). Capacity planning starts there by default, in the CLI and the web app alike.
 */
export function catalogPriceYear(list: readonly Instance[] = catalogInstances): number {
  let latest = 0;
  for (const inst of list) {
    for (const p of inst.prices) {
      if (!p.current) continue;
      latest = Math.max(latest, quotedYear(p.period, p.source.dateSeen) ?? 0);
    }
  }
  if (latest === 0) throw new Error("catalog has no dated current price");
  return latest;
}

/**
 * The year from which a price falls by the yearly decline: a catalog price from its quote
 * (quotedYear), a user's `--price` from `userPriceYear` ("now"; default the catalog's price year).
 */
export function priceYearOf(source: PriceSource, userPriceYear: number = catalogPriceYear()): number {
  if (source.kind === "catalog") {
    return quotedYear(source.period, source.dateSeen) ?? catalogPriceYear();
  }
  return userPriceYear;
}
