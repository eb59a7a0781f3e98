import { z } from "zod";

/**
 * A field with a default that also accepts null: published cases write null for "not published",
 * which must mean "use the default", not "invalid".
 */
export function orDefault<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.default(fallback as never));
}
