import { z } from "zod";

/**
 * How the plan fields a run leaves unpublished (micro-batch, recomputation, ZeRO stage, sequence
 * parallelism, interleaving depth) are filled: "search" takes the fastest plan that fits with every
 * published field fixed (what a team tuning that run would choose; src/search/fillUnpublished.ts),
 * "rules" applies fixed rules (micro-batch 1, ZeRO-1, the stack's sequence parallelism, the lightest
 * recomputation that fits; src/engine/resolvePlan.ts). Either way each filled field is stated.
 */
export const UNPUBLISHED_FILLS = ["search", "rules"] as const;
export const UnpublishedFillSchema = z.enum(UNPUBLISHED_FILLS);
export type UnpublishedFill = z.infer<typeof UnpublishedFillSchema>;

/** The fill `simulate` and `validate` use when none is asked for (chosen by cross-validation, docs/model.md). */
export const DEFAULT_UNPUBLISHED_FILL: UnpublishedFill = "search";
