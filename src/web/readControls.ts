/**
 * The form read back into an app state: the inverse of controls.ts. Every number is checked as the
 * CLI checks its flag (src/plan/inputLimits.ts); a refused value becomes the field's error, never a
 * clamped or ignored value.
 */

import { isCheckpointMode } from "../cost/checkpoint.js";
import { inputErrorMessage } from "../errors.js";
import { chips as catalogChips } from "../hardware/catalog.js";
import { defaultComparisonChips } from "../hardware/profiles.js";
import { constraintFlag, TEXT_DIMENSIONS } from "../plan/constraintText.js";
import { describeLimit, type LimitKey, withinLimit } from "../plan/inputLimits.js";
import { FRAMEWORKS, type Framework } from "../plan/software.js";
import { $ } from "./dom.js";
import { modelError } from "./engine.js";
import {
  type AppState,
  ARCH_FIELDS,
  ARCH_FLAGS,
  archValueOk,
  chipIdsFromChecked,
  describeArch,
  describeField,
  fieldValueOk,
  NUMBER_FIELDS,
  NUMBER_KEYS,
  PRECISION_CHOICES,
  type PrecisionChoice,
  readConstraint,
  TDP_ASSUMED_IDS,
} from "./state.js";
import { store } from "./store.js";

export interface ReadState {
  state: AppState;
  /** The last chip box was unchecked: the previous chip selection was kept. */
  chipsKept: boolean;
  /** Refused fields: the control's name and the message to show beside it ("arch" for the whole model). */
  errors: Record<string, string>;
}

/** Reads every control into a new state; each refused value is an error and keeps the previous value. */
export function readControls(): ReadState {
  const previous = store.state;
  const form = $<HTMLFormElement>("controls");
  const item = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  const errors: Record<string, string> = {};
  const refuse = (name: string, label: string, text: string, allowed: string) => {
    errors[name] = inputErrorMessage({ field: label, value: text, allowed });
  };
  const next: AppState = { ...previous, arch: {}, archFlags: {}, prices: {}, tdpW: {}, constraints: {} };
  next.model = item("model")!.value;
  for (const key of NUMBER_KEYS) {
    const text = item(key)?.value.trim() ?? "";
    if (text === "") {
      if (NUMBER_FIELDS[key].optional) (next[key] as number | null) = null;
      else refuse(key, key, text, `${describeField(key)}; this field is needed`);
      continue;
    }
    const n = Number(text);
    if (fieldValueOk(key, n)) (next[key] as number | null) = n;
    else refuse(key, key, text, describeField(key));
  }
  const precision = item("precision")?.value ?? next.precision;
  if ((PRECISION_CHOICES as readonly string[]).includes(precision))
    next.precision = precision as PrecisionChoice;
  if (next.model === previous.model) readArch(item, next, refuse);
  next.prices = perChip(
    catalogChips.map((c) => c.id),
    "price",
    "usdPerChipHour",
    item,
    refuse,
  );
  next.tdpW = perChip(TDP_ASSUMED_IDS, "tdp", "tdpW", item, refuse);
  readConstraints(item, next, refuse);
  next.pricing = item("pricing")!.value;
  next.region = item("region")!.value;
  next.layout = (item("layout")?.value ?? "").trim();
  const checkpoint = item("checkpoint")!.value;
  if (isCheckpointMode(checkpoint)) next.checkpoint = checkpoint;
  const checked = [...form.querySelectorAll<HTMLInputElement>('input[name="chip"]:checked')].map(
    (b) => b.value,
  );
  const selection = chipIdsFromChecked(
    checked,
    defaultComparisonChips(catalogChips).map((c) => c.id),
    previous.chipIds,
  );
  next.chipIds = selection.chipIds;
  if (Object.keys(errors).length === 0) {
    const bad = modelError(next);
    if (bad) errors.arch = bad;
  }
  return { state: next, chipsKept: selection.kept, errors };
}

type Item = (name: string) => HTMLInputElement | HTMLSelectElement | null;
type Refuse = (name: string, label: string, text: string, allowed: string) => void;

/** The architecture fields the user set (blank = the preset's). */
function readArch(item: Item, next: AppState, refuse: Refuse): void {
  for (const f of ARCH_FIELDS) {
    const text = item(`arch.${f}`)?.value.trim() ?? "";
    if (text === "") continue;
    const n = Number(text);
    if (archValueOk(f, n)) next.arch[f] = n;
    else refuse(`arch.${f}`, f, text, describeArch(f));
  }
  for (const f of ARCH_FLAGS) {
    const v = item(`arch.${f}`)?.value ?? "";
    if (v === "true" || v === "false") next.archFlags[f] = v === "true";
  }
}

/** The constraint fields, each checked as compare checks its flag (blank = searched in full). */
function readConstraints(item: Item, next: AppState, refuse: Refuse): void {
  for (const d of TEXT_DIMENSIONS) {
    const name = `constraint.${d}`;
    const text = item(name)?.value.trim() ?? "";
    if (text === "") continue;
    const read = readConstraint(d, text);
    if (read.ok) next.constraints[d] = read.text;
    else refuse(name, constraintFlag(d), text, read.allowed);
  }
  const framework = item("framework")?.value ?? "";
  next.framework = (FRAMEWORKS as readonly string[]).includes(framework) ? (framework as Framework) : "";
}

/** The per-chip fields (prices, TDPs) holding a value; blank = the catalog's. */
function perChip(
  ids: readonly string[],
  prefix: string,
  limit: LimitKey,
  item: Item,
  refuse: Refuse,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of ids) {
    const name = `${prefix}.${id}`;
    const text = item(name)?.value.trim() ?? "";
    if (text === "") continue;
    const n = Number(text);
    if (withinLimit(limit, n)) out[id] = n;
    else refuse(name, `${prefix} ${id}`, text, describeLimit(limit));
  }
  return out;
}
