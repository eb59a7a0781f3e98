/** The export buttons: the whole result as JSON, the table as CSV, each chart as SVG, the link. */

import { drawnSvgs } from "./charts.js";
import { $, el } from "./dom.js";
import { rowsToCsv } from "./rowsToCsv.js";
import { setBusy } from "./status.js";
import { store } from "./store.js";

/** Saves `text` as a file named `name` through a temporary link. */
export function download(name: string, type: string, text: string): void {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

export function wireExports(): void {
  $("export-json").addEventListener("click", () => {
    const { state, rows, capacity } = store;
    download(
      "trainplan.json",
      "application/json",
      JSON.stringify({ state, url: location.href, rows, capacity }, null, 2),
    );
  });
  $("export-csv").addEventListener("click", () =>
    download("trainplan.csv", "text/csv", rowsToCsv(store.rows)),
  );
  $("export-svg").addEventListener("click", () => {
    for (const [name, svg] of Object.entries(drawnSvgs))
      download(`trainplan-${name}.svg`, "image/svg+xml", svg);
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
