/**
 * The JSON Schema of a scenario file, generated from ScenarioSchema (the one source of its fields),
 * for editors that validate YAML and JSON as it is typed (`# yaml-language-server: $schema=...`).
 * Two things zod's generator cannot see are added: a null where a default applies (orDefault reads
 * null as "use the default"), and `model` given as a Hugging Face config.json (read in parse.ts).
 */
import { z } from "zod";
import { ScenarioSchema } from "./schema.js";

type JsonSchema = { [key: string]: unknown };

/** Where the package's copy is published (unpkg serves any npm package's files). */
export const SCENARIO_SCHEMA_URL = "https://unpkg.com/trainplan/dist/scenario.schema.json";

/** A Hugging Face config.json as `model`: recognised as parse.ts does (workload/huggingFace.ts). */
const HUGGING_FACE_MODEL: JsonSchema = {
  type: "object",
  description: "a Hugging Face config.json, read as trainplan's model (docs/huggingface.md)",
  anyOf: ["model_type", "architectures", "num_hidden_layers", "n_layer", "n_layers"].map((k) => ({
    required: [k],
  })),
};

/** Lets null stand wherever a default applies, as orDefault (util/schema.ts) accepts it. */
function allowNullForDefaults(node: unknown): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const item of node) allowNullForDefaults(item);
    return;
  }
  const schema = node as JsonSchema;
  for (const value of Object.values(schema)) allowNullForDefaults(value);
  if ("default" in schema && typeof schema.type === "string") schema.type = [schema.type, "null"];
}

/** What the constraints parser reads beyond the generated shapes: the flags' text forms, and null. */
const FLAG_TEXT: JsonSchema = {
  type: "string",
  description: "as the plan flags write it: N, A..B or N,M,... for a size, comma-separated words for a list",
};

/**
 * Lets each constraint be written as the flags' text (`pp: 1..4`, `zero: 0,zero3`) or left null, as
 * the parser reads it (src/plan/constraints.ts, src/scenario/schema.ts): a preprocessing step zod's
 * generator cannot see.
 */
function allowFlagTexts(constraints: JsonSchema | undefined): void {
  const branches = (constraints?.anyOf ?? []) as JsonSchema[];
  const block = branches.find((b) => b.type === "object");
  const fields = (block?.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, field] of Object.entries(fields)) {
    const forms = key === "framework" ? [{ type: "null" }] : [FLAG_TEXT, { type: "null" }];
    fields[key] = { anyOf: [...((field.anyOf as JsonSchema[] | undefined) ?? [field]), ...forms] };
  }
}

export function scenarioJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(ScenarioSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  allowNullForDefaults(generated);
  const properties = generated.properties as Record<string, JsonSchema>;
  allowFlagTexts(properties.constraints);
  const model = properties.model;
  if (Array.isArray(model?.anyOf)) model.anyOf.push(HUGGING_FACE_MODEL);
  return {
    $schema: generated.$schema,
    $id: SCENARIO_SCHEMA_URL,
    title: "trainplan scenario",
    description:
      "One training run for trainplan simulate (the case format of data/validation/FORMAT.md); generated from ScenarioSchema.",
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== "$schema")),
  };
}
