import { z } from "zod";

/**
 * A field with a default that also accepts null: published cases write null for "not published",
 * which must mean "use the default", not "invalid".
 */
export function orDefault<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.default(fallback as never));
}

/**
 * An object field that may be left out or null: then its fields take their own defaults, as for `{}`
 * (zod's plain default would return `{}` itself, skipping them).
 */
export function orDefaultObject<T extends z.ZodObject>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.prefault({} as never));
}

/** The part of a zod v4 schema's definition that the key walk below reads. */
interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  options?: unknown[];
  element?: unknown;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The object schemas a value at this schema may be checked by (wrappers and unions opened). */
function objectsOf(schema: unknown): SchemaDef[] {
  const def = defOf(schema);
  if (!def) return [];
  if (def.type === "object") return [def];
  if (def.type === "pipe") return [...objectsOf(def.in), ...objectsOf(def.out)];
  if (def.type === "union") return (def.options ?? []).flatMap(objectsOf);
  if (def.innerType !== undefined) return objectsOf(def.innerType);
  return [];
}

/**
 * The field names an object schema accepts at `path` (e.g. ["hardware"] in the scenario schema), for
 * "did you mean" on an unknown key; empty when the path leads to no object schema.
 */
export function knownKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let here = [schema];
  for (const step of path) {
    here = here.flatMap((s) => {
      const def = defOf(s);
      if (def?.type === "array" && typeof step === "number") return [def.element];
      return objectsOf(s).map((o) => o.shape?.[String(step)]);
    });
  }
  return [...new Set(here.flatMap(objectsOf).flatMap((o) => Object.keys(o.shape ?? {})))];
}
