import { basename } from "node:path";
import { InputError, inputErrorFromZod, suggest } from "../errors.js";
import { chipIds, findChip } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";
import { parseScenarioText, suggestChipIds } from "../scenario/parse.js";
import { parseCount } from "../util/units.js";
import { findModelPreset, modelPresetIds } from "../workload/presets.js";
import { type Model, ModelSchema } from "../workload/schema.js";
import { readInputFile } from "./io.js";

// Command-line values shared by plan, compare and capacity.

/** A model preset id or a YAML/JSON file holding a model; returns the model and a label. */
export async function resolveModelArg(
  value: string,
  flag = "--model",
): Promise<{ model: Model; name: string }> {
  const preset = findModelPreset(value);
  if (preset) return { model: preset.model, name: preset.id };
  if (!/\.(ya?ml|json)$/i.test(value)) {
    throw new InputError({
      field: flag,
      value,
      allowed: `a model preset (${modelPresetIds().join(", ")}) or a .yaml/.json model file`,
      suggestion: suggest(value, modelPresetIds()),
    });
  }
  const raw = parseScenarioText(await readInputFile(value, `${flag} file`), value);
  const body =
    raw !== null && typeof raw === "object" && "model" in raw ? (raw as { model: unknown }).model : raw;
  const parsed = ModelSchema.safeParse(body);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, body, `${basename(value)}: model`);
  return { model: parsed.data, name: basename(value) };
}

export function parseChipList(text: string, flag = "--chip"): Chip[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((id) => {
      const chip = findChip(id);
      if (!chip) {
        throw new InputError({
          field: flag,
          value: id,
          allowed: `chip ids separated by commas: ${chipIds().join(", ")}`,
          suggestion: suggestChipIds(id),
        });
      }
      return chip;
    });
}

/** "$38B", "38e9", "500M" as dollars. */
export function parseUsd(text: string, flag: string): number {
  return parseCount(text.trim().replace(/^\$/, ""), { field: flag });
}
