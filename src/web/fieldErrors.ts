/**
 * Refused values, shown where they were typed: each field's message in its error slot (dom.ts
 * field), the control marked invalid, and a summary in place of the results, which are cleared so
 * no figure computed from other values stays on screen.
 */

import { $, el } from "./dom.js";
import { store } from "./store.js";

/** Writes each field's error (and clears the others'); returns how many fields are refused. */
export function showFieldErrors(): number {
  const form = $<HTMLFormElement>("controls");
  const errors = store.fieldErrors;
  for (const control of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")) {
    const message = Object.hasOwn(errors, control.name) ? errors[control.name] : "";
    const slot = control.id ? document.getElementById(`${control.id}-error`) : null;
    if (slot) slot.textContent = message;
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
  const arch = document.getElementById("arch-error");
  if (arch) arch.textContent = Object.hasOwn(errors, "arch") ? errors.arch : "";
  if (Object.hasOwn(errors, "arch"))
    (document.getElementById("arch") as HTMLDetailsElement | null)?.setAttribute("open", "");
  return Object.keys(errors).length;
}

/** What the link held that was ignored, above the results; hidden when nothing was. */
export function showIgnored(): void {
  const box = $("ignored");
  box.hidden = store.ignored.length === 0;
  box.replaceChildren(
    el("strong", {}, "Ignored from the link (the default is used instead): "),
    el("ul", {}, ...store.ignored.map((i) => el("li", {}, i))),
  );
}

/** The results as they stand while a field is refused: none, and the words that say why. */
export function clearResultsFor(count: number): void {
  store.rows = [];
  store.capacity = null;
  store.capacityError = `Not computed: ${count} field${count === 1 ? "" : "s"} refused (see the messages beside them).`;
}
