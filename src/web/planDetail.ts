/** The selected chip's plan in words (step, throughput, memory, price, assumptions) and its top plans. */

import type { SimulationResult } from "../engine/simulate.js";
import { $, el, headRow } from "./dom.js";
import type { Row } from "./engine.js";
import { fmt, gib, pct, planText } from "./format.js";
import { selectedRow } from "./store.js";

const TOP_COLUMNS = [
  "#",
  "TP",
  "PP",
  "VPP",
  "DP",
  "CP",
  "EP",
  "micro-batch",
  "recompute",
  "ZeRO",
  "step s",
  "MFU",
  "GiB/chip",
];

export function renderPlan(): void {
  const r = selectedRow();
  const detail = $("plan-detail");
  const top = $<HTMLTableElement>("top-plans");
  if (!r?.plan) {
    detail.replaceChildren(el("p", {}, "No chip has a plan that fits; change the chip count or the model."));
    top.replaceChildren();
    return;
  }
  detail.replaceChildren(...planSummary(r, r.plan));
  const body = el("tbody");
  r.top.forEach((t, i) => {
    body.append(topPlanRow(t, i + 1));
  });
  $("top-h").textContent = `Top plans for ${r.chip} × ${r.chips}`;
  top.replaceChildren(el("caption", {}, "Fastest plans that fit, best first."), headRow(TOP_COLUMNS), body);
}

function planSummary(r: Row, p: SimulationResult): HTMLElement[] {
  return [
    el("p", {}, el("strong", {}, `${r.chip} × ${r.chips}: `), planText(r)),
    el(
      "p",
      {},
      `step ${fmt(p.step.seconds, 2)} s, ${fmt(p.throughput.tokensPerSecond / 1e3, 0)}k tokens/s, MFU ${pct(p.throughput.mfu)}, memory ${gib(p.memory.perChipBytes, 1)} of ${gib(p.memory.capacityBytes, 0)} GiB per chip`,
    ),
    el("p", {}, `price: ${r.price.text}`),
    ...(p.assumptions.length > 0
      ? [
          el(
            "details",
            {},
            el("summary", {}, "Assumptions"),
            el("ul", {}, ...p.assumptions.map((a) => el("li", {}, a))),
          ),
        ]
      : []),
  ];
}

/** One of the next-best plans: its parallelism, step time, MFU and memory. */
function topPlanRow(t: SimulationResult, rank: number): HTMLTableRowElement {
  const q = t.parallelism;
  return el(
    "tr",
    {},
    el("th", { scope: "row" }, String(rank)),
    ...[q.tp, q.pp, q.vpp, q.dp, q.cp, q.ep, q.microBatch].map((v) => el("td", {}, String(v))),
    el("td", { class: "text" }, q.recompute),
    el("td", { class: "text" }, q.zero),
    el("td", {}, fmt(t.step.seconds, 2)),
    el("td", {}, pct(t.throughput.mfu)),
    el("td", {}, gib(t.memory.perChipBytes, 1)),
  );
}
