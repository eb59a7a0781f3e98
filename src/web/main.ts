/**
 * The page: controls -> state (mirrored in the URL) -> worker -> table, charts, details, exports.
 * Plain DOM; every number shown comes from the worker's engine results.
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
import { renderCapacity } from "./capacityTable.js";
import { renderTable } from "./compareTable.js";
import { latestRequest, request, startWorkers } from "./compute.js";
import { buildControls, refreshGridHint } from "./controls.js";
import { $, el } from "./dom.js";
import type { Row } from "./engine.js";
import { planText } from "./format.js";
import { markOverrides } from "./overrides.js";
import { renderPlan } from "./planDetail.js";
import { readControls } from "./readControls.js";
import { renderSources } from "./sources.js";
import { type AppState, encodeState } from "./state.js";
import { setBusy } from "./status.js";
import { selectedRow, store, writeUrl } from "./store.js";

const svgs: Record<string, string> = {};

// ---------- state ----------
function setState(next: AppState, rebuild = false): void {
  const modelChanged = next.model !== store.state.model;
  store.state = next;
  writeUrl();
  if (rebuild || modelChanged) buildControls();
  else markOverrides();
  refreshGridHint();
  request();
}

/** The charts the CLI draws too (src/report/charts.ts), fed from the worker's rows and capacity. */
function chartSpecs(): [string, ChartSpec | null][] {
  const r = selectedRow();
  const source = `trainplan ${store.state.model}, ${store.state.tokensB.toLocaleString("en-US")}B tokens, ${store.state.pricing} prices (see Sources)`;
  const onFrontier = paretoFrontier(
    store.rows,
    (x) => x.days,
    (x) => x.costUsd,
  ).map((x) => x.chip);
  return [
    [
      "frontier",
      frontierChartSpec(store.rows, onFrontier, {
        title: `Time vs cost at ${store.state.count} chips`,
        source,
      }),
    ],
    ["cost", costBreakdownChartSpec(store.rows, { source })],
    [
      "capacity",
      store.capacity
        ? fleetChartSpec(store.capacity.years, {
            source: `$${store.state.budgetM}M over ${store.state.years} years`,
          })
        : null,
    ],
    ["step", r?.plan ? stepBreakdownChartSpec(r.plan) : null],
    ["memory", r?.plan ? memoryBreakdownChartSpec(r.plan) : null],
  ];
}

async function renderCharts(): Promise<void> {
  const jobs = chartSpecs();
  const id = latestRequest();
  for (const [name, spec] of jobs) {
    const fig = $(`${name}-chart`);
    if (!spec) {
      fig.replaceChildren();
      delete svgs[name];
      continue;
    }
    const svg = await renderSvg(spec);
    if (id !== latestRequest()) return;
    svgs[name] = svg;
    fig.innerHTML = svg;
    fig.querySelector("svg")?.setAttribute("role", "img");
    fig.querySelector("svg")?.setAttribute("aria-label", `${name} chart`);
  }
}

function renderAll(): void {
  renderTable();
  renderPlan();
  renderCapacity();
  renderSources();
  void renderCharts().catch((e) => setBusy(false, `Chart error: ${(e as Error).message}`));
}

// ---------- exports ----------
function download(name: string, type: string, text: string): void {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function rowsToCsv(list: Row[]): string {
  const header = [
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
  const lines = list.map((r) =>
    [
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
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\n") + "\n";
}

function wireExports(): void {
  $("export-json").addEventListener("click", () =>
    download(
      "trainplan.json",
      "application/json",
      JSON.stringify(
        { state: store.state, url: location.href, rows: store.rows, capacity: store.capacity },
        null,
        2,
      ),
    ),
  );
  $("export-csv").addEventListener("click", () =>
    download("trainplan.csv", "text/csv", rowsToCsv(store.rows)),
  );
  $("export-svg").addEventListener("click", () => {
    for (const [name, svg] of Object.entries(svgs)) download(`trainplan-${name}.svg`, "image/svg+xml", svg);
  });
  $("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setBusy(false, "Link copied");
    } catch {
      setBusy(false, `Link: ${location.href}`);
    }
  });
}

// ---------- events ----------
let debounce: ReturnType<typeof setTimeout> | undefined;
function onInput(event: Event): void {
  const target = event.target as HTMLElement;
  if (target.id === "reset-arch") return;
  clearTimeout(debounce);
  // Typing waits for a pause; selects and checkboxes apply at once.
  // Short: the worker drops a superseded request between chips, so a stale one costs little.
  const wait = event.type === "input" && (target as HTMLInputElement).type === "number" ? 80 : 0;
  debounce = setTimeout(() => {
    const { state: next, chipsKept } = readControls();
    if (!chipsKept || encodeState(next) !== encodeState(store.state)) return setState(next, chipsKept);
    // Only the last chip box was unchecked: check it again and say why, without recomputing.
    buildControls();
    setBusy(false, "Keep at least one chip type checked: the comparison needs a chip.");
  }, wait);
}

function init(): void {
  startWorkers({ onRow: renderTable, onDone: renderAll });
  buildControls();
  const form = $("controls");
  form.addEventListener("input", onInput);
  form.addEventListener("change", onInput);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("click", (e) => {
    if ((e.target as HTMLElement).id === "reset-arch") setState({ ...readControls().state, arch: {} }, true);
  });
  $("compare").addEventListener("click", (e) => {
    const chip = (e.target as HTMLElement).closest<HTMLElement>("button[data-chip]")?.dataset.chip;
    if (!chip) return;
    store.state = { ...store.state, selected: chip };
    writeUrl();
    renderAll();
  });
  wireExports();
  request();
}

init();
