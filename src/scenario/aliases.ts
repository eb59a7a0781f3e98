import { InputError } from "../errors.js";

/**
 * The names recipes use, read as the scenario's own, so a user can paste a parallelism block from
 * one: Megatron-LM / Megatron-Bridge / NxD Training (tensor_model_parallel_size, ...), torchtitan's
 * [parallelism] degrees (tensor_parallel_degree, ...). This is a step before the schema (parse.ts),
 * so the schema and its strictness see only the canonical names. An alias and its canonical name
 * (or two aliases of one name) given with different values is an error naming both.
 */

/** Alias -> canonical name, inside `parallelism`. */
const PARALLELISM_ALIASES: Record<string, string> = {
  tensor_model_parallel_size: "tp",
  tensor_parallel_degree: "tp",
  pipeline_model_parallel_size: "pp",
  pipeline_parallel_degree: "pp",
  virtual_pipeline_model_parallel_size: "vpp",
  context_parallel_size: "cp",
  context_parallel_degree: "cp",
  expert_model_parallel_size: "ep",
  expert_parallel_degree: "ep",
  data_parallel_size: "dp",
  sequence_parallel: "sequenceParallel",
};

/** Batch sizes live at the scenario's top level; recipes put them beside the parallel sizes or at the top. */
const BATCH_ALIASES: Record<string, string> = {
  micro_batch_size: "microBatch",
  global_batch_size: "globalBatch",
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Sets `target[name]` from an alias (at `aliasField`), or fails when it already holds a different
 * value; `setBy` remembers which field set each name, for the message.
 */
function put(
  target: Record<string, unknown>,
  name: string,
  value: unknown,
  where: { aliasField: string; canonicalField: string },
  setBy: Map<string, string>,
): void {
  // Megatron writes "no interleaving" as virtual_pipeline_model_parallel_size: null (or None).
  const v = name === "vpp" && value === null ? 1 : value;
  if (name in target && JSON.stringify(target[name]) !== JSON.stringify(v)) {
    const other = setBy.get(name) ?? where.canonicalField;
    throw new InputError({
      field: where.aliasField,
      value,
      allowed: `the value ${other} gives (${JSON.stringify(target[name])}), or only one of the two: both set ${where.canonicalField}`,
    });
  }
  target[name] = v;
  setBy.set(name, where.aliasField);
}

/** The scenario with every alias replaced by its canonical name (the input is not changed). */
export function withCanonicalNames(raw: unknown, prefix = ""): unknown {
  if (!isRecord(raw)) return raw;
  const field = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const inBlock = (key: string) => field(`parallelism.${key}`);
  const out: Record<string, unknown> = { ...raw };
  const topSetBy = new Map<string, string>();
  const moveAliases = (
    from: Record<string, unknown>,
    aliases: Record<string, string>,
    to: Record<string, unknown>,
    aliasField: (key: string) => string,
    canonicalField: (key: string) => string,
    setBy: Map<string, string>,
  ) => {
    for (const [alias, name] of Object.entries(aliases)) {
      if (!(alias in from)) continue;
      const value = from[alias];
      delete from[alias];
      put(to, name, value, { aliasField: aliasField(alias), canonicalField: canonicalField(name) }, setBy);
    }
  };
  moveAliases(out, BATCH_ALIASES, out, field, field, topSetBy);
  if (!isRecord(raw.parallelism)) return out;
  const parallelism: Record<string, unknown> = { ...raw.parallelism };
  moveAliases(parallelism, PARALLELISM_ALIASES, parallelism, inBlock, inBlock, new Map());
  moveAliases(parallelism, BATCH_ALIASES, out, inBlock, field, topSetBy);
  out.parallelism = parallelism;
  return out;
}
