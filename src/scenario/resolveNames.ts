/**
 * The names a scenario may use for catalog entries (a model preset, a chip id or alias) resolved to
 * the entries, or an InputError with the nearest valid names.
 */
import { InputError, suggest } from "../errors.js";
import { chipNames, findChip } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import { findModelPreset, suggestModelPresets } from "../workload/presets.js";
import type { Model } from "../workload/schema.js";
import type { Scenario } from "./schema.js";

/** A model given by preset name becomes the preset's model (and its id); a model object stays as is. */
export function resolveModel(
  model: Scenario["model"],
  field: string,
): { model: Model; modelPresetId?: string } {
  if (typeof model !== "string") return { model };
  const preset = findModelPreset(model);
  if (!preset) {
    throw new InputError({
      field,
      value: model,
      allowed:
        "a model preset name or Hugging Face id (run `trainplan models` for the list), a model object or a Hugging Face config.json object",
      suggestion: suggestModelPresets(model),
    });
  }
  return { model: preset.model, modelPresetId: preset.id };
}

/** Nearest chip ids, matching aliases too ("h100x" -> h100-sxm through its alias "h100"). */
export function suggestChipIds(input: string): string[] {
  const ids = suggest(input, chipNames(), 6).map((name) => findChip(name)?.id ?? name);
  return [...new Set(ids)].slice(0, 3);
}

/** The catalog chip for an id or alias. */
export function resolveChip(id: string, field: string): Chip {
  const chip = findChip(id);
  if (!chip) {
    throw new InputError({
      field,
      value: id,
      allowed: "a chip id from the catalog (run `trainplan chips` for the list)",
      suggestion: suggestChipIds(id),
    });
  }
  return chip;
}
