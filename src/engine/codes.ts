import {
  MAX_RECOMPUTE_LAYERS,
  type Precision,
  RECOMPUTE,
  RECOMPUTE_LAYER_FORMS,
  RECOMPUTE_MODULES,
  type Recompute,
  recomputeLayersOf,
  recomputeModulesOf,
  recomputeModulesWord,
  ZERO_STAGES,
  type ZeroStage,
} from "../plan/schema.js";

/**
 * The plan vocabularies (src/plan/schema.ts) as the small integers the hot path works with. A code is
 * the vocabulary word's position in its list, so the two cannot drift apart. A recompute layer form
 * (`full-<form>-N`) is coded after the fixed words: one block of MAX_RECOMPUTE_LAYERS codes per form,
 * N − 1 into its block, so a code decodes without a table. A modules word (`modules-<m>+...`) is coded
 * after them: RECOMPUTE_MODULES_FROM plus the bit mask of its modules (MODULE_* bits).
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
/** The first code of the modules words: the code is this plus the word's module mask. */
export const RECOMPUTE_MODULES_FROM = RECOMPUTE.length + RECOMPUTE_LAYER_FORMS.length * MAX_RECOMPUTE_LAYERS;
/** How many recompute codes there are (the size of a lookup by code). */
export const RECOMPUTE_CODES = RECOMPUTE_MODULES_FROM + (1 << RECOMPUTE_MODULES.length);
/** A module's bit in a module mask (RECOMPUTE_MODULES order). */
export const MODULE_CORE_ATTN = 1 << RECOMPUTE_MODULES.indexOf("core_attn");
export const MODULE_MOE_ACT = 1 << RECOMPUTE_MODULES.indexOf("moe_act");
export const MODULE_LAYERNORM = 1 << RECOMPUTE_MODULES.indexOf("layernorm");
export const MODULE_MLA_UP_PROJ = 1 << RECOMPUTE_MODULES.indexOf("mla_up_proj");
export const MODULE_MLP = 1 << RECOMPUTE_MODULES.indexOf("mlp");

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
  const modules = recomputeModulesOf(r);
  if (modules)
    return (
      RECOMPUTE_MODULES_FROM + modules.reduce((m, name) => m | (1 << RECOMPUTE_MODULES.indexOf(name)), 0)
    );
  const l = recomputeLayersOf(r);
  if (!l) return -1;
  return (
    RECOMPUTE_LAYER_FORMS_FROM + RECOMPUTE_LAYER_FORMS.indexOf(l.form) * MAX_RECOMPUTE_LAYERS + l.layers - 1
  );
}

/** The layer form of a code (RECOMPUTE_FORM_*), or -1 for a fixed word or a modules word. */
export function recomputeForm(code: number): number {
  return code < RECOMPUTE_LAYER_FORMS_FROM || code >= RECOMPUTE_MODULES_FROM
    ? -1
    : Math.floor((code - RECOMPUTE_LAYER_FORMS_FROM) / MAX_RECOMPUTE_LAYERS);
}

/** The module mask of a code: its modules for a modules word, core_attn for "selective", else 0. */
export function recomputeModuleMask(code: number): number {
  if (code === RECOMPUTE_SELECTIVE) return MODULE_CORE_ATTN;
  return code > RECOMPUTE_MODULES_FROM ? code - RECOMPUTE_MODULES_FROM : 0;
}

/** Whether a code is a modules word. */
export function isModulesCode(code: number): boolean {
  return code > RECOMPUTE_MODULES_FROM;
}

/** The layer count N of a layer form's code. */
export function recomputeLayerCount(code: number): number {
  return ((code - RECOMPUTE_LAYER_FORMS_FROM) % MAX_RECOMPUTE_LAYERS) + 1;
}

export function recomputeOf(code: number): Recompute {
  if (code === RECOMPUTE_MODULES_FROM) throw new Error("recompute code of an empty module list");
  if (isModulesCode(code)) {
    const mask = code - RECOMPUTE_MODULES_FROM;
    return recomputeModulesWord(RECOMPUTE_MODULES.filter((_, i) => (mask >> i) & 1));
  }
  const form = recomputeForm(code);
  if (form < 0) return RECOMPUTE[code];
  return `full-${RECOMPUTE_LAYER_FORMS[form]}-${recomputeLayerCount(code)}`;
}

export const zeroCode = (z: ZeroStage): number => ZERO_STAGES.indexOf(z);
export const zeroOf = (code: number): ZeroStage => ZERO_STAGES[code];
export const precisionCode = (p: Precision): number => (p === "fp8" ? PRECISION_FP8 : PRECISION_BF16);
export const precisionOf = (code: number): Precision => (code === PRECISION_FP8 ? "fp8" : "bf16");
