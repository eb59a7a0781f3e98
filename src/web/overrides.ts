/**
 * Which controls hold a value of the user's in place of a preset, catalog or default one, and the
 * marks that say so: the control highlighted, "(your value)" in its label.
 */

import { $, el } from "./dom.js";
import { ARCH_FIELDS, type ArchField, NUMBER_FIELDS, NUMBER_KEYS } from "./state.js";
import { store } from "./store.js";

/** Whether the control named `name` holds a value of the user's in place of a preset, catalog or default one. */
function overridden(name: string): boolean {
  const { state } = store;
  const dot = name.indexOf(".");
  const [kind, key] = dot < 0 ? [name, ""] : [name.slice(0, dot), name.slice(dot + 1)];
  if (kind === "arch") {
    return (ARCH_FIELDS as readonly string[]).includes(key)
      ? state.arch[key as ArchField] !== undefined
      : Object.hasOwn(state.archFlags, key);
  }
  if (kind === "price") return Object.hasOwn(state.prices, key);
  if (kind === "tdp") return Object.hasOwn(state.tdpW, key);
  const numberKey = NUMBER_KEYS.find((k) => k === name);
  // Optional fields hold the user's value when set; required ones are always the user's.
  if (numberKey && NUMBER_FIELDS[numberKey].optional && numberKey !== "count")
    return state[numberKey] !== null;
  return false;
}

/**
 * Marks every overridden control as the state changes: typing a price or a PUE marks it at once,
 * without rebuilding the form under the cursor.
 */
export function markOverrides(): void {
  for (const input of $("controls").querySelectorAll<HTMLInputElement | HTMLSelectElement>(
    "input.num, select[name^='arch.']",
  )) {
    const on = overridden(input.name);
    input.classList.toggle("override", on);
    const label = document.querySelector(`label[for="${input.id}"]`);
    const tag = label?.querySelector(".yours");
    if (on && label && !tag) label.append(el("span", { class: "yours" }, " (your value)"));
    if (!on) tag?.remove();
  }
}
