import { dirname, resolve } from "node:path";
import { parseScenarioText } from "../scenario/readText.js";
import { findModelPreset } from "../workload/presets.js";
import { readModelFile } from "./inputs.js";
import { readInputFile } from "./io.js";
import type { CliIO } from "./types.js";

/** A scenario's raw value, with a `model:` file already read in, and what reading that file assumed. */
export interface ScenarioFile {
  raw: unknown;
  /** Parameter counts and guesses of a model file; empty for a preset or an inline model. */
  modelNotes: string[];
}

const MODEL_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads a scenario file, or standard input for `-`. A `model:` that names a .json/.yaml file (a
 * Hugging Face config.json or trainplan's model fields) is read relative to the scenario's folder.
 */
export async function readScenarioFile(file: string, io: CliIO, field = "FILE"): Promise<ScenarioFile> {
  const label = file === "-" ? "standard input" : file;
  const raw = parseScenarioText(await readInputFile(file, field, io.readStdin), label);
  if (raw === null || typeof raw !== "object" || !("model" in raw)) return { raw, modelNotes: [] };
  const model = (raw as { model: unknown }).model;
  if (typeof model !== "string" || findModelPreset(model) || !MODEL_FILE.test(model)) {
    return { raw, modelNotes: [] };
  }
  const base = file === "-" ? process.cwd() : dirname(file);
  const reading = await readModelFile(resolve(base, model), "model");
  return { raw: { ...raw, model: reading.model }, modelNotes: reading.notes };
}
