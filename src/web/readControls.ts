import { isCheckpointMode } from "../cost/checkpoint.js";
/** The form read back into an app state: the inverse of controls.ts. */

import { chips as catalogChips } from "../hardware/catalog.js";
import { defaultComparisonChips } from "../hardware/profiles.js";
import { $ } from "./dom.js";
import {
  type AppState,
  ARCH_FIELDS,
  chipIdsFromChecked,
  NUMBER_KEYS,
  OPTIONAL_KEYS,
  optionalValue,
  presetFor,
  roundWholeNumbers,
  TDP_ASSUMED_IDS,
} from "./state.js";
import { store } from "./store.js";

export interface ReadState {
  state: AppState;
  /** The last chip box was unchecked: the previous chip selection was kept. */
  chipsKept: boolean;
}

/** Reads every control into a new state; invalid numbers keep the previous value. */
export function readControls(): ReadState {
  const previous = store.state;
  const form = $<HTMLFormElement>("controls");
  const item = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  const num = (name: string, fallback: number) => {
    const input = item(name);
    const n = input ? Number(input.value) : Number.NaN;
    return input && input.value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  const next: AppState = { ...previous, arch: {}, prices: {}, tdpW: {} };
  next.model = item("model")!.value;
  for (const key of NUMBER_KEYS) next[key] = num(key, previous[key]);
  if (next.model === previous.model) {
    const m = presetFor(previous).model;
    for (const f of ARCH_FIELDS) {
      const v = Math.round(num(`arch.${f}`, 0));
      if (v > 0 && v !== m[f]) next.arch[f] = v;
    }
  }
  next.prices = positives(
    catalogChips.map((c) => c.id),
    (id) => num(`price.${id}`, 0),
  );
  next.tdpW = positives(TDP_ASSUMED_IDS, (id) => num(`tdp.${id}`, 0));
  // A blank, malformed or out-of-range override falls back to the default (the field keeps its text).
  for (const key of OPTIONAL_KEYS) {
    const input = item(key);
    next[key] = input ? optionalValue(key, input.value) : previous[key];
  }
  next.pricing = item("pricing")!.value;
  next.region = item("region")!.value;
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
  return { state: roundWholeNumbers(next), chipsKept: selection.kept };
}

/** The ids whose field holds a positive number, with that number (0 = blank or invalid). */
function positives(ids: readonly string[], value: (id: string) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of ids) {
    const v = value(id);
    if (v > 0) out[id] = v;
  }
  return out;
}
