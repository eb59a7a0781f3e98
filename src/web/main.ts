/**
 * The page: controls -> state (mirrored in the URL) -> worker -> table, charts, details, exports.
 * Plain DOM; every number shown comes from the worker's engine results.
 */

import { paretoFrontier } from "../compare/frontier.js";
import { defaultValue, economics } from "../cost/assumptions.js";
import { chips as catalogChips, instances } from "../hardware/catalog.js";
import {
  type ChartSpec,
  costBreakdownChartSpec,
  fleetChartSpec,
  frontierChartSpec,
  memoryBreakdownChartSpec,
  renderSvg,
  stepBreakdownChartSpec,
} from "../report/charts.js";
import { modelPresets } from "../workload/presets.js";
import { renderCapacity } from "./capacityTable.js";
import { renderTable } from "./compareTable.js";
import { latestRequest, request, startWorkers } from "./compute.js";
import { $, el, field, numberInput, select } from "./dom.js";
import type { Row } from "./engine.js";
import { fmt, planText } from "./format.js";
import { renderPlan } from "./planDetail.js";
import { carbonRegion, chipSourceText, renderSources } from "./sources.js";
import {
  type AppState,
  ARCH_FIELDS,
  type ArchField,
  chipIdsFromChecked,
  encodeState,
  MAX_COUNT,
  OPTIONAL_KEYS,
  OPTIONAL_MAX,
  OPTIONAL_MIN,
  optionalValue,
  roundWholeNumbers,
  TDP_ASSUMED_IDS,
} from "./state.js";
import { setBusy } from "./status.js";
import { selectedRow, store, writeUrl } from "./store.js";

const svgs: Record<string, string> = {};

// ---------- controls ----------
function presetModel() {
  return (modelPresets.find((p) => p.id === store.state.model) ?? modelPresets[0]).model;
}

function buildControls(): void {
  const form = $("controls");
  form.replaceChildren();
  const preset = modelPresets.find((p) => p.id === store.state.model) ?? modelPresets[0];
  const modelSelect = select(
    "model",
    modelPresets.map((p) => [p.id, p.model.name]),
    preset.id,
  );
  modelSelect.id = "model";
  const work = el("fieldset", {}, el("legend", {}, "Workload"));
  work.append(
    field("Model", modelSelect, `source: ${preset.source.title}`),
    field(
      "Training tokens (billions)",
      numberInput("tokensB", store.state.tokensB, { min: "1", step: "any" }),
    ),
    field("Sequence length", numberInput("seqLen", store.state.seqLen, { min: "128", step: "128" })),
    field(
      "Global batch (sequences)",
      numberInput("globalBatch", store.state.globalBatch, { min: "1", step: "1" }),
    ),
  );
  const arch = el("details", {}, el("summary", {}, "Edit architecture"));
  const m = presetModel();
  for (const f of ARCH_FIELDS) {
    const v = store.state.arch[f] ?? (m[f] as number | null | undefined) ?? "";
    const input = numberInput(`arch.${f}`, v === "" ? 0 : v, { min: "1", step: "1" });
    arch.append(field(f, input));
  }
  arch.append(el("button", { type: "button", id: "reset-arch" }, "Reset to preset"));
  if (Object.keys(store.state.arch).length > 0) arch.open = true;
  work.append(arch);

  const hw = el("fieldset", {}, el("legend", {}, "Chips"));
  hw.append(
    field(
      "Chips per run (count)",
      numberInput("count", store.state.count, { min: "1", max: String(MAX_COUNT), step: "1" }),
    ),
  );
  const boxes = el("div", { class: "chips", role: "group", "aria-label": "Chip types" });
  for (const chip of catalogChips) {
    const box = el("input", { type: "checkbox", name: "chip", value: chip.id, id: `chip-${chip.id}` });
    box.checked = store.state.chipIds.length === 0 || store.state.chipIds.includes(chip.id);
    boxes.append(el("label", { for: box.id, title: chipSourceText(chip) }, box, ` ${chip.id}`));
  }
  hw.append(boxes);

  const money = el("fieldset", {}, el("legend", {}, "Pricing"));
  const pricings = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.pricing)))];
  const regions = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.region)))].sort();
  money.append(
    field(
      "Pricing",
      select(
        "pricing",
        pricings.map((p) => [p, p]),
        store.state.pricing,
      ),
    ),
    field(
      "Region",
      select(
        "region",
        [["", "cheapest region"], ...regions.map((r): [string, string] => [r, r])],
        store.state.region,
      ),
    ),
  );
  const prices = el("details", {}, el("summary", {}, "Your prices ($/chip-hour)"));
  for (const chip of catalogChips) {
    const v = store.state.prices[chip.id];
    const input = el("input", {
      type: "number",
      name: `price.${chip.id}`,
      min: "0",
      step: "any",
      placeholder: "catalog",
    });
    if (v !== undefined) input.value = String(v);
    prices.append(field(chip.id, input));
  }
  if (Object.keys(store.state.prices).length > 0) prices.open = true;
  money.append(prices);

  const rel = el("fieldset", {}, el("legend", {}, "Failures and checkpoints"));
  rel.append(
    field(
      "Failures per chip-hour",
      numberInput("failuresPerChipHour", store.state.failuresPerChipHour, { min: "0", step: "any" }),
      "0 = published rate (Llama 3: 1.97e-5)",
    ),
    field(
      "Checkpointing",
      select(
        "checkpoint",
        [
          ["async", "async (snapshot to host)"],
          ["sync", "sync (write to storage)"],
        ],
        store.state.checkpoint,
      ),
    ),
    optionalField(
      "Restart after a failure (seconds)",
      "restartSeconds",
      `blank = ${defaultValue("restartSeconds")} s (${economics.defaults.restartSeconds.source.title.split(",")[0]})`,
    ),
  );
  const power = el("fieldset", {}, el("legend", {}, "Energy and carbon"));
  power.append(
    optionalField(
      "PUE (facility / IT power)",
      "pue",
      `blank = ${defaultValue("pue")} (${economics.defaults.pue.source.title})`,
    ),
    optionalField("Grid intensity (gCO2e/kWh)", "gCO2PerKWh", gridHint()),
  );
  const tdps = el("details", {}, el("summary", {}, "Chip power where the TDP is assumed (W)"));
  for (const chip of catalogChips.filter((c) => TDP_ASSUMED_IDS.includes(c.id))) {
    const v = store.state.tdpW[chip.id];
    const input = el("input", {
      type: "number",
      name: `tdp.${chip.id}`,
      min: "1",
      step: "any",
      placeholder: `${chip.tdpW} (assumed)`,
    });
    if (v !== undefined) input.value = String(v);
    tdps.append(field(chip.id, input, `catalog assumes ${chip.tdpW} W`));
  }
  if (Object.keys(store.state.tdpW).length > 0) tdps.open = true;
  power.append(tdps);
  const cap = el("fieldset", {}, el("legend", {}, "Capacity deal"));
  cap.append(
    field("Budget (USD millions)", numberInput("budgetM", store.state.budgetM, { min: "0.1", step: "any" })),
    field("Years", numberInput("years", store.state.years, { min: "1", max: "10", step: "1" })),
  );
  form.append(work, hw, money, rel, power, cap);
  markOverrides();
}

/** A number field that is blank unless the user sets it; a set value is highlighted and labelled. */
function optionalField(label: string, name: (typeof OPTIONAL_KEYS)[number], hint: string): HTMLElement {
  const v = store.state[name];
  const max = OPTIONAL_MAX[name];
  const input = el("input", {
    type: "number",
    name,
    min: String(OPTIONAL_MIN[name]),
    ...(Number.isFinite(max) ? { max: String(max) } : {}),
    step: "any",
    placeholder: "default",
  });
  if (v !== null) input.value = String(v);
  return field(label, input, hint);
}

/** The intensity a blank grid field stands for: the region's, or the default region's where none is stored. */
function gridHint(): string {
  const region = carbonRegion(store.state.region);
  const g = economics.gridIntensity[region];
  return g ? `blank = ${region}'s ${fmt(g.value, 0)} ${g.unit}` : "blank = the region's";
}

/** Whether the control named `name` holds a value of the user's in place of a preset or catalog one. */
function overridden(name: string): boolean {
  const [kind, key] = name.split(".");
  if (kind === "arch") return store.state.arch[key as ArchField] !== undefined;
  if (kind === "price") return store.state.prices[key] !== undefined;
  if (kind === "tdp") return store.state.tdpW[key] !== undefined;
  if (name === "failuresPerChipHour") return store.state.failuresPerChipHour > 0;
  if ((OPTIONAL_KEYS as readonly string[]).includes(name))
    return store.state[name as (typeof OPTIONAL_KEYS)[number]] !== null;
  return false;
}

/**
 * Marks every overridden control, highlighted and with "(your value)" in its label, as the state
 * changes: typing a price or a PUE marks it at once, without rebuilding the form under the cursor.
 */
function markOverrides(): void {
  for (const input of $("controls").querySelectorAll<HTMLInputElement>("input[type=number]")) {
    const on = overridden(input.name);
    input.classList.toggle("override", on);
    const label = document.querySelector(`label[for="${input.id}"]`);
    const tag = label?.querySelector(".yours");
    if (on && label && !tag) label.append(el("span", { class: "yours" }, " (your value)"));
    if (!on) tag?.remove();
  }
}

/** Set by readControls when the last chip box was unchecked (the selection was kept). */
let chipsKept = false;

/** Reads every control into a new state; invalid numbers keep the previous value. */
function readControls(): AppState {
  const form = $<HTMLFormElement>("controls");
  const next: AppState = { ...store.state, arch: {}, prices: {}, tdpW: {} };
  const num = (name: string, previous: number) => {
    const input = form.elements.namedItem(name) as HTMLInputElement | null;
    const n = input ? Number(input.value) : Number.NaN;
    return input && input.value !== "" && Number.isFinite(n) && n >= 0 ? n : previous;
  };
  next.model = (form.elements.namedItem("model") as HTMLSelectElement).value;
  for (const key of [
    "tokensB",
    "seqLen",
    "globalBatch",
    "count",
    "failuresPerChipHour",
    "budgetM",
    "years",
  ] as const) {
    next[key] = num(key, store.state[key]);
  }
  if (next.model === store.state.model) {
    const m = presetModel();
    for (const f of ARCH_FIELDS) {
      const v = Math.round(num(`arch.${f}`, 0));
      if (v > 0 && v !== m[f]) next.arch[f as ArchField] = v;
    }
  }
  for (const chip of catalogChips) {
    const v = num(`price.${chip.id}`, 0);
    if (v > 0) next.prices[chip.id] = v;
  }
  for (const id of TDP_ASSUMED_IDS) {
    const v = num(`tdp.${id}`, 0);
    if (v > 0) next.tdpW[id] = v;
  }
  // A blank, malformed or out-of-range override falls back to the default (the field keeps its text).
  for (const key of OPTIONAL_KEYS) {
    const input = form.elements.namedItem(key) as HTMLInputElement | null;
    next[key] = input ? optionalValue(key, input.value) : store.state[key];
  }
  next.pricing = (form.elements.namedItem("pricing") as HTMLSelectElement).value;
  next.region = (form.elements.namedItem("region") as HTMLSelectElement).value;
  next.checkpoint =
    (form.elements.namedItem("checkpoint") as HTMLSelectElement).value === "sync" ? "sync" : "async";
  const checked = [...form.querySelectorAll<HTMLInputElement>('input[name="chip"]:checked')].map(
    (b) => b.value,
  );
  const selection = chipIdsFromChecked(
    checked,
    catalogChips.map((c) => c.id),
    store.state.chipIds,
  );
  next.chipIds = selection.chipIds;
  chipsKept = selection.kept;
  return roundWholeNumbers(next);
}

// ---------- state ----------
function setState(next: AppState, rebuild = false): void {
  const modelChanged = next.model !== store.state.model;
  store.state = next;
  writeUrl();
  if (rebuild || modelChanged) buildControls();
  else markOverrides();
  const hint = $("controls")
    .querySelector("input[name=gCO2PerKWh]")
    ?.closest(".field")
    ?.querySelector("small");
  if (hint) hint.textContent = gridHint();
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
    const next = readControls();
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
    if ((e.target as HTMLElement).id === "reset-arch") setState({ ...readControls(), arch: {} }, true);
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
