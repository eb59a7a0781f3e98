/**
 * What a scenario leaves unsaid or inconsistent, filled with what such a run most likely used. Each
 * value assumed is stated in `assumptions`, which the prediction shows.
 */
import type { Chip } from "../hardware/schema.js";
import { derivedDp } from "../plan/derivedDp.js";
import { defaultGlobalBatch } from "../workload/batch.js";
import type { Model } from "../workload/schema.js";
import { slidingWindowFromNotes } from "../workload/slidingWindow.js";
import type { Scenario } from "./schema.js";

/** A model whose notes name a sliding window that its fields do not carry gets it, stated. */
export function withWindowFromNotes(model: Model, assumptions: string[]): Model {
  if (model.slidingWindow) return model;
  const window = slidingWindowFromNotes(model.notes);
  if (!window) return model;
  assumptions.push(
    `sliding-window attention read from the model notes: ${window.tokens} tokens on ${window.layers === "all" ? "every layer" : "every other layer"}`,
  );
  return { ...model, slidingWindow: window };
}

/** dp from the chip count when the published layout does not multiply out (at least 1). */
export function scenarioDp(s: Scenario, chip: Chip): number {
  const cores =
    s.parallelism.unit === "neuroncore" ? (s.hardware.neuronCoresPerChip ?? chip.neuronCoresPerChip ?? 1) : 1;
  const p = s.parallelism;
  return derivedDp(s.hardware.count * cores, p.tp, p.pp, p.cp);
}

/**
 * A likely global batch when none was published: 4M tokens (16M from 200B parameters), a multiple of
 * dp x micro-batch; `dp` null when the layout is still to be searched (a multiple of the micro-batch only).
 */
export function assumedGlobalBatch(
  s: Scenario,
  model: Model,
  chip: Chip,
  assumptions: string[],
  dp: number | null = s.parallelism.dp ?? scenarioDp(s, chip),
): number {
  const base = defaultGlobalBatch(model, model.seqLen);
  const step = (dp ?? 1) * (s.microBatch ?? 1);
  const sequences = Math.max(step, Math.round(base.sequences / step) * step);
  const rounded =
    dp === null ? "rounded to a multiple of the micro-batch" : "rounded to a multiple of dp x micro-batch";
  assumptions.push(`global batch ${sequences} sequences (not published; ${base.note}, ${rounded})`);
  return sequences;
}

/**
 * Fields a scenario may carry as the source published them that the engine does not read: said where a
 * user sets one, so a value that looks like a setting is not taken for one. The chips per node (the
 * scale-up domain is the catalog's; hardware.overrides.scaleUp changes it) and the fp8 scaling recipe
 * (fp8 runs at the chip's fp8 rate whatever the recipe).
 */
export function unreadFieldNotes(s: Scenario, chip: Chip): string[] {
  const notes: string[] = [];
  const perNode = s.hardware.chipsPerNode;
  if (perNode != null) {
    notes.push(
      `hardware.chipsPerNode ${perNode}: recorded as published, not read; the scale-up domain is the catalog's ${chip.scaleUp.domainChips} chips (${chip.scaleUp.name}; hardware.overrides.scaleUp.domainChips changes it)`,
    );
  }
  if (s.fp8Recipe != null) {
    notes.push(
      `fp8Recipe ${s.fp8Recipe}: recorded as published, not modelled; ${s.precision === "fp8" ? "fp8 runs at the chip's fp8 rate whatever the recipe" : `the run's precision is ${s.precision}`}`,
    );
  }
  return notes;
}
