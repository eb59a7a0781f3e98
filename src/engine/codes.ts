import {
  MAX_RECOMPUTE_LAYERS,
  type Precision,
  RECOMPUTE,
  RECOMPUTE_LAYER_FORMS,
  type Recompute,
  recomputeLayersOf,
  ZERO_STAGES,
  type ZeroStage,
} from "../plan/schema.js";

/**
 * The plan vocabularies (src/plan/schema.ts) as the small integers the hot path works with. A code is
 * the vocabulary word's position in its list, so the two cannot drift apart. A recompute layer form
 * (`full-<form>-N`) is coded after the fixed words: one block of MAX_RECOMPUTE_LAYERS codes per form,
 * N − 1 into its block, so a code decodes without a table.
 */

export const RECOMPUTE_NONE = RECOMPUTE.indexOf("none");
export const RECOMPUTE_SELECTIVE = RECOMPUTE.indexOf("selective");
export const RECOMPUTE_FULL = RECOMPUTE.indexOf("full");
/** Activations offloaded to host memory (no recomputation): see offloadSeconds in step.ts. */
export const RECOMPUTE_OFFLOAD = RECOMPUTE.indexOf("offload");
/** torchtitan's per-operator selective checkpointing (recompute.ts). */
export const RECOMPUTE_SELECTIVE_OP = RECOMPUTE.indexOf("selective-op");
/** The first code of the layer forms, and the form of a code at or above it. */
export const RECOMPUTE_LAYER_FORMS_FROM = RECOMPUTE.length;
export const RECOMPUTE_FORM_EVERY = RECOMPUTE_LAYER_FORMS.indexOf("every");
export const RECOMPUTE_FORM_BLOCK = RECOMPUTE_LAYER_FORMS.indexOf("block");
export const RECOMPUTE_FORM_UNIFORM = RECOMPUTE_LAYER_FORMS.indexOf("uniform");
/** How many recompute codes there are (the size of a lookup by code). */
export const RECOMPUTE_CODES = RECOMPUTE.length + RECOMPUTE_LAYER_FORMS.length * MAX_RECOMPUTE_LAYERS;

export const ZERO_0 = ZERO_STAGES.indexOf("zero0");
export const ZERO_1 = ZERO_STAGES.indexOf("zero1");
export const ZERO_2 = ZERO_STAGES.indexOf("zero2");
export const ZERO_3 = ZERO_STAGES.indexOf("zero3");

/** Matrix precision in the hot path: 0 = bf16 (fp16 runs at the bf16 rate), 1 = fp8. */
export const PRECISION_BF16 = 0;
export const PRECISION_FP8 = 1;

export function recomputeCode(r: Recompute): number {
  const fixed = (RECOMPUTE as readonly string[]).indexOf(r);
  if (fixed >= 0) return fixed;
  const l = recomputeLayersOf(r);
  if (!l) return -1;
  return (
    RECOMPUTE_LAYER_FORMS_FROM + RECOMPUTE_LAYER_FORMS.indexOf(l.form) * MAX_RECOMPUTE_LAYERS + l.layers - 1
  );
}

/** The layer form of a code (RECOMPUTE_FORM_*), or -1 for a fixed word. */
export function recomputeForm(code: number): number {
  return code < RECOMPUTE_LAYER_FORMS_FROM
    ? -1
    : Math.floor((code - RECOMPUTE_LAYER_FORMS_FROM) / MAX_RECOMPUTE_LAYERS);
}

/** The layer count N of a layer form's code. */
export function recomputeLayerCount(code: number): number {
  return ((code - RECOMPUTE_LAYER_FORMS_FROM) % MAX_RECOMPUTE_LAYERS) + 1;
}

export function recomputeOf(code: number): Recompute {
  const form = recomputeForm(code);
  if (form < 0) return RECOMPUTE[code];
  return `full-${RECOMPUTE_LAYER_FORMS[form]}-${recomputeLayerCount(code)}`;
}

export const zeroCode = (z: ZeroStage): number => ZERO_STAGES.indexOf(z);
export const zeroOf = (code: number): ZeroStage => ZERO_STAGES[code];
export const precisionCode = (p: Precision): number => (p === "fp8" ? PRECISION_FP8 : PRECISION_BF16);
export const precisionOf = (code: number): Precision => (code === PRECISION_FP8 ? "fp8" : "bf16");
