/**
 * The selected chip's plan in words (step, throughput, memory, price, every assumption) and its top
 * plans, any of which can be opened; or a layout the user typed, simulated on that chip.
 */

import type { SimulationResult } from "../engine/simulate.js";
import { chips as catalogChips } from "../hardware/catalog.js";
import { planLabel } from "../report/planLabel.js";
import { borrowedProfileNote } from "../report/profileNote.js";
import { $, el, headRow } from "./dom.js";
import { layoutResult, modelFor, type Row } from "./engine.js";
import { fmt, gib, pct } from "./format.js";
import { renderPlanExport } from "./planExport.js";
import { selectedRow, store } from "./store.js";

const TOP_COLUMNS = ["#", "Plan", "step s", "MFU (bf16 peak)", "GiB/chip", ""];

/** The plan shown in detail: the typed layout's, else the opened top plan, else the best. */
export interface ShownPlan {
  plan: SimulationResult;
  /** Where it comes from, in words. */
  what: string;
}

/** The plan the detail and its charts show for a row, or an error message for a typed layout that cannot run. */
export function shownPlan(r: Row | undefined): { shown: ShownPlan | null; error: string | null } {
  if (!r?.plan) return { shown: null, error: null };
  const { state } = store;
  if (state.layout) {
    const chip = catalogChips.find((c) => c.id === r.chip);
    if (!chip) return { shown: null, error: null };
    try {
      const plan = layoutResult(state, modelFor(state), chip, r.chips);
      return { shown: { plan, what: `your layout on ${r.chip} × ${r.chips}` }, error: null };
    } catch (e) {
      return { shown: null, error: (e as Error).message };
    }
  }
  const rank = Math.min(state.planRank, Math.max(0, r.top.length - 1));
  const plan = r.top[rank] ?? r.plan;
  return { shown: { plan, what: rank === 0 ? "best plan" : `plan #${rank + 1}` }, error: null };
}

export function renderPlan(): void {
  const r = selectedRow();
  const detail = $("plan-detail");
  const top = $<HTMLTableElement>("top-plans");
  if (!r?.plan) {
    renderPlanExport(undefined, null);
    const why =
      store.rows.length === 0
        ? (store.capacityError ?? "No results yet.")
        : "No chip has a plan that fits; change the chip count or the model.";
    detail.replaceChildren(el("p", {}, why));
    top.replaceChildren();
    return;
  }
  const { shown, error } = shownPlan(r);
  renderPlanExport(r, shown);
  detail.replaceChildren(
    ...(error ? [el("p", { class: "error", role: "alert" }, `Layout not simulated: ${error}`)] : []),
    ...(shown ? planSummary(r, shown) : []),
  );
  const body = el("tbody");
  r.top.forEach((t, i) => {
    body.append(topPlanRow(t, i, shown?.plan === t));
  });
  $("top-h").textContent = `Top plans for ${r.chip} × ${r.chips}`;
  top.replaceChildren(
    el("caption", {}, "Fastest plans that fit, best first. Open one to see its breakdown."),
    headRow(TOP_COLUMNS),
    body,
  );
}

function planSummary(r: Row, { plan: p, what }: ShownPlan): HTMLElement[] {
  const fp8 = p.parallelism.precision === "fp8";
  const mfu = `MFU ${pct(p.throughput.mfu)} of the bf16 peak${fp8 ? ` (${pct(p.throughput.mfuAtPrecisionPeak)} of the fp8 peak)` : ""}`;
  const fits = p.fits ? "" : " — does not fit in memory";
  const borrowed = borrowedProfileNote(r.chip, p.profileFrom, p.profileBasis);
  const assumptions = [
    ...new Set([
      ...(borrowed ? [`performance profile: ${borrowed}`] : []),
      ...p.assumptions,
      ...r.assumptions,
    ]),
  ];
  return [
    el("p", {}, el("strong", {}, `${r.chip} × ${r.chips}, ${what}: `), planLabel(p.parallelism)),
    el(
      "p",
      {},
      `step ${fmt(p.step.seconds, 2)} s, ${fmt(p.throughput.tokensPerSecond / 1e3, 0)}k tokens/s, ${mfu}, memory ${gib(p.memory.perChipBytes, 1)} of ${gib(p.memory.capacityBytes, 0)} GiB per chip${fits}`,
    ),
    el("p", {}, `price: ${r.price.text}`),
    ...(r.searchLines.length > 0
      ? [el("ul", { id: "search-limits" }, ...r.searchLines.map((line) => el("li", {}, line)))]
      : []),
    el(
      "details",
      { id: "assumptions", open: "" },
      el("summary", {}, `Assumptions (${assumptions.length})`),
      el("ul", {}, ...assumptions.map((a) => el("li", {}, a))),
    ),
  ];
}

/** One of the top plans: its label (planLabel's words), step time, MFU, memory, and a button to open it. */
function topPlanRow(t: SimulationResult, index: number, open: boolean): HTMLTableRowElement {
  const button = el(
    "button",
    { type: "button", "data-rank": String(index), "aria-pressed": String(open) },
    open ? "Shown" : "Open",
  );
  const row = el(
    "tr",
    {},
    el("th", { scope: "row" }, String(index + 1)),
    el("td", { class: "text" }, planLabel(t.parallelism)),
    el("td", {}, fmt(t.step.seconds, 2)),
    el("td", {}, pct(t.throughput.mfu)),
    el("td", {}, gib(t.memory.perChipBytes, 1)),
    el("td", {}, button),
  );
  if (open) row.classList.add("selected");
  return row;
}
