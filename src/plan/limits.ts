/**
 * The largest sizes any face accepts, once, so the CLI, the library and the schemas refuse the same
 * inputs. Each is far beyond any published training run, and small enough that nothing computed from
 * it overflows, allocates without bound or prints a step of billions of years.
 */

/** Chips in one run: 2^20 (about a million); the largest published jobs use tens of thousands. */
export const MAX_CHIPS = 1 << 20;

/** Sequences per optimizer step: 2^24 (16.7M); published runs use at most a few thousand. */
export const MAX_GLOBAL_BATCH = 1 << 24;

/** Tokens per sequence: 2^22 (4.2M); the longest published training contexts are about 1M. */
export const MAX_SEQ_LEN = 1 << 22;

/** Plans a search returns: the best-plans table holds them as rows of numbers. */
export const MAX_TOP = 1000;
