import type { Model } from "./schema.js";
import {
  denseFfn,
  denseLayerCount,
  headDim,
  kvHeads,
  mlpMatrices,
  moeLayerCount,
  qkHeadDim,
  vHeadDim,
} from "./shape.js";

/**
 * Parameter counts of a decoder-only transformer, following Megatron-LM conventions:
 * weight matrices and normalization weights are counted, biases are ignored (they are
 * < 0.1% for every preset), learned positional embeddings (GPT-3) are ignored, and an
 * output head tied to the embedding counts once.
 */
export interface LayerParameters {
  /** Attention projections of one layer (Q, K, V, O; MLA's low-rank factors and their norms). */
  attention: number;
  /** Dense MLP of one dense layer (0 if no layer is dense). */
  denseMlp: number;
  /** All routed experts of one MoE layer. */
  moeExpertsAll: number;
  /** One routed expert. */
  moeExpertOne: number;
  /** The shared experts of one MoE layer (DeepSeek). */
  moeShared: number;
  /** The router (gate) of one MoE layer: hidden x experts. */
  router: number;
  /** The two pre-norm weights of one layer (RMSNorm/LayerNorm scale). */
  norms: number;
}

export interface ParameterCount {
  /** Everything that is stored and trained, including MTP modules. */
  total: number;
  /** Parameters one token passes through in the main model: total minus unrouted experts and MTP. */
  active: number;
  /** Input embedding table: vocab x hidden. */
  embedding: number;
  /** Output projection: vocab x hidden, or 0 if tied to the embedding. */
  outputHead: number;
  perLayer: LayerParameters;
  /** Multi-token-prediction modules (DeepSeek-V3 §2.2), sharing embedding and head with the main model. */
  mtp: number;
}

/** Attention weights of one layer. MLA per DeepSeek-V2 §2.1 / DeepSeek-V3 config names. */
function attentionParameters(m: Model): number {
  const h = m.hidden;
  if (m.mla) {
    const { qLoraRank, kvLoraRank, qkRopeHeadDim, vHeadDim: dv } = m.mla;
    const qHead = m.heads * qkHeadDim(m);
    // q_a (h x qLoraRank) + its RMSNorm + q_b (qLoraRank x heads*(nope+rope)); a plain q when qLoraRank = 0.
    const q = qLoraRank > 0 ? h * qLoraRank + qLoraRank + qLoraRank * qHead : h * qHead;
    // kv_a (h x (kvLoraRank + rope)) + its RMSNorm + kv_b (kvLoraRank x heads*(nope+v)).
    const kv =
      h * (kvLoraRank + qkRopeHeadDim) + kvLoraRank + kvLoraRank * m.heads * (m.mla.qkNopeHeadDim + dv);
    const o = m.heads * dv * h;
    return q + kv + o;
  }
  const d = headDim(m);
  const q = h * m.heads * d;
  const kv = 2 * h * kvHeads(m) * d;
  const o = m.heads * vHeadDim(m) * h;
  return q + kv + o;
}

/** One MLP of width `ffn`: up and down, plus the gate when gated (SwiGLU). */
function mlpParameters(m: Model, ffn: number): number {
  return mlpMatrices(m) * m.hidden * ffn;
}

export function layerParameters(m: Model): LayerParameters {
  const expertOne = m.moe ? mlpParameters(m, m.moe.expertFfnHidden) : 0;
  return {
    attention: attentionParameters(m),
    denseMlp: denseLayerCount(m) > 0 ? mlpParameters(m, denseFfn(m)) : 0,
    moeExpertsAll: m.moe ? m.moe.experts * expertOne : 0,
    moeExpertOne: expertOne,
    moeShared: m.moe ? m.moe.sharedExperts * expertOne : 0,
    router: m.moe ? m.hidden * m.moe.experts : 0,
    norms: 2 * m.hidden,
  };
}

/** Parameters of one dense layer and of one MoE layer, all experts counted. */
function layerTotals(p: LayerParameters): { dense: number; moe: number } {
  return {
    dense: p.attention + p.denseMlp + p.norms,
    moe: p.attention + p.moeExpertsAll + p.moeShared + p.router + p.norms,
  };
}

/**
 * One MTP module (DeepSeek-V3 §2.2): a transformer block (MoE when the model has MoE layers),
 * the projection M (2h x h), and RMSNorms on its two inputs and its output.
 * Embedding and output head are shared with the main model, so not counted again
 * (the released checkpoint stores copies, hence its 14B MTP vs ~11.6B here).
 */
function mtpModuleParameters(m: Model, p: LayerParameters): number {
  const t = layerTotals(p);
  const block = moeLayerCount(m) > 0 ? t.moe : t.dense;
  return block + 2 * m.hidden * m.hidden + 3 * m.hidden;
}

export function countParameters(m: Model): ParameterCount {
  const p = layerParameters(m);
  const t = layerTotals(p);
  const nDense = denseLayerCount(m);
  const nMoe = moeLayerCount(m);
  const embedding = m.vocab * m.hidden;
  const outputHead = m.tiedEmbeddings ? 0 : m.vocab * m.hidden;
  const finalNorm = m.hidden;
  const main = embedding + outputHead + finalNorm + nDense * t.dense + nMoe * t.moe;
  const mtp = m.mtpLayers * mtpModuleParameters(m, p);
  const unrouted = m.moe ? (m.moe.experts - m.moe.topK) * p.moeExpertOne : 0;
  if (m.moe && m.moe.topK > m.moe.experts) {
    throw new Error(`model.moe.topK (${m.moe.topK}) exceeds model.moe.experts (${m.moe.experts})`);
  }
  return {
    total: main + mtp,
    active: main - nMoe * unrouted,
    embedding,
    outputHead,
    perLayer: p,
    mtp,
  };
}
