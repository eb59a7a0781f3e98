import { type Precision, RECOMPUTE, type Recompute, ZERO_STAGES, type ZeroStage } from "../plan/schema.js";

/**
 * The plan vocabularies (src/plan/schema.ts) as the small integers the hot path works with. A code is
 * the vocabulary word's position in its list, so the two cannot drift apart.
 */

export const RECOMPUTE_NONE = RECOMPUTE.indexOf("none");
export const RECOMPUTE_SELECTIVE = RECOMPUTE.indexOf("selective");
export const RECOMPUTE_FULL = RECOMPUTE.indexOf("full");
/** Activations offloaded to host memory (no recomputation): see offloadSeconds in step.ts. */
export const RECOMPUTE_OFFLOAD = RECOMPUTE.indexOf("offload");

export const ZERO_0 = ZERO_STAGES.indexOf("zero0");
export const ZERO_1 = ZERO_STAGES.indexOf("zero1");
export const ZERO_2 = ZERO_STAGES.indexOf("zero2");
export const ZERO_3 = ZERO_STAGES.indexOf("zero3");

/** Matrix precision in the hot path: 0 = bf16 (fp16 runs at the bf16 rate), 1 = fp8. */
export const PRECISION_BF16 = 0;
export const PRECISION_FP8 = 1;

export const recomputeCode = (r: Recompute): number => RECOMPUTE.indexOf(r);
export const recomputeOf = (code: number): Recompute => RECOMPUTE[code];
export const zeroCode = (z: ZeroStage): number => ZERO_STAGES.indexOf(z);
export const zeroOf = (code: number): ZeroStage => ZERO_STAGES[code];
export const precisionCode = (p: Precision): number => (p === "fp8" ? PRECISION_FP8 : PRECISION_BF16);
export const precisionOf = (code: number): Precision => (code === PRECISION_FP8 ? "fp8" : "bf16");
