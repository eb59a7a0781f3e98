/**
 * The page's five charts, the ones the CLI draws too (src/report/charts.ts), fed from the store's
 * rows and capacity and drawn as SVG into their figures. The SVGs drawn are kept for the export.
 */

import { paretoFrontier } from "../compare/frontier.js";
import {
  type ChartSpec,
  costBreakdownChartSpec,
  fleetChartSpec,
  frontierChartSpec,
  memoryBreakdownChartSpec,
  renderSvg,
  stepBreakdownChartSpec,
} from "../report/charts.js";
import { latestRequest } from "./compute.js";
import { $ } from "./dom.js";
import { selectedRow, store } from "./store.js";

/** The SVG text of each chart on the page, by name (frontier, cost, capacity, step, memory). */
export const drawnSvgs: Record<string, string> = {};

/** Each chart's name and spec; null where there is nothing to draw (no capacity, no plan). */
function chartSpecs(): [string, ChartSpec | null][] {
  const { state, rows, capacity } = store;
  const r = selectedRow();
  const source = `trainplan ${state.model}, ${state.tokensB.toLocaleString("en-US")}B tokens, ${state.pricing} prices (see Sources)`;
  const onFrontier = paretoFrontier(
    rows,
    (x) => x.days,
    (x) => x.costUsd,
  ).map((x) => x.chip);
  return [
    [
      "frontier",
      frontierChartSpec(rows, onFrontier, { title: `Time vs cost at ${state.count} chips`, source }),
    ],
    ["cost", costBreakdownChartSpec(rows, { source })],
    [
      "capacity",
      capacity
        ? fleetChartSpec(capacity.years, { source: `$${state.budgetM}M over ${state.years} years` })
        : null,
    ],
    ["step", r?.plan ? stepBreakdownChartSpec(r.plan) : null],
    ["memory", r?.plan ? memoryBreakdownChartSpec(r.plan) : null],
  ];
}

/** Draws the charts one by one; stops when a newer request makes these results stale. */
export async function renderCharts(): Promise<void> {
  const jobs = chartSpecs();
  const id = latestRequest();
  for (const [name, spec] of jobs) {
    const fig = $(`${name}-chart`);
    if (!spec) {
      fig.replaceChildren();
      delete drawnSvgs[name];
      continue;
    }
    const svg = await renderSvg(spec);
    if (id !== latestRequest()) return;
    drawnSvgs[name] = svg;
    fig.innerHTML = svg;
    fig.querySelector("svg")?.setAttribute("role", "img");
    fig.querySelector("svg")?.setAttribute("aria-label", `${name} chart`);
  }
}
