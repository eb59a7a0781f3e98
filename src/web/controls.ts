/**
 * The form: one fieldset per topic, every control filled from the store's state. Rebuilt whole
 * when the model changes (its architecture fields change) or a selection must be put back (focus is
 * kept on the same control); otherwise left alone while the user types, only its override marks
 * and error messages updated (overrides.ts, fieldErrors.ts). A blank field means the CLI's default,
 * and its placeholder says which.
 */

import { describeDefault, economics } from "../cost/assumptions.js";
import { chips as catalogChips } from "../hardware/catalog.js";
import { defaultComparisonChips, profileForChip } from "../hardware/profiles.js";
import type { Chip } from "../hardware/schema.js";
import {
  CONSTRAINT_TEXT_FORMS,
  constraintFlag,
  TEXT_DIMENSIONS,
  type TextDimension,
} from "../plan/constraintText.js";
import { RUN_DEFAULTS } from "../plan/runDefaults.js";
import { FRAMEWORKS } from "../plan/software.js";
import { borrowedProfileNote } from "../report/profileNote.js";
import { defaultGlobalBatch } from "../workload/batch.js";
import { modelPresets } from "../workload/presets.js";
import { $, el, field, fieldset, keepFocus, select, textNumber } from "./dom.js";
import { fmt } from "./format.js";
import { markOverrides } from "./overrides.js";
import { carbonRegion, chipSourceText } from "./sources.js";
import {
  type AppState,
  ARCH_FIELDS,
  ARCH_FLAGS,
  PRECISION_CHOICES,
  PRICINGS,
  presetArchValue,
  presetFor,
  REGIONS,
  TDP_ASSUMED_IDS,
} from "./state.js";
import { store } from "./store.js";

export function buildControls(): void {
  keepFocus(() => {
    const form = $("controls");
    form.replaceChildren();
    form.append(
      workloadFields(),
      chipFields(),
      pricingFields(),
      reliabilityFields(),
      energyFields(),
      constraintFields(),
      fieldset(
        "Capacity deal",
        field("Budget (USD millions)", num("budgetM", store.state.budgetM)),
        field("Years", num("years", store.state.years), "1 to 30, as the CLI's --years"),
        field(
          "Price decline (% per year)",
          num(
            "priceDeclinePct",
            store.state.priceDeclinePct,
            `${RUN_DEFAULTS.priceDeclinePctPerYear} (default)`,
          ),
          `blank = ${describeDefault("priceDeclinePctPerYear")}`,
        ),
      ),
      fieldset(
        "Inspect a plan",
        field(
          "Layout to simulate",
          el("input", {
            type: "text",
            name: "layout",
            value: store.state.layout,
            placeholder: "e.g. tp8 pp4 dp32 mb1 full-recompute zero1 sp bf16",
            autocomplete: "off",
            spellcheck: "false",
          }),
          "on the selected chip at its count; blank = the plan chosen in the top plans",
        ),
      ),
    );
    markOverrides();
  });
}

/** Each constraint's label, with the CLI flag that sets it. */
const CONSTRAINT_LABELS: Record<TextDimension, string> = {
  tp: "Tensor parallel (tp)",
  pp: "Pipeline stages (pp)",
  vpp: "Virtual stages (vpp)",
  dp: "Data parallel (dp)",
  cp: "Context parallel (cp)",
  ep: "Expert parallel (ep)",
  microBatch: "Micro-batch",
  recompute: "Recomputation",
  zero: "ZeRO stage",
  sequenceParallel: "Sequence parallel",
};

/** What the searches keep to, in the vocabulary of compare's flags (src/plan/constraintText.ts). */
function constraintFields(): HTMLFieldSetElement {
  const { state } = store;
  const box = el("details", { id: "constraints" }, el("summary", {}, "Plan constraints"));
  for (const d of TEXT_DIMENSIONS) {
    const input = el("input", {
      type: "text",
      name: `constraint.${d}`,
      value: state.constraints[d] ?? "",
      placeholder: "any",
      autocomplete: "off",
      spellcheck: "false",
    });
    box.append(
      field(CONSTRAINT_LABELS[d], input, `${CONSTRAINT_TEXT_FORMS[d]}; as compare ${constraintFlag(d)}`),
    );
  }
  const stack = select(
    "framework",
    [["", "any (on Trainium: neuronx-distributed)"], ...FRAMEWORKS.map((f): [string, string] => [f, f])],
    state.framework,
  );
  box.append(
    field("Framework", stack, "plans only what this stack runs; as compare --framework"),
    el(
      "small",
      { class: "hint" },
      "Blank = searched in full. The plan detail says how many plans each removed.",
    ),
  );
  if (Object.keys(state.constraints).length > 0 || state.framework) box.open = true;
  return fieldset("Search", box);
}

/** A number field holding `value` (blank for null), with the default it stands for as its placeholder. */
function num(name: string, value: number | null, placeholder = ""): HTMLInputElement {
  return textNumber(name, value === null ? "" : String(value), placeholder);
}

/** The grid field's hint names the region, so it follows the region select without a rebuild. */
export function refreshGridHint(): void {
  const hint = $("controls")
    .querySelector("input[name=gCO2PerKWh]")
    ?.closest(".field")
    ?.querySelector("small.hint");
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
  const seq = state.seqLen ?? preset.model.seqLen;
  const batch = defaultGlobalBatch(preset.model, seq);
  return fieldset(
    "Workload",
    field("Model", modelSelect, `source: ${preset.source.title}`),
    field("Training tokens (billions)", num("tokensB", state.tokensB)),
    field(
      "Sequence length",
      num("seqLen", state.seqLen, `${preset.model.seqLen} (the model's)`),
      `blank = the model's ${preset.model.seqLen} tokens`,
    ),
    field(
      "Global batch (sequences)",
      num("globalBatch", state.globalBatch, `${batch.sequences} (default)`),
      `blank = ${batch.note.replace(/^global batch /, "")}`,
    ),
    field(
      "Precision",
      select(
        "precision",
        PRECISION_CHOICES.map((p) => [p, precisionText(p)]),
        state.precision,
      ),
    ),
    architectureFields(),
  );
}

function precisionText(p: AppState["precision"]): string {
  if (p === "auto") return "auto (fp8 where the chip has it)";
  return p === RUN_DEFAULTS.precision ? `${p} (default)` : p;
}

/** The preset's architecture, each field showing the user's value where one is set, the preset's as placeholder. */
function architectureFields(): HTMLDetailsElement {
  const { state } = store;
  const arch = el("details", { id: "arch" }, el("summary", {}, "Edit architecture"));
  const m = presetFor(state).model;
  for (const f of ARCH_FIELDS) {
    const preset = presetArchValue(m, f);
    const input = num(
      `arch.${f}`,
      state.arch[f] ?? null,
      preset === null ? "not in this model" : String(preset),
    );
    arch.append(field(f, input));
  }
  for (const f of ARCH_FLAGS) {
    const v = state.archFlags[f];
    const s = select(
      `arch.${f}`,
      [
        ["", `preset (${m[f] ? "yes" : "no"})`],
        ["true", "yes"],
        ["false", "no"],
      ],
      v === undefined ? "" : String(v),
    );
    arch.append(field(f, s));
  }
  arch.append(
    el(
      "small",
      { class: "hint" },
      "Blank = the preset's value. Adding MoE or MLA to a model needs all of its fields.",
    ),
    el("p", { class: "error", id: "arch-error", role: "alert" }),
    el("button", { type: "button", id: "reset-arch" }, "Reset to preset"),
  );
  if (Object.keys(state.arch).length + Object.keys(state.archFlags).length > 0) arch.open = true;
  return arch;
}

function chipFields(): HTMLFieldSetElement {
  const { state } = store;
  const boxes = el("div", { class: "chips", role: "group", "aria-label": "Chip types" });
  const defaults = new Set(defaultComparisonChips(catalogChips).map((c) => c.id));
  for (const chip of catalogChips) {
    const box = el("input", { type: "checkbox", name: "chip", value: chip.id, id: `chip-${chip.id}` });
    box.checked = state.chipIds.length === 0 ? defaults.has(chip.id) : state.chipIds.includes(chip.id);
    const borrowed = borrowedProfileNote(chip.id, profileForChip(chip).from, profileForChip(chip).basis);
    const label = el("label", { for: box.id, title: chipSourceText(chip) }, box, ` ${chip.id}`);
    if (borrowed) label.append(el("span", { class: "borrowed", title: borrowed }, " †"));
    boxes.append(label);
  }
  return fieldset(
    "Chips",
    field(
      "Chips per run (count)",
      num("count", state.count, "auto"),
      `blank = the count compare picks: the cheapest meeting the deadline and budget (without a deadline, finishing within ${RUN_DEFAULTS.maxDays} days)`,
    ),
    field("Deadline (days)", num("deadlineDays", state.deadlineDays, "none"), "as compare --deadline-days"),
    field("Run budget (USD millions)", num("runBudgetM", state.runBudgetM, "none"), "as compare --budget"),
    boxes,
    el("small", { class: "hint" }, "† borrows another chip's fitted profile (hover for whose)"),
  );
}

function pricingFields(): HTMLFieldSetElement {
  const { state } = store;
  return fieldset(
    "Pricing",
    field(
      "Pricing",
      select(
        "pricing",
        PRICINGS.map((p) => [p, p]),
        state.pricing,
      ),
    ),
    field(
      "Region",
      select(
        "region",
        [["", "cheapest region"], ...REGIONS.map((r): [string, string] => [r, r])],
        state.region,
      ),
    ),
    perChipFields("Your prices ($/chip-hour)", catalogChips, state.prices, (chip) => ({
      input: textNumber(`price.${chip.id}`, "", "catalog"),
    })),
  );
}

function reliabilityFields(): HTMLFieldSetElement {
  const { state } = store;
  return fieldset(
    "Failures and checkpoints",
    field(
      "Failures per chip-hour",
      num("failuresPerChipHour", state.failuresPerChipHour, `${RUN_DEFAULTS.failuresPerChipHour} (default)`),
      `blank = ${describeDefault("failuresPerChipHour")}`,
    ),
    field(
      "Checkpointing",
      select(
        "checkpoint",
        [
          ["sync", `sync (write to storage)${RUN_DEFAULTS.checkpointMode === "sync" ? ", default" : ""}`],
          ["async", `async (snapshot to host)${RUN_DEFAULTS.checkpointMode === "async" ? ", default" : ""}`],
        ],
        state.checkpoint,
      ),
    ),
    field(
      "Restart after a failure (seconds)",
      num("restartSeconds", state.restartSeconds, "default"),
      `blank = ${RUN_DEFAULTS.restartSeconds} s (${economics.defaults.restartSeconds.source.title.split(",")[0]})`,
    ),
    field(
      "Checkpoint storage (GB/s per node)",
      num("storageGBps", state.storageGBps, "default"),
      `blank = ${describeDefault("storageWriteGBpsPerNode")}`,
    ),
  );
}

function energyFields(): HTMLFieldSetElement {
  const { state } = store;
  const assumed = catalogChips.filter((c) => TDP_ASSUMED_IDS.includes(c.id));
  return fieldset(
    "Energy and carbon",
    field(
      "PUE (facility / IT power)",
      num("pue", state.pue, "default"),
      `blank = ${RUN_DEFAULTS.pue} (${economics.defaults.pue.source.title})`,
    ),
    field("Grid intensity (gCO2e/kWh)", num("gCO2PerKWh", state.gCO2PerKWh, "default"), gridHint()),
    perChipFields("Chip power where the TDP is assumed (W)", assumed, state.tdpW, (chip) => ({
      input: textNumber(`tdp.${chip.id}`, "", `${chip.tdpW} (assumed)`),
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

/** The intensity a blank grid field stands for: the region's, or the default region's where none is stored. */
function gridHint(): string {
  const region = carbonRegion(store.state.region);
  const g = economics.gridIntensity[region];
  return g ? `blank = ${region}'s ${fmt(g.value, 0)} ${g.unit}` : "blank = the region's";
}
