/**
 * trainplan library API: schemas, catalogs, presets, parsing and report helpers.
 * Pure: nothing here reads files or prints (the CLI in src/cli does that).
 */
export * from "./errors.js";
export { chipIds, chips, findChip } from "./hardware/catalog.js";
export * from "./hardware/schema.js";
export * from "./plan/schema.js";
export * from "./report/format.js";
export * from "./report/table.js";
export * from "./scenario/parse.js";
export * from "./scenario/schema.js";
export * from "./util/units.js";
export { countParameters } from "./workload/parameters.js";
export * from "./workload/presets.js";
export * from "./workload/schema.js";
