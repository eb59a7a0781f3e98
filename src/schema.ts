/**
 * `trainplan/schema`: the zod schemas every input is checked by (the one source of trainplan's types
 * and vocabularies), and the scenario file's JSON Schema generated from them.
 */
export * from "./hardware/schema.js";
export * from "./plan/constraints.js";
export * from "./plan/schema.js";
export { SCENARIO_SCHEMA_URL, scenarioJsonSchema } from "./scenario/jsonSchema.js";
export * from "./scenario/schema.js";
export * from "./workload/schema.js";
