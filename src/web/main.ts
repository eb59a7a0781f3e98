/**
 * The page: controls -> state (mirrored in the URL) -> workers -> table, charts, details, exports.
 * Plain DOM; every number shown comes from the workers' engine results. This file only wires the
 * parts together: each view, the form and the worker pool live in their own module.
 */

import { renderBreakEven } from "./breakEvenView.js";
import { renderCapacity } from "./capacityTable.js";
import { renderCharts } from "./charts.js";
import { renderTable } from "./compareTable.js";
import { cancel, request, startWorkers } from "./compute.js";
import { buildControls, refreshGridHint } from "./controls.js";
import { $, keepFocus } from "./dom.js";
import { wireExports } from "./exports.js";
import { clearResultsFor, showFieldErrors, showIgnored } from "./fieldErrors.js";
import { markOverrides } from "./overrides.js";
import { renderPlan } from "./planDetail.js";
import { wirePlanExport } from "./planExport.js";
import { readControls } from "./readControls.js";
import { renderSources } from "./sources.js";
import { type AppState, encodeState } from "./state.js";
import { setBusy } from "./status.js";
import { store, writeUrl } from "./store.js";

function renderAll(): void {
  keepFocus(() => {
    renderTable();
    renderPlan();
    renderCapacity();
    renderBreakEven();
    renderSources();
  });
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

/** Refused fields: their messages beside them, nothing computed, no result from other values left on screen. */
function refuse(errors: Record<string, string>): void {
  store.fieldErrors = errors;
  const count = showFieldErrors();
  cancel();
  clearResultsFor(count);
  renderAll();
  setBusy(false, `Not computed: ${count} field${count === 1 ? "" : "s"} refused.`);
}

let debounce: ReturnType<typeof setTimeout> | undefined;
function onInput(event: Event): void {
  const target = event.target as HTMLElement;
  if (target.id === "reset-arch") return;
  clearTimeout(debounce);
  // Marks the form while a change waits to be read (tests and tools wait for it to clear).
  $("controls").dataset.pending = "true";
  // Typing waits for a pause; selects and checkboxes apply at once.
  // Short: the worker drops a superseded request between chips, so a stale one costs little.
  const typing = event.type === "input" && target instanceof HTMLInputElement && target.type === "text";
  debounce = setTimeout(
    () => {
      delete $("controls").dataset.pending;
      const { state: next, chipsKept, errors } = readControls();
      if (Object.keys(errors).length > 0) return refuse(errors);
      const hadErrors = Object.keys(store.fieldErrors).length > 0;
      store.fieldErrors = {};
      showFieldErrors();
      if (!chipsKept || encodeState(next) !== encodeState(store.state)) return setState(next, chipsKept);
      if (hadErrors) return setState(next);
      // Only the last chip box was unchecked: check it again and say why, without recomputing.
      buildControls();
      setBusy(false, "Keep at least one chip type checked: the comparison needs a chip.");
    },
    typing ? 80 : 0,
  );
}

/** Choosing a chip in the table shows its plan; the results are the same, so nothing is recomputed. */
function onChooseChip(event: Event): void {
  const chip = (event.target as HTMLElement).closest<HTMLElement>("button[data-chip]")?.dataset.chip;
  if (!chip) return;
  store.state = { ...store.state, selected: chip, planRank: 0 };
  writeUrl();
  renderAll();
}

/** Opening one of the top plans shows its breakdown; a typed layout gives way to it. */
function onOpenPlan(event: Event): void {
  const rank = (event.target as HTMLElement).closest<HTMLElement>("button[data-rank]")?.dataset.rank;
  if (rank === undefined) return;
  store.state = { ...store.state, planRank: Number(rank), layout: "" };
  const layout = document.querySelector<HTMLInputElement>("#controls input[name=layout]");
  if (layout) layout.value = "";
  writeUrl();
  renderAll();
}

/** Builds the page and sends its first request (boot.ts calls it once this bundle has loaded). */
export function init(): void {
  startWorkers({ onRow: () => keepFocus(renderTable), onDone: renderAll });
  buildControls();
  showIgnored();
  const form = $("controls");
  form.addEventListener("input", onInput);
  form.addEventListener("change", onInput);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("click", (e) => {
    if ((e.target as HTMLElement).id === "reset-arch")
      setState({ ...readControls().state, arch: {}, archFlags: {} }, true);
  });
  $("compare").addEventListener("click", onChooseChip);
  $("top-plans").addEventListener("click", onOpenPlan);
  wireExports();
  wirePlanExport(() => keepFocus(renderPlan));
  request();
}
