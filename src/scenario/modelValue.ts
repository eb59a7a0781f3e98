/**
 * A model given as a value rather than a preset name: trainplan's own fields or a Hugging Face
 * config.json (workload/huggingFace.ts), with what was assumed in reading it and the parameter
 * counts, so that a user checks the reading against the model card.
 */
import { inputErrorFromZod } from "../errors.js";
import { isHuggingFaceConfig, modelFromHuggingFace } from "../workload/huggingFace.js";
import { countParameters } from "../workload/parameters.js";
import { type Model, ModelSchema } from "../workload/schema.js";

export interface ModelReading {
  model: Model;
  /** The parameter counts first, then each guess made in reading the value. */
  notes: string[];
}

/** Billions with three significant figures at least: 405.9B, 8.03B, 0.124B. */
function billions(n: number): string {
  const b = n / 1e9;
  return `${b >= 100 ? b.toFixed(1) : b >= 1 ? b.toFixed(2) : b.toFixed(3)}B`;
}

/** "llama.json: 8.03B parameters, 8.03B active per token (...)": the line printed for every model file. */
export function parameterCountsNote(label: string, model: Model, what: string): string {
  const c = countParameters(model);
  const mtp = c.mtp > 0 ? `, ${billions(c.mtp)} of them in MTP modules` : "";
  return `${label} (${what}): ${billions(c.total)} parameters${mtp}, ${billions(c.active)} active per token; check them against the model card`;
}

/** Reads a model value; `label` names it in messages (a file name, or "model" in a scenario). */
export function modelFromValue(raw: unknown, label: string): ModelReading {
  if (isHuggingFaceConfig(raw)) {
    const imported = modelFromHuggingFace(raw, label);
    const what = `Hugging Face ${imported.modelType} config`;
    return {
      model: imported.model,
      notes: [
        parameterCountsNote(label, imported.model, what),
        ...imported.guesses.map((g) => `${label}: ${g}`),
      ],
    };
  }
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, raw, label, ModelSchema);
  return { model: parsed.data, notes: [parameterCountsNote(label, parsed.data, "trainplan model fields")] };
}
