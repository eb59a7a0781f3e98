/**
 * The form: one fieldset per topic, every control filled from the store's state. Rebuilt whole
 * when the model changes (its architecture fields change) or a selection must be put back;
 * otherwise left alone while the user types, only its override marks updated (overrides.ts).
 */

import { defaultValue, economics } from "../cost/assumptions.js";
import { chips as catalogChips, instances } from "../hardware/catalog.js";
import { defaultComparisonChips } from "../hardware/profiles.js";
import type { Chip } from "../hardware/schema.js";
import { modelPresets } from "../workload/presets.js";
import { $, el, field, fieldset, numberInput, select } from "./dom.js";
import { fmt } from "./format.js";
import { markOverrides } from "./overrides.js";
import { carbonRegion, chipSourceText } from "./sources.js";
import {
  ARCH_FIELDS,
  MAX_COUNT,
  OPTIONAL_MAX,
  OPTIONAL_MIN,
  type OptionalKey,
  presetFor,
  TDP_ASSUMED_IDS,
} from "./state.js";
import { store } from "./store.js";

export function buildControls(): void {
  const form = $("controls");
  form.replaceChildren();
  form.append(
    workloadFields(),
    chipFields(),
    pricingFields(),
    reliabilityFields(),
    energyFields(),
    fieldset(
      "Capacity deal",
      field(
        "Budget (USD millions)",
        numberInput("budgetM", store.state.budgetM, { min: "0.1", step: "any" }),
      ),
      field("Years", numberInput("years", store.state.years, { min: "1", max: "10", step: "1" })),
    ),
  );
  markOverrides();
}

/** The grid field's hint names the region, so it follows the region select without a rebuild. */
export function refreshGridHint(): void {
  const hint = $("controls")
    .querySelector("input[name=gCO2PerKWh]")
    ?.closest(".field")
    ?.querySelector("small");
  if (hint) hint.textContent = gridHint();
}

function workloadFields(): HTMLFieldSetElement {
  const { state } = store;
  const preset = presetFor(state);
  const modelSelect = select(
    "model",
    modelPresets.map((p) => [p.id, p.model.name]),
    preset.id,
  );
  modelSelect.id = "model";
  return fieldset(
    "Workload",
    field("Model", modelSelect, `source: ${preset.source.title}`),
    field("Training tokens (billions)", numberInput("tokensB", state.tokensB, { min: "1", step: "any" })),
    field("Sequence length", numberInput("seqLen", state.seqLen, { min: "128", step: "128" })),
    field("Global batch (sequences)", numberInput("globalBatch", state.globalBatch, { min: "1", step: "1" })),
    architectureFields(),
  );
}

/** The preset's architecture, each field showing the user's value where one is set. */
function architectureFields(): HTMLDetailsElement {
  const { state } = store;
  const arch = el("details", {}, el("summary", {}, "Edit architecture"));
  const m = presetFor(state).model;
  for (const f of ARCH_FIELDS) {
    const v = state.arch[f] ?? (m[f] as number | null | undefined) ?? "";
    const input = numberInput(`arch.${f}`, v === "" ? 0 : v, { min: "1", step: "1" });
    arch.append(field(f, input));
  }
  arch.append(el("button", { type: "button", id: "reset-arch" }, "Reset to preset"));
  if (Object.keys(state.arch).length > 0) arch.open = true;
  return arch;
}

function chipFields(): HTMLFieldSetElement {
  const { state } = store;
  const boxes = el("div", { class: "chips", role: "group", "aria-label": "Chip types" });
  const defaults = new Set(defaultComparisonChips(catalogChips).map((c) => c.id));
  for (const chip of catalogChips) {
    const box = el("input", { type: "checkbox", name: "chip", value: chip.id, id: `chip-${chip.id}` });
    box.checked = state.chipIds.length === 0 ? defaults.has(chip.id) : state.chipIds.includes(chip.id);
    boxes.append(el("label", { for: box.id, title: chipSourceText(chip) }, box, ` ${chip.id}`));
  }
  return fieldset(
    "Chips",
    field(
      "Chips per run (count)",
      numberInput("count", state.count, { min: "1", max: String(MAX_COUNT), step: "1" }),
    ),
    boxes,
  );
}

function pricingFields(): HTMLFieldSetElement {
  const { state } = store;
  const pricings = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.pricing)))];
  const regions = [...new Set(instances.flatMap((i) => i.prices.map((p) => p.region)))].sort();
  return fieldset(
    "Pricing",
    field(
      "Pricing",
      select(
        "pricing",
        pricings.map((p) => [p, p]),
        state.pricing,
      ),
    ),
    field(
      "Region",
      select(
        "region",
        [["", "cheapest region"], ...regions.map((r): [string, string] => [r, r])],
        state.region,
      ),
    ),
    perChipFields("Your prices ($/chip-hour)", catalogChips, state.prices, (chip) => ({
      input: el("input", {
        type: "number",
        name: `price.${chip.id}`,
        min: "0",
        step: "any",
        placeholder: "catalog",
      }),
    })),
  );
}

function reliabilityFields(): HTMLFieldSetElement {
  const { state } = store;
  return fieldset(
    "Failures and checkpoints",
    field(
      "Failures per chip-hour",
      numberInput("failuresPerChipHour", state.failuresPerChipHour, { min: "0", step: "any" }),
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
        state.checkpoint,
      ),
    ),
    optionalField(
      "Restart after a failure (seconds)",
      "restartSeconds",
      `blank = ${defaultValue("restartSeconds")} s (${economics.defaults.restartSeconds.source.title.split(",")[0]})`,
    ),
  );
}

function energyFields(): HTMLFieldSetElement {
  const assumed = catalogChips.filter((c) => TDP_ASSUMED_IDS.includes(c.id));
  return fieldset(
    "Energy and carbon",
    optionalField(
      "PUE (facility / IT power)",
      "pue",
      `blank = ${defaultValue("pue")} (${economics.defaults.pue.source.title})`,
    ),
    optionalField("Grid intensity (gCO2e/kWh)", "gCO2PerKWh", gridHint()),
    perChipFields("Chip power where the TDP is assumed (W)", assumed, store.state.tdpW, (chip) => ({
      input: el("input", {
        type: "number",
        name: `tdp.${chip.id}`,
        min: "1",
        step: "any",
        placeholder: `${chip.tdpW} (assumed)`,
      }),
      hint: `catalog assumes ${chip.tdpW} W`,
    })),
  );
}

/**
 * One number input per chip (your prices, assumed TDPs), blank unless the user set one, in a
 * details that starts open when any is set.
 */
function perChipFields(
  summary: string,
  chips: readonly Chip[],
  values: Record<string, number>,
  control: (chip: Chip) => { input: HTMLInputElement; hint?: string },
): HTMLDetailsElement {
  const details = el("details", {}, el("summary", {}, summary));
  for (const chip of chips) {
    const { input, hint } = control(chip);
    const v = values[chip.id];
    if (v !== undefined) input.value = String(v);
    details.append(field(chip.id, input, hint));
  }
  if (Object.keys(values).length > 0) details.open = true;
  return details;
}

/** A number field that is blank unless the user sets it; a set value is highlighted and labelled. */
function optionalField(label: string, name: OptionalKey, hint: string): HTMLElement {
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
