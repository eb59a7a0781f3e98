import { InputError } from "../errors.js";
import { countParameters, layerParameters } from "./parameters.js";
import type { Model } from "./schema.js";
import { denseLayerCount, moeLayerCount, qkHeadDim, vHeadDim } from "./shape.js";
import { meanAttendedKeys } from "./slidingWindow.js";

/**
 * Training FLOPs per token.
 *
 * Convention (ours, "model FLOPs"): every matrix multiply of m x n by n x k costs 2mnk; the backward pass
 * costs twice the forward (data and weight gradients), so training = 3 x forward (Kaplan et al. 2020 §2.1;
 * Narayanan et al. 2021, Appendix "Floating-point operations"). Counted: all weight matmuls a token passes
 * through (attention projections, active experts, shared experts, router, output head — the head even when
 * tied, since its matmul still runs; not the embedding lookup, which is a gather) plus the attention
 * score matmuls QK^T and AV. With causal masking only the lower triangle is needed, so per token per layer
 * the forward attention costs 2 x seqLen x heads x (dQK + dV) x 1/2 (as FlashAttention's benchmarks count
 * causal). PaLM (Chowdhery et al. 2022, Appendix B) counts 6N + 12·L·H·Q·T, i.e. attention without the
 * causal half; Megatron-LM (Narayanan et al. 2021, eq. 3 family) also counts it non-causal — see
 * megatronFlopsPerToken. Norms, softmax, activations and the optimizer are not counted.
 * MTP modules (DeepSeek-V3 §2.2) run a transformer block, a 2h x h projection and the shared output head
 * per token, so they count when model.mtpLayers > 0.
 */

export type Recompute = "none" | "selective" | "full" | "offload";
const RECOMPUTE: readonly Recompute[] = ["none", "selective", "full", "offload"];

/** Forward FLOPs per token, split by where they are spent. */
export interface ForwardFlops {
  /** Weight matmuls of all main decoder layers (attention projections, MLP / active experts, router). */
  layers: number;
  /** Attention scores (QK^T and AV) of all main layers, causal. */
  attention: number;
  /** Output head: 2 x vocab x hidden. */
  head: number;
  /** MTP modules: block matmuls, projection, attention scores and their pass through the shared head. */
  mtp: number;
  /** Attention scores inside the MTP blocks (part of `mtp`), for selective recompute. */
  mtpAttention: number;
  /** Weight matmuls inside the MTP blocks (part of `mtp`), for full recompute. */
  mtpLayers: number;
}

function checkSeqLen(seqLen: number): void {
  if (!Number.isInteger(seqLen) || seqLen <= 0) {
    throw new Error(`seqLen must be a positive integer, got ${seqLen}`);
  }
}

/** MLA keeps two small RMSNorms inside attention; they are parameters but not matmuls. */
function attentionMatmulParams(m: Model): number {
  const p = layerParameters(m).attention;
  if (!m.mla) return p;
  // The q norm exists only when qLoraRank > 0, and then has qLoraRank weights, so subtracting qLoraRank fits both.
  return p - m.mla.kvLoraRank - m.mla.qLoraRank;
}

/** Weight parameters one token multiplies through in a dense layer and in an MoE layer. */
function layerMatmulParams(m: Model): { dense: number; moe: number } {
  const p = layerParameters(m);
  const attn = attentionMatmulParams(m);
  const topK = m.moe ? m.moe.topK : 0;
  return {
    dense: attn + p.denseMlp,
    moe: attn + topK * p.moeExpertOne + p.moeShared + p.router,
  };
}

/**
 * Forward attention-score FLOPs per token for one layer, averaged over the layers: QK^T and AV over
 * the keys a query attends, `seqLen/2` when causal (fewer on sliding-window layers), all `seqLen` in
 * the non-causal convention.
 */
export function attentionScoreFlopsPerLayer(m: Model, seqLen: number, causal = true): number {
  checkSeqLen(seqLen);
  const keys = causal ? meanAttendedKeys(m, seqLen) : seqLen;
  return 2 * keys * m.heads * (qkHeadDim(m) + vHeadDim(m));
}

/** Forward FLOPs per token, by part; `causal` = false gives the Megatron/PaLM attention count. */
export function forwardFlopsPerToken(m: Model, seqLen: number, causal = true): ForwardFlops {
  checkSeqLen(seqLen);
  const mm = layerMatmulParams(m);
  const attnLayer = attentionScoreFlopsPerLayer(m, seqLen, causal);
  const head = 2 * m.vocab * m.hidden;
  const mtpBlock = moeLayerCount(m) > 0 ? mm.moe : mm.dense;
  const mtpLayers = m.mtpLayers * 2 * mtpBlock;
  const mtpAttention = m.mtpLayers * attnLayer;
  const mtpProjection = m.mtpLayers * 2 * (2 * m.hidden * m.hidden);
  return {
    layers: 2 * (denseLayerCount(m) * mm.dense + moeLayerCount(m) * mm.moe),
    attention: m.layers * attnLayer,
    head,
    mtp: mtpLayers + mtpAttention + mtpProjection + m.mtpLayers * head,
    mtpAttention,
    mtpLayers,
  };
}

function sum(f: ForwardFlops): number {
  return f.layers + f.attention + f.head + f.mtp;
}

/** Model FLOPs per trained token (our convention: causal attention), = 3 x forward. */
export function modelFlopsPerToken(m: Model, seqLen: number): number {
  return 3 * sum(forwardFlopsPerToken(m, seqLen, true));
}

/**
 * Megatron-LM's count: the same matmuls with non-causal attention. For a GPT shape (ffn = 4h, MHA,
 * no MoE) it equals 72·l·h²·(1 + s/(6h) + V/(12·l·h)) per token, the model-FLOPs form of Narayanan et
 * al. 2021 (their eq. 3, 96·B·s·l·h²·(1 + s/6h + V/16lh), adds one recomputed forward of the layers);
 * Megatron-LM's num_floating_point_operations generalizes it to GQA, SwiGLU and MoE in the same way.
 */
export function megatronFlopsPerToken(m: Model, seqLen: number): number {
  return 3 * sum(forwardFlopsPerToken(m, seqLen, false));
}

/** The naive 6N baseline: 6 x parameters active per token (embedding included, MTP excluded). */
export function sixNDFlopsPerToken(m: Model): number {
  return 6 * countParameters(m).active;
}

/**
 * FLOPs the hardware executes per token, including recomputation (Korthikanti et al. 2022, §5):
 * "full" reruns the forward of every transformer layer (main and MTP blocks; not the output head);
 * "selective" reruns only the core attention (the QK^T / softmax / AV part); "offload" reruns nothing.
 */
export function hardwareFlopsPerToken(m: Model, seqLen: number, recompute: Recompute): number {
  if (!(RECOMPUTE as readonly string[]).includes(recompute)) {
    // selective-op and the layer forms (full-every-N, ...) recompute a share of the layers that depends on the pipeline
    // layout (engine/recompute.ts), which a per-token count does not know; a modules word reruns
    // GEMMs and element-wise kernels the engine times per plan (layerCosts.ts moduleRecompute).
    throw new InputError({
      field: "recompute",
      value: recompute,
      allowed: `one of ${RECOMPUTE.join(", ")} (selective-op and the layer forms depend on tp and the pipeline layout, a modules word on the plan's kernels: simulate them)`,
    });
  }
  const f = forwardFlopsPerToken(m, seqLen, true);
  const model = 3 * sum(f);
  const attention = f.attention + f.mtpAttention;
  if (recompute === "selective") return model + attention;
  if (recompute === "full") return model + f.layers + f.mtpLayers + attention;
  return model;
}
