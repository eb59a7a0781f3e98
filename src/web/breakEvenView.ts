/**
 * The break-even view: for two chips of the table, the price per chip-hour at which the first one's
 * run costs what the second's does and the MFU it would need at today's price (src/compare/breakEven.ts),
 * the chart the CLI draws with --breakeven-chart, and the vendor claims beside trainplan's prediction
 * (src/compare/vendorClaims.ts). Same engine functions and words as `trainplan compare --breakeven`;
 * the page's rows are at the table's chip count. The pair chosen lives in this view, not in the URL.
 */

import { type BreakEvenOutcome, type BreakEvenRow, breakEvensFromRows } from "../compare/breakEven.js";
import { claimsVersusModel } from "../compare/vendorClaims.js";
import { breakEvenChartSpec } from "../report/breakEvenChart.js";
import { BREAK_EVEN_COLUMNS, breakEvenCells, breakEvenNotes } from "../report/breakEvenText.js";
import { renderSvg } from "../report/charts.js";
import { CLAIM_COLUMNS, claimCells, claimSources } from "../report/claimsText.js";
import { fitted } from "./charts.js";
import { latestRequest } from "./compute.js";
import { $, el, headRow, select } from "./dom.js";
import type { Row } from "./engine.js";
import { store } from "./store.js";

/** The pair shown; null until the user picks one (then the defaults below apply). */
const chosen: { chip: string | null; against: string | null } = { chip: null, against: null };

/** The break-even figures from a page row: chip-hours = chips × days × 24, as compare counts them. */
export function breakEvenRowOf(r: Row): BreakEvenRow {
  return {
    chip: r.chip,
    chipHours: r.days === null ? null : r.chips * r.days * 24,
    usdPerChipHour: r.price.usdPerChipHour,
    plan:
      r.mfu === null
        ? null
        : {
            throughput: { mfu: r.mfu, tokensPerSecondPerChip: r.plan?.throughput.tokensPerSecondPerChip },
            band: r.plan?.band ?? null,
          },
  };
}

/** The default pair: Trainium2 (else another Trainium) against H100 where compared, else the first two rows. */
export function defaultPair(chips: readonly string[]): { chip: string; against: string } | null {
  if (chips.length < 2) return null;
  const chip = chips.find((c) => c === "trn2") ?? chips.find((c) => c.startsWith("trn")) ?? chips[0];
  const against =
    chips.includes("h100-sxm") && chip !== "h100-sxm"
      ? "h100-sxm"
      : (chips.find((c) => c !== chip) as string);
  return { chip, against };
}

function pairOf(chips: readonly string[]): { chip: string; against: string } | null {
  const fallback = defaultPair(chips);
  if (!fallback) return null;
  const chip = chosen.chip && chips.includes(chosen.chip) ? chosen.chip : fallback.chip;
  const against =
    chosen.against && chips.includes(chosen.against) && chosen.against !== chip
      ? chosen.against
      : (chips.find((c) => c !== chip && c === fallback.against) ??
        (chips.find((c) => c !== chip) as string));
  return { chip, against };
}

function table(columns: { header: string }[], rows: string[][]): HTMLTableElement {
  return el(
    "table",
    {},
    headRow(columns.map((c) => c.header)),
    el(
      "tbody",
      {},
      ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", { class: "text" }, c)))),
    ),
  );
}

function pickers(chips: readonly string[], pair: { chip: string; against: string }): HTMLElement {
  const options = chips.map((c): [string, string] => [c, c]);
  const a = select("breakeven-chip", options, pair.chip);
  const b = select("breakeven-against", options, pair.against);
  a.id = "breakeven-chip";
  b.id = "breakeven-against";
  const onChange = () => {
    chosen.chip = a.value;
    chosen.against = b.value;
    renderBreakEven();
  };
  a.addEventListener("change", onChange);
  b.addEventListener("change", onChange);
  return el(
    "div",
    { class: "actions" },
    el("label", { for: a.id }, "Price of "),
    a,
    el("label", { for: b.id }, " to match "),
    b,
  );
}

async function drawChart(outcome: BreakEvenOutcome, rows: BreakEvenRow[]): Promise<void> {
  const fig = $("breakeven-chart");
  const tokens = store.state.tokensB * 1e9;
  if (outcome.kind !== "break-even" || outcome.usdPerChipHour === null) {
    fig.replaceChildren();
    return;
  }
  const id = latestRequest();
  const spec = breakEvenChartSpec(rows, [outcome], tokens, {
    title: `Break-even: ${outcome.chip} against ${outcome.against} at ${store.state.count} chips`,
    source: `trainplan ${store.state.model}, ${store.state.tokensB.toLocaleString("en-US")}B tokens (see Sources)`,
  });
  // Drawn at its box's width, as every other chart (a phone must not scroll sideways).
  const svg = await renderSvg(fitted(spec, fig));
  if (id !== latestRequest()) return;
  fig.innerHTML = svg;
  fig.querySelector("svg")?.setAttribute("role", "img");
  fig.querySelector("svg")?.setAttribute("aria-label", "break-even chart");
}

/** Draws the view from the store's rows: pickers, the pair's figures, notes, chart, claims. */
export function renderBreakEven(): void {
  const body = $("breakeven-body");
  const chips = store.rows.map((r) => r.chip);
  const pair = pairOf(chips);
  if (!pair) {
    body.replaceChildren(el("p", {}, "Compare at least two chips to see a break-even."));
    $("breakeven-chart").replaceChildren();
    $("claims-body").replaceChildren();
    return;
  }
  const rows = store.rows.map(breakEvenRowOf);
  const [outcome] = breakEvensFromRows(rows, [pair]);
  const claims = claimsVersusModel(store.rows);
  body.replaceChildren(
    pickers(chips, pair),
    el("div", { class: "scroll" }, table(BREAK_EVEN_COLUMNS, [breakEvenCells(outcome)])),
    el("ul", {}, ...breakEvenNotes([outcome]).map((l) => el("li", {}, l))),
  );
  $("claims-body").replaceChildren(
    ...(claims.length === 0
      ? []
      : [
          el("h3", {}, "Vendor claims beside trainplan's prediction (side by side, never combined)"),
          el("div", { class: "scroll" }, table(CLAIM_COLUMNS, claims.map(claimCells))),
          el("ul", {}, ...claimSources(claims).map((l) => el("li", {}, l))),
        ]),
  );
  void drawChart(outcome, rows).catch((e) => {
    $("breakeven-chart").replaceChildren(el("p", { class: "error" }, `Chart error: ${(e as Error).message}`));
  });
}
