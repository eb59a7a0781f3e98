import { $ } from "./dom.js";

/** The status line over the results, and whether the results are being computed (aria-busy). */
export function setBusy(busy: boolean, text: string): void {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("busy", busy);
  $("results").setAttribute("aria-busy", String(busy));
}
