import type { Model } from "./schema.js";

/**
 * Helpers that resolve the nullable fields of a Model into concrete widths, so that
 * parameter and FLOP counts never deal with null. Defaults follow data/validation/FORMAT.md.
 */

/** Attention head width: `headDim`, or hidden / heads when null (FORMAT.md). */
export function headDim(m: Model): number {
  if (m.headDim != null) return m.headDim;
  const d = m.hidden / m.heads;
  if (!Number.isInteger(d)) {
    throw new Error(
      `model.headDim is null and model.hidden (${m.hidden}) is not divisible by model.heads (${m.heads}); set model.headDim explicitly`,
    );
  }
  return d;
}

/** Key/value heads: `kvHeads`, or `heads` (plain multi-head attention) when null. */
export function kvHeads(m: Model): number {
  const kv = m.kvHeads ?? m.heads;
  if (m.heads % kv !== 0) {
    throw new Error(`model.kvHeads (${kv}) must divide model.heads (${m.heads}) for grouped-query attention`);
  }
  return kv;
}

/** Width of the query/key dot product per head; MLA uses nope + rope dims (DeepSeek-V2 §2.1). */
export function qkHeadDim(m: Model): number {
  return m.mla ? m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim : headDim(m);
}

/** Width of a value vector per head; MLA has its own vHeadDim. */
export function vHeadDim(m: Model): number {
  return m.mla ? m.mla.vHeadDim : headDim(m);
}

/** Query projection width: heads x head dim (the attention output width for non-MLA models). */
export function qWidth(m: Model): number {
  return m.heads * qkHeadDim(m);
}

/** Width of each of the K and V projections: kvHeads x head dim (not used by MLA). */
export function kvWidth(m: Model): number {
  return kvHeads(m) * headDim(m);
}

/** The attention widths every count needs, resolved once (MLA or grouped-query attention). */
export interface AttentionWidths {
  heads: number;
  /** Heads of keys and values: all heads under MLA (each has its own decompressed key and value). */
  kvHeads: number;
  /** Per-head width of the query/key dot product and of a value vector. */
  qkHeadDim: number;
  vHeadDim: number;
  /** Query width per token (heads x qkHeadDim). */
  queryWidth: number;
  /** Attention output width per token (heads x vHeadDim), the input of the output projection. */
  outputWidth: number;
  /** Key plus value width per token: what a KV cache stores and context parallelism exchanges. */
  kvWidth: number;
}

export function attentionWidths(m: Model): AttentionWidths {
  const qk = qkHeadDim(m);
  const v = vHeadDim(m);
  const kv = m.mla ? m.heads : kvHeads(m);
  return {
    heads: m.heads,
    kvHeads: kv,
    qkHeadDim: qk,
    vHeadDim: v,
    queryWidth: m.heads * qk,
    outputWidth: m.heads * v,
    kvWidth: m.mla ? m.heads * (qk + v) : 2 * kv * qk,
  };
}

/** Dense MLP width, 0 when every layer is MoE; throws if a dense model lacks it. */
export function denseFfn(m: Model): number {
  if (m.ffnHidden != null) return m.ffnHidden;
  if (m.moe) return 0;
  throw new Error("model.ffnHidden is null but model.moe is not set; a dense model needs ffnHidden");
}

/**
 * Number of leading dense layers. With moe set, `denseLayers` leading layers use the dense MLP;
 * if ffnHidden is null there is no dense MLP, so every layer is MoE.
 */
export function denseLayerCount(m: Model): number {
  if (!m.moe) return m.layers;
  if (m.ffnHidden == null) return 0;
  if (m.moe.denseLayers > m.layers) {
    throw new Error(`model.moe.denseLayers (${m.moe.denseLayers}) exceeds model.layers (${m.layers})`);
  }
  return m.moe.denseLayers;
}

/** Number of MoE layers (0 for a dense model). */
export function moeLayerCount(m: Model): number {
  return m.layers - denseLayerCount(m);
}

/** Matrices per MLP: 3 for a gated (SwiGLU) MLP, 2 otherwise. */
export function mlpMatrices(m: Model): number {
  return m.gatedMlp ? 3 : 2;
}
