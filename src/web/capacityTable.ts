/** The capacity view: what the budget buys, year by year, and how many runs of the model that is. */

import { $, el, headRow } from "./dom.js";
import { dollars, fmt, usd } from "./format.js";
import { store } from "./store.js";

const COLUMNS = ["Year", "Budget", "Chip", "$/chip-h", "Chips held", "Tokens (T)", "$/M tokens"];

export function renderCapacity(): void {
  const { state, capacity, capacityError } = store;
  const table = $<HTMLTableElement>("capacity");
  if (!capacity) {
    table.replaceChildren(el("caption", { class: "error" }, capacityError ?? "No capacity result."));
    return;
  }
  const body = el("tbody");
  for (const y of capacity.years) {
    body.append(
      el(
        "tr",
        {},
        el("th", { scope: "row" }, String(y.year)),
        el("td", {}, usd(y.budgetUsd)),
        el("td", { class: "text" }, y.chipId),
        el("td", {}, dollars(y.usdPerChipHour)),
        el("td", {}, fmt(y.sustainedChips, 0)),
        el("td", {}, fmt(y.tokens / 1e12, 1)),
        el("td", {}, dollars(y.usdPerMillionTokens)),
      ),
    );
  }
  const runs = capacity.runs
    .map(
      (r) =>
        `${fmt(r.count, 1)}${r.countBand ? ` (80% band ${fmt(r.countBand.low, 1)}-${fmt(r.countBand.high, 1)})` : ""} runs of ${r.model} (${state.tokensB}B tokens)`,
    )
    .join("; ");
  table.replaceChildren(
    el(
      "caption",
      {},
      `$${state.budgetM}M over ${state.years} years buys ${runs}. Each year buys the chip with the lowest $/token, each chip at the count compare picks for this run (not the table's count), times its goodput.`,
    ),
    headRow(COLUMNS),
    body,
  );
}
