/**
 * The page's five charts, the ones the CLI draws too (src/report/charts.ts), fed from the store's
 * rows and capacity and drawn as SVG into their figures, each as wide as its figure (the page fits
 * a phone and a laptop). A chart with nothing to draw says why. The SVGs drawn are kept for the export.
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
import { $, el } from "./dom.js";
import { shownPlan } from "./planDetail.js";
import { selectedRow, store } from "./store.js";

/** The SVG text of each chart on the page, by name (frontier, cost, capacity, step, memory). */
export const drawnSvgs: Record<string, string> = {};

type Chart = [name: string, spec: ChartSpec | null, whyEmpty: string];

/** Why no row can be drawn on the cost charts: none computed, none with a plan, or none with a price. */
function noRowsWhy(): string {
  const { rows, capacityError } = store;
  if (rows.length === 0) return capacityError ?? "No results yet.";
  if (!rows.some((r) => r.plan)) return "No chip has a plan that fits at these settings.";
  return "No chip with a plan has a price: give one under Pricing, Your prices.";
}

/** Each chart's name, spec (null where there is nothing to draw) and the words shown instead. */
function chartSpecs(): Chart[] {
  const { state, rows, capacity } = store;
  const r = selectedRow();
  const source = `trainplan ${state.model}, ${state.tokensB.toLocaleString("en-US")}B tokens, ${state.pricing} prices (see Sources)`;
  const drawable = rows.filter((x) => x.days !== null && x.costUsd !== null);
  const onFrontier = paretoFrontier(
    drawable,
    (x) => x.days,
    (x) => x.costUsd,
  ).map((x) => x.chip);
  const counts = state.count === null ? "the count compare picks" : `${state.count} chips`;
  const { shown, error } = shownPlan(r);
  const noPlan = error
    ? `Layout not simulated: ${error}`
    : r
      ? ""
      : "No chip has a plan that fits at these settings.";
  const planWhy = store.rows.length === 0 ? noRowsWhy() : noPlan;
  return [
    [
      "frontier",
      drawable.length > 0
        ? frontierChartSpec(rows, onFrontier, { title: `Time vs cost at ${counts}`, source })
        : null,
      noRowsWhy(),
    ],
    ["cost", drawable.length > 0 ? costBreakdownChartSpec(rows, { source }) : null, noRowsWhy()],
    [
      "capacity",
      capacity
        ? fleetChartSpec(capacity.years, { source: `$${state.budgetM}M over ${state.years} years` })
        : null,
      store.capacityError ?? "No capacity result yet.",
    ],
    ["step", shown ? stepBreakdownChartSpec(shown.plan) : null, planWhy],
    ["memory", shown ? memoryBreakdownChartSpec(shown.plan) : null, planWhy],
  ];
}

/** The spec sized to its figure: the plot fits the figure's width, labels and legend included. */
function fitted(spec: ChartSpec, figure: HTMLElement): ChartSpec {
  const width = Math.max(220, Math.floor(figure.getBoundingClientRect().width) - 16);
  const fixedHeight = typeof spec.height === "number";
  const narrow = width < 480;
  return {
    ...spec,
    width,
    ...(fixedHeight ? { height: Math.round(Math.min(360, width * (narrow ? 0.9 : 0.55))) } : {}),
    autosize: { type: fixedHeight ? "fit" : "fit-x", contains: "padding" },
    // Long titles are cut to the chart's width (the whole text stays in the SVG's title on hover);
    // on a phone the legend goes under the plot so the plot keeps the width.
    ...(typeof spec.title === "object" ? { title: { ...(spec.title as object), limit: width } } : {}),
    config: { legend: { orient: narrow ? "bottom" : "right", direction: "vertical" } },
  };
}

/** Draws the charts one by one; stops when a newer request makes these results stale. */
export async function renderCharts(): Promise<void> {
  const jobs = chartSpecs();
  const id = latestRequest();
  for (const [name, spec, why] of jobs) {
    const fig = $(`${name}-chart`);
    if (!spec) {
      fig.replaceChildren(el("p", { class: "empty" }, why));
      delete drawnSvgs[name];
      continue;
    }
    const svg = await renderSvg(fitted(spec, fig));
    if (id !== latestRequest()) return;
    drawnSvgs[name] = svg;
    fig.innerHTML = svg;
    fig.querySelector("svg")?.setAttribute("role", "img");
    fig.querySelector("svg")?.setAttribute("aria-label", `${name} chart`);
  }
}
