import { InputError } from "../errors.js";
import {
  DEFAULT_UNPUBLISHED_FILL,
  UNPUBLISHED_FILLS,
  type UnpublishedFill,
  UnpublishedFillSchema,
} from "../plan/unpublishedFill.js";

/** `--fill-unpublished search|rules`, shared by simulate, validate and calibrate (src/plan/unpublishedFill.ts). */
export const fillOption = { "fill-unpublished": { type: "string" } } as const;

export const fillUsage = `  --fill-unpublished ${UNPUBLISHED_FILLS.join("|")}
                    how plan fields left null are filled: "search", the fastest plan that fits
                    with the published fields fixed; "rules", micro-batch 1, ZeRO-1, the stack's
                    sequence parallelism, the lightest recomputation that fits (default ${DEFAULT_UNPUBLISHED_FILL})`;

/** The flag's value, or undefined when it is not given. */
export function fillOf(value: unknown): UnpublishedFill | undefined {
  if (value === undefined) return undefined;
  const parsed = UnpublishedFillSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InputError({
    field: "--fill-unpublished",
    value,
    allowed: `one of ${UNPUBLISHED_FILLS.join(", ")}`,
  });
}
