/**
 * The plan shown in detail written out for a framework, as `trainplan plan --emit TARGET` prints it
 * (src/emit: pure, shared with the CLI): the text to copy or download, or, where the framework cannot
 * express the plan, the emitter's reason instead.
 */

import { emitInputOf } from "../emit/emit.js";
import { emittedFile } from "../emit/emitText.js";
import { EMIT_TARGETS, type EmitTarget } from "../emit/types.js";
import { chips as catalogChips } from "../hardware/catalog.js";
import { $, el } from "./dom.js";
import { modelFor, type Row } from "./engine.js";
import { download } from "./exports.js";
import type { ShownPlan } from "./planDetail.js";
import { setBusy } from "./status.js";
import { store } from "./store.js";

/** Each target's file: what it holds, named so an editor knows it. */
const FILE_NAMES: Record<EmitTarget, string> = {
  megatron: "megatron-args.txt",
  "megatron-bridge": "megatron-bridge-overrides.txt",
  torchtitan: "torchtitan.toml",
  neuronx: "neuronx-distributed.yaml",
};

/** The export's text for the plan shown, or why there is none. */
export function planExportText(
  target: EmitTarget,
  r: Row,
  shown: ShownPlan,
): { ok: true; text: string } | { ok: false; reason: string } {
  const chip = catalogChips.find((c) => c.id === r.chip);
  if (!chip) return { ok: false, reason: `${r.chip} is not a catalog chip` };
  const run = { globalBatch: r.globalBatch, layers: modelFor(store.state).layers, chip };
  return emittedFile(target, emitInputOf(shown.plan.parallelism, run));
}

function target(): EmitTarget {
  const v = $<HTMLSelectElement>("emit-target").value;
  return (EMIT_TARGETS as readonly string[]).includes(v) ? (v as EmitTarget) : EMIT_TARGETS[0];
}

/** Shows the export of the plan in detail (none: the section says there is no plan). */
export function renderPlanExport(r: Row | undefined, shown: ShownPlan | null): void {
  const text = $("emit-text");
  const reason = $("emit-reason");
  const file =
    r && shown ? planExportText(target(), r, shown) : { ok: false as const, reason: "no plan shown" };
  text.textContent = file.ok ? file.text : "";
  text.hidden = !file.ok;
  reason.textContent = file.ok ? "" : `${target()} cannot take this plan: ${file.reason}`;
  for (const id of ["emit-copy", "emit-download"]) $<HTMLButtonElement>(id).disabled = !file.ok;
}

export function wirePlanExport(onChange: () => void): void {
  const pick = $<HTMLSelectElement>("emit-target");
  pick.replaceChildren(...EMIT_TARGETS.map((t) => el("option", { value: t }, t)));
  pick.addEventListener("change", onChange);
  $("emit-copy").addEventListener("click", async () => {
    const text = $("emit-text").textContent ?? "";
    try {
      await navigator.clipboard.writeText(text);
      setBusy(false, `${target()} export copied`);
    } catch {
      setBusy(false, "Copy failed: select the text and copy it");
    }
  });
  $("emit-download").addEventListener("click", () =>
    download(`trainplan-${FILE_NAMES[target()]}`, "text/plain", $("emit-text").textContent ?? ""),
  );
}
