/**
 * The page: controls -> state (mirrored in the URL) -> workers -> table, charts, details, exports.
 * Plain DOM; every number shown comes from the workers' engine results. This file only wires the
 * parts together: each view, the form and the worker pool live in their own module.
 */

import { renderBreakEven } from "./breakEvenView.js";
import { renderCapacity } from "./capacityTable.js";
import { renderCharts } from "./charts.js";
import { renderTable } from "./compareTable.js";
import { request, startWorkers } from "./compute.js";
import { buildControls, refreshGridHint } from "./controls.js";
import { $ } from "./dom.js";
import { wireExports } from "./exports.js";
import { markOverrides } from "./overrides.js";
import { renderPlan } from "./planDetail.js";
import { readControls } from "./readControls.js";
import { renderSources } from "./sources.js";
import { type AppState, encodeState } from "./state.js";
import { setBusy } from "./status.js";
import { store, writeUrl } from "./store.js";

function renderAll(): void {
  renderTable();
  renderPlan();
  renderCapacity();
  renderBreakEven();
  renderSources();
  void renderCharts().catch((e) => setBusy(false, `Chart error: ${(e as Error).message}`));
}

/** A new state from the form: into the URL, the form's marks (or a new form), then the workers. */
function setState(next: AppState, rebuild = false): void {
  const modelChanged = next.model !== store.state.model;
  store.state = next;
  writeUrl();
  if (rebuild || modelChanged) buildControls();
  else markOverrides();
  refreshGridHint();
  request();
}

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

/** Choosing a chip in the table shows its plan; the results are the same, so nothing is recomputed. */
function onChooseChip(event: Event): void {
  const chip = (event.target as HTMLElement).closest<HTMLElement>("button[data-chip]")?.dataset.chip;
  if (!chip) return;
  store.state = { ...store.state, selected: chip };
  writeUrl();
  renderAll();
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
  $("compare").addEventListener("click", onChooseChip);
  wireExports();
  request();
}

init();
