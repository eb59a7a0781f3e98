/**
 * Which controls hold a value of the user's in place of a preset, catalog or default one, and the
 * marks that say so: the control highlighted, "(your value)" in its label.
 */

import { $, el } from "./dom.js";
import { type ArchField, OPTIONAL_KEYS, type OptionalKey } from "./state.js";
import { store } from "./store.js";

/** Whether the control named `name` holds a value of the user's in place of a preset or catalog one. */
function overridden(name: string): boolean {
  const { state } = store;
  const [kind, key] = name.split(".");
  if (kind === "arch") return state.arch[key as ArchField] !== undefined;
  if (kind === "price") return state.prices[key] !== undefined;
  if (kind === "tdp") return state.tdpW[key] !== undefined;
  if (name === "failuresPerChipHour") return state.failuresPerChipHour > 0;
  if ((OPTIONAL_KEYS as readonly string[]).includes(name)) return state[name as OptionalKey] !== null;
  return false;
}

/**
 * Marks every overridden control as the state changes: typing a price or a PUE marks it at once,
 * without rebuilding the form under the cursor.
 */
export function markOverrides(): void {
  for (const input of $("controls").querySelectorAll<HTMLInputElement>("input[type=number]")) {
    const on = overridden(input.name);
    input.classList.toggle("override", on);
    const label = document.querySelector(`label[for="${input.id}"]`);
    const tag = label?.querySelector(".yours");
    if (on && label && !tag) label.append(el("span", { class: "yours" }, " (your value)"));
    if (!on) tag?.remove();
  }
}
