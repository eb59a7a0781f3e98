import { z } from "zod";
import { PrecisionSchema, RecomputeSchema, ZeroSchema } from "./schema.js";

/**
 * What a user (or the stack that runs the plan) fixes or bounds before the search: `--tp 8`,
 * `--pp 1..4`, `--recompute none`. A dimension left out is searched in full. The search counts how many
 * plans each constraint removed. `sequenceParallel` speaks only of plans with tp > 1 (sequence
 * parallelism shards along the tensor-parallel group; a tp = 1 plan has none either way). The software
 * stack's own constraints (src/plan/stackCapabilities.ts) use the same vocabulary.
 */
const positiveInt = z
  .number()
  .int()
  .positive()
  .max(1 << 20);

/** A fixed value, a list of allowed values, or an inclusive range. */
export const IntegerChoiceSchema = z.union([
  positiveInt,
  z.array(positiveInt).min(1),
  z.object({ min: positiveInt, max: positiveInt }).refine((r) => r.min <= r.max, "min must not exceed max"),
]);
export type IntegerChoice = z.infer<typeof IntegerChoiceSchema>;

export const PlanConstraintsSchema = z
  .object({
    tp: IntegerChoiceSchema,
    pp: IntegerChoiceSchema,
    vpp: IntegerChoiceSchema,
    dp: IntegerChoiceSchema,
    cp: IntegerChoiceSchema,
    ep: IntegerChoiceSchema,
    microBatch: IntegerChoiceSchema,
    recompute: z.array(RecomputeSchema).min(1),
    zero: z.array(ZeroSchema).min(1),
    sequenceParallel: z.array(z.boolean()).min(1),
    precision: z.array(PrecisionSchema).min(1),
  })
  .partial()
  .strict();
export type PlanConstraints = z.infer<typeof PlanConstraintsSchema>;
export type ConstrainedDimension = keyof PlanConstraints;

/** Every dimension a constraint can hold, in the search's loop order. */
export const CONSTRAINED_DIMENSIONS = Object.keys(PlanConstraintsSchema.shape) as ConstrainedDimension[];
/** The dimensions whose constraint is an IntegerChoice. */
export const INTEGER_DIMENSIONS = [
  "tp",
  "pp",
  "vpp",
  "dp",
  "cp",
  "ep",
  "microBatch",
] as const satisfies readonly ConstrainedDimension[];
export type IntegerDimension = (typeof INTEGER_DIMENSIONS)[number];
