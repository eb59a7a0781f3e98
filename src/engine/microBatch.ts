import { backwardGemmSeconds, gemmSeconds } from "../time/gemm.js";
import type { LayerOperators } from "../workload/operators.js";
import { RECOMPUTE_NONE } from "./codes.js";
import { gemmRates, layerForward } from "./layerCosts.js";
import { layerActivationBytes } from "./memory.js";
import type { PlanRecord } from "./planRecord.js";
import type { Prepared } from "./prepare.js";

/** Slots of the per-micro-batch cost vector (all layers of the model, forward pass, seconds). */
export const C_GEMM = 0;
export const C_ATTN = 1;
export const C_ELEM = 2;
export const C_LAUNCH = 3;
export const C_TP_FWD = 4;
export const C_EP_ALL = 5;
export const C_CP_ALL = 6;
export const C_SELECTIVE = 7;
export const C_HEAD_GEMM = 8;
export const C_HEAD_ELEM = 9;
export const C_GEMM_BWD = 10;
/** Activations one micro-batch stores through all layers without recomputation, bytes (for offloading). */
export const C_ACTIVATION_BYTES = 11;
/** Forward time torchtitan's per-operator checkpointing repeats, all layers. */
export const C_OP_SELECTIVE = 12;
/** Forward time Megatron's other recompute modules repeat, all layers (layerCosts.ts moduleRecompute). */
export const C_RECOMPUTE_LAYERNORM = 13;
export const C_RECOMPUTE_MLA_UP = 14;
export const C_RECOMPUTE_MOE_ACT = 15;
export const C_RECOMPUTE_MLP = 16;
/** The dense MLPs' forward tensor-parallel collectives, which the mlp module repeats. */
export const C_RECOMPUTE_MLP_TP = 17;
export const C_SIZE = 18;

/** Tokens of one micro-batch on one rank: context parallelism splits each sequence. */
export function microBatchTokens(p: Prepared, plan: PlanRecord): number {
  return (plan.microBatch * p.seqLen) / plan.cp;
}

/**
 * Forward costs of one micro-batch through every layer and the output head, into `c`. They depend only
 * on what shapes the kernels (micro-batch, tp, cp, ep, sequence parallelism, precision), so the search
 * computes them once per such shape and reuses them for every pipeline, ZeRO and recomputation choice.
 */
export function microBatchCosts(p: Prepared, plan: PlanRecord, c: Float64Array): void {
  const ops = p.ops;
  const tokens = microBatchTokens(p, plan);
  const tp = plan.tp;
  c.fill(0);
  // An MTP block is of the kind of the model's MoE layers where it has any, else dense: the rule
  // flops.ts counts it by (a "MoE" model whose layers are all dense ran its MTP blocks' FLOPs dense
  // but their time as tiny experts, above the chip's peak).
  const mtpMoe = ops.moe !== null && p.moeLayers > 0;
  const moeLayers = p.moeLayers + (mtpMoe ? p.mtpLayers : 0);
  const denseLayers = p.denseLayers + (mtpMoe ? 0 : p.mtpLayers);
  if (denseLayers > 0) addLayers(p, ops.dense, denseLayers, tokens, plan, c);
  if (moeLayers > 0 && ops.moe) addLayers(p, ops.moe, moeLayers, tokens, plan, c);
  // Output head(s) in bf16 (fp8 recipes keep the first and last layers in higher precision).
  const heads = 1 + p.mtpLayers;
  const lg = ops.logitsGemm;
  const head = gemmRates(p, p.hw.peakFlopsBf16, 1, 2);
  c[C_HEAD_GEMM] = heads * gemmSeconds(tokens, lg.n / tp, lg.k, head);
  c[C_HEAD_ELEM] = (heads * tokens * ops.logitsElementwiseBytesPerToken) / tp / p.memBw;
  c[C_GEMM] += c[C_HEAD_GEMM];
  c[C_GEMM_BWD] += heads * backwardGemmSeconds(tokens, lg.n / tp, lg.k, head);
  c[C_ELEM] += c[C_HEAD_ELEM];
  addMtpProjections(p, tokens, tp, c);
}

/**
 * Each MTP module projects [its input embedding; the previous depth's hidden state] (2h) back to h
 * before its block (DeepSeek-V3 §2.2, M_k in eq. 21; Megatron-Core's eh_proj, split over tp as the
 * parameter count in layout.ts has it). flops.ts counts its 2 x 2h x h FLOPs per token in model
 * FLOPs; without its time here, a model with several MTP modules and narrow blocks showed an MFU above
 * 100%. In bf16, like the head beside it.
 */
function addMtpProjections(p: Prepared, tokens: number, tp: number, c: Float64Array): void {
  if (p.mtpLayers === 0) return;
  const rates = gemmRates(p, p.hw.peakFlopsBf16, 1, 2);
  c[C_GEMM] += p.mtpLayers * gemmSeconds(tokens, p.hidden / tp, 2 * p.hidden, rates);
  c[C_GEMM_BWD] += p.mtpLayers * backwardGemmSeconds(tokens, p.hidden / tp, 2 * p.hidden, rates);
}

function addLayers(
  p: Prepared,
  lo: LayerOperators,
  count: number,
  tokens: number,
  plan: PlanRecord,
  c: Float64Array,
): void {
  const l = layerForward(p, lo, tokens, plan);
  c[C_GEMM] += count * l.gemm;
  c[C_GEMM_BWD] += count * l.gemmBackward;
  c[C_ATTN] += count * l.attention;
  c[C_ELEM] += count * l.elementwise;
  c[C_LAUNCH] += count * l.launch;
  c[C_TP_FWD] += count * l.tpForward;
  c[C_EP_ALL] += count * l.expertAllToAll;
  c[C_CP_ALL] += count * l.contextExchange;
  c[C_SELECTIVE] += count * l.selectiveRecompute;
  c[C_OP_SELECTIVE] += count * l.opSelectiveRecompute;
  c[C_RECOMPUTE_LAYERNORM] += count * l.layernormRecompute;
  c[C_RECOMPUTE_MLA_UP] += count * l.mlaUpRecompute;
  c[C_RECOMPUTE_MOE_ACT] += count * l.moeActRecompute;
  c[C_RECOMPUTE_MLP] += count * l.mlpRecompute;
  c[C_RECOMPUTE_MLP_TP] += count * l.mlpRecomputeTp;
  c[C_ACTIVATION_BYTES] += count * layerActivationBytes(p, lo, tokens, plan, RECOMPUTE_NONE);
}
