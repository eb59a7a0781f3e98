/**
 * The largest sizes any face accepts, so the CLI, the library and the schemas refuse the same inputs.
 * Each cap is defined once, in INPUT_LIMITS (plan/inputLimits.ts, which the CLI flags and the web app
 * fields check against); these names read it for the library checks and the schemas. Each is far beyond
 * any published training run, and small enough that nothing computed from it overflows, allocates
 * without bound or prints a step of billions of years.
 */
import { INPUT_LIMITS, MAX_CHIPS } from "./inputLimits.js";

/** Chips in one run: 2^20 (about a million); the largest published jobs use tens of thousands. */
export { MAX_CHIPS };

/** Sequences per optimizer step: 2^24 (16.7M); published runs use at most a few thousand. */
export const MAX_GLOBAL_BATCH = INPUT_LIMITS.globalBatch.max;

/** Tokens per sequence: 2^20 (1M), the longest published training contexts. */
export const MAX_SEQ_LEN = INPUT_LIMITS.seqLen.max;

/** Plans a search returns: the best-plans table holds them as rows of numbers. */
export const MAX_TOP = 1000;
