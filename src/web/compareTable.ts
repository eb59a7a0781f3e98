/**
 * The main table: one row per chip with its best plan, days, cost, price, energy, carbon, goodput
 * and MFU. A cell computed from the user's values is marked as theirs; the cheapest row and the
 * selected one are classed for the stylesheet.
 */

import { chips as catalogChips } from "../hardware/catalog.js";
import { borrowedProfileNote } from "../report/profileNote.js";
import { $, el, headRow } from "./dom.js";
import type { Row } from "./engine.js";
import { dollars, fmt, pct, planText, usd } from "./format.js";
import { chipSourceText } from "./sources.js";
import { selectedRow, store } from "./store.js";

const COLUMNS = [
  "Chip",
  "Chips",
  "Best plan",
  "Days",
  "Cost",
  "$/chip-h",
  "$/M tokens",
  "Energy MWh",
  "tCO2e",
  "Goodput",
  "MFU (bf16 peak)",
  "Notes",
];

export function renderTable(): void {
  const { state, rows } = store;
  const table = $<HTMLTableElement>("compare");
  const cheapest = Math.min(...rows.map((r) => r.costUsd ?? Number.POSITIVE_INFINITY));
  const sel = selectedRow()?.chip;
  const body = el("tbody");
  for (const r of rows) {
    const tr = tableRow(r, r.chip === sel);
    if (r.chip === sel) tr.classList.add("selected");
    if (r.costUsd !== null && r.costUsd === cheapest) tr.classList.add("best");
    body.append(tr);
  }
  const caption = el(
    "caption",
    {},
    `Best plan per chip for ${state.tokensB.toLocaleString("en-US")}B tokens at ${state.count === null ? "the count compare picks for each chip" : `${state.count} chips`}, ${state.pricing} pricing. MFU against the chip's dense bf16 peak, as the CLI reports it. † = the chip borrows another chip's fitted profile. Choose a chip to see its plan. Hover a price for its source.`,
  );
  table.replaceChildren(caption, headRow(COLUMNS), body);
}

function tableRow(r: Row, selected: boolean): HTMLTableRowElement {
  const chip = catalogChips.find((c) => c.id === r.chip);
  const chipButton = el(
    "button",
    {
      type: "button",
      "data-chip": r.chip,
      "aria-pressed": String(selected),
      title: chip ? chipSourceText(chip) : "",
    },
    r.chip,
  );
  const borrowed = r.plan ? borrowedProfileNote(r.chip, r.plan.profileFrom, r.plan.profileBasis) : null;
  const chipCell = el("th", { scope: "row" }, chipButton);
  if (borrowed) chipCell.append(el("span", { class: "borrowed", title: borrowed }, " †"));
  return el(
    "tr",
    { "data-chip": r.chip },
    chipCell,
    el("td", {}, String(r.chips)),
    el("td", { class: "text" }, planText(r)),
    el("td", {}, fmt(r.days, 1)),
    el("td", { class: "cost" }, usd(r.costUsd)),
    priceCell(r),
    el("td", {}, dollars(r.usdPerMillionTokens)),
    mark(el("td", {}, fmt(r.energyMWh, 0)), energyOverrides(r.chip)),
    mark(el("td", {}, fmt(r.tCO2e, 0)), [
      ...energyOverrides(r.chip),
      ...(store.state.gCO2PerKWh !== null ? [`grid ${store.state.gCO2PerKWh} gCO2e/kWh`] : []),
    ]),
    mark(el("td", {}, pct(r.goodput)), goodputOverrides()),
    el("td", {}, pct(r.mfu)),
    el("td", { class: "why", title: r.reason ?? "" }, r.reason ?? ""),
  );
}

/** $/chip-hour: the user's price badged "yours", a catalog price with its source on hover. */
function priceCell(r: Row): HTMLTableCellElement {
  const cell = el("td", {}, dollars(r.price.usdPerChipHour));
  if (r.price.from === "override") {
    cell.classList.add("override");
    cell.append(el("span", { class: "badge" }, "yours"));
  } else if (r.price.source) {
    cell.classList.add("src");
    cell.title = `${r.price.text}\nsource: ${r.price.source.title} ${r.price.source.url}`;
  }
  return cell;
}

/** The user's values behind a row's energy (and so its carbon): PUE and, for this chip, its power. */
function energyOverrides(chip: string): string[] {
  const { state } = store;
  return [
    ...(state.pue !== null ? [`PUE ${state.pue}`] : []),
    ...(state.tdpW[chip] !== undefined ? [`power ${state.tdpW[chip]} W`] : []),
  ];
}

function goodputOverrides(): string[] {
  const { state } = store;
  return [
    ...(state.failuresPerChipHour !== null ? [`${state.failuresPerChipHour} failures per chip-hour`] : []),
    ...(state.restartSeconds !== null ? [`restart ${state.restartSeconds} s`] : []),
    ...(state.storageGBps !== null ? [`storage ${state.storageGBps} GB/s per node`] : []),
  ];
}

/** Marks a cell computed from the user's values as prices are marked: highlighted, "yours", and which ones on hover. */
function mark(cell: HTMLTableCellElement, yours: string[]): HTMLTableCellElement {
  if (yours.length === 0) return cell;
  cell.classList.add("override");
  cell.title = `your values: ${yours.join(", ")}`;
  cell.append(el("span", { class: "badge" }, "yours"));
  return cell;
}
