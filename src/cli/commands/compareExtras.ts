import { type BreakEvenOutcome, type BreakEvenPair, breakEvensFromRows } from "../../compare/breakEven.js";
import type { CompareResult } from "../../compare/compareChips.js";
import { type ClaimVersusModel, claimsVersusModel } from "../../compare/vendorClaims.js";
import { type PriceListing, priceListing } from "../../cost/pricing.js";
import { InputError } from "../../errors.js";
import { instances as catalogInstances, findChip } from "../../hardware/catalog.js";
import type { Chip } from "../../hardware/schema.js";
import {
  BAND_NOT_YET,
  BANDED,
  BREAK_EVEN_COLUMNS,
  breakEvenCells,
  breakEvenNotes,
} from "../../report/breakEvenText.js";
import { CLAIM_COLUMNS, claimCells, claimSources } from "../../report/claimsText.js";
import { type Column, renderMarkdownTable, renderTable } from "../../report/table.js";

/** What `compare` adds beside its rows: vendor claims with the prediction, and the break-even asked for. */
export interface CompareExtras {
  /** Every catalog price of each compared chip: listed, quoted by a third party, or "no-public-price". */
  prices: PriceListing[];
  claims: ClaimVersusModel[];
  /** Present when --breakeven was given. */
  breakEven?: BreakEvenOutcome[];
  /** Why the break-even has no range yet, until the engine states a band. */
  errorBand?: string;
}

const PAIR_FORMAT = '"chip:against" pairs of chip ids, comma-separated, e.g. trn2:h100,trn3:h100';

function pairChip(name: string, pair: string, compared: readonly Chip[] | undefined): Chip {
  const chip = findChip(name);
  if (!chip)
    throw new InputError({
      field: "--breakeven",
      value: pair,
      allowed: `${PAIR_FORMAT}; "${name}" is not a chip id`,
    });
  if (compared && !compared.some((c) => c.id === chip.id)) {
    throw new InputError({
      field: "--breakeven",
      value: pair,
      allowed: `pairs of the chips compared (--chip ${compared.map((c) => c.id).join(",")}); add ${chip.id} to --chip`,
    });
  }
  return chip;
}

/** --breakeven "trn2:h100,trn3:h100": each pair's chips must be among those compared (all, without --chip). */
export function parseBreakEvenPairs(text: string, compared: readonly Chip[] | undefined): BreakEvenPair[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new InputError({ field: "--breakeven", value: text, allowed: PAIR_FORMAT });
  return items.map((item) => {
    const parts = item.split(":").map((s) => s.trim());
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
      throw new InputError({ field: "--breakeven", value: item, allowed: PAIR_FORMAT });
    }
    const chip = pairChip(parts[0], item, compared);
    const against = pairChip(parts[1], item, compared);
    if (chip.id === against.id) {
      throw new InputError({ field: "--breakeven", value: item, allowed: "two different chips" });
    }
    return { chip: chip.id, against: against.id };
  });
}

/** The claims and, when pairs are given, the break-even of a finished comparison. */
export function compareExtras(
  result: CompareResult,
  pairs: readonly BreakEvenPair[] | undefined,
): CompareExtras {
  const claims = claimsVersusModel(result.rows);
  const prices = result.rows.map((r) => priceListing(r.chip, catalogInstances));
  if (pairs === undefined) return { prices, claims };
  const breakEven = breakEvensFromRows(result.rows, pairs);
  const banded = breakEven.some((o) => o.kind === "break-even" && o.bands !== null);
  return { prices, claims, breakEven, errorBand: banded ? BANDED : BAND_NOT_YET };
}

/** Prices only a third party quotes, and chips with no public price, below the prices used. */
function otherPrices(prices: readonly PriceListing[]): string[] {
  const lines: string[] = [];
  for (const l of prices) {
    if (l.status === "no-public-price") lines.push(`${l.chipId}: no public price; ${l.hint}`);
    for (const o of l.options.filter((x) => x.standing === "quoted" && x.current)) {
      const s = o.source;
      lines.push(
        `${l.chipId}: $${o.usdPerInstanceHour}/h ${o.instanceId} ${o.pricing} ${o.region}, quoted (not used; ${l.hint} to use it): ${s.title}, ${s.url}, seen ${s.dateSeen ?? "not recorded"}`,
      );
    }
  }
  return lines;
}

function section(heading: string, columns: Column[], rows: string[][], markdown: boolean): string[] {
  const table = markdown ? renderMarkdownTable(columns, rows) : renderTable(columns, rows);
  return ["", heading, "", table.trimEnd()];
}

/** The extras as text sections after the comparison's notes (not in CSV, which holds the rows only). */
export function renderExtras(extras: CompareExtras, markdown: boolean): string {
  const bullet = markdown ? "- " : "  ";
  const lines: string[] = [];
  const other = otherPrices(extras.prices);
  if (other.length > 0)
    lines.push(
      "",
      "Other prices (quoted by third parties, or none public):",
      ...other.map((l) => bullet + l),
    );
  if (extras.breakEven) {
    lines.push(...section("Break-even:", BREAK_EVEN_COLUMNS, extras.breakEven.map(breakEvenCells), markdown));
    lines.push("", ...breakEvenNotes(extras.breakEven).map((l) => bullet + l));
  }
  if (extras.claims.length > 0) {
    const heading =
      "Vendor claims beside trainplan's prediction for this run (side by side, never combined):";
    lines.push(...section(heading, CLAIM_COLUMNS, extras.claims.map(claimCells), markdown));
    lines.push("", ...claimSources(extras.claims).map((l) => bullet + l));
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
