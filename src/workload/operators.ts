import { type OpCheckpointTable, opCheckpointTable } from "./opCheckpoint.js";
import type { Model, Moe } from "./schema.js";
import { attentionWidths, denseLayerCount, moeLayerCount } from "./shape.js";

/**
 * The operators of one transformer layer, per token, computed once per model so that the
 * engine's inner loop only scales them by the parallel plan.
 *
 * A GEMM is y[M,N] = x[M,K] · W[K,N] with M = tokens; its forward costs 2·M·K·N FLOPs and
 * its backward twice that (input and weight gradients; Narayanan et al. 2021, section 3).
 * `split` says how tensor parallelism cuts it (Shoeybi et al. 2019, Megatron-LM, fig. 3):
 * column-parallel layers divide N by tp, row-parallel layers divide K, replicated ones neither.
 */
export const SPLIT_NONE = 0;
export const SPLIT_COLUMN = 1;
export const SPLIT_ROW = 2;

/** Which part of the layer a GEMM belongs to: decides how many tokens flow through it. */
export const GROUP_ATTENTION = 0;
export const GROUP_DENSE_MLP = 1;
export const GROUP_SHARED_EXPERT = 2;
export const GROUP_ROUTED_EXPERT = 3;
/** Multi-latent attention's up-projections (and its query projection without a query latent). */
export const GROUP_MLA_UP_PROJECTION = 4;

export interface GemmOp {
  name: string;
  k: number;
  n: number;
  split: number;
  group: number;
}

export interface LayerOperators {
  gemms: GemmOp[];
  /** Forward attention-score FLOPs per token per unit of attended sequence length (QK^T and AV). */
  attentionFlopsPerTokenPerKey: number;
  /** Element-wise traffic per token, forward, bytes: the part replicated across tp unless sequence parallel... */
  elementwiseSeqBytes: number;
  /** ...and the part that tensor parallelism always divides (per-head and per-ffn-column tensors). */
  elementwiseTpBytes: number;
  /**
   * Of those, what fused kernels move for the two norms (of elementwiseSeqBytes), the rotary embedding
   * and a gated MLP activation (of elementwiseTpBytes): eager PyTorch moves more (engine/eagerKernels.ts).
   */
  normSeqBytes: number;
  rotaryTpBytes: number;
  gatedActivationTpBytes: number;
  /** Stored activations per token for the backward pass (flash attention, no dropout masks), bytes. */
  activationSeqBytes: number;
  activationTpBytes: number;
  /**
   * With fp8 matrix multiplies, Transformer Engine keeps a GEMM's input for the weight gradient as its
   * 1-byte fp8 copy: the bytes that saves, per token (norm outputs feeding a GEMM; permuted expert
   * inputs and activation outputs).
   */
  fp8SavedSeqBytes: number;
  fp8SavedTpBytes: number;
  /** What Megatron-Core's recompute modules drop and rerun (schema.ts RECOMPUTE_MODULES). */
  modules: ModuleRecomputeTable;
  /** What torchtitan's per-operator selective checkpointing keeps and recomputes (opCheckpoint.ts). */
  opCheckpoint: OpCheckpointTable;
  /** Tensor-parallel collectives per layer in the forward pass (each moves tokens x hidden). */
  tpCollectivesForward: number;
  /** Kernels launched per layer per micro-batch, forward, not counting per-expert GEMMs. */
  kernelsForward: number;
  /**
   * Kernels per local expert, forward: grouped expert GEMMs are launched one per expert
   * (Transformer Engine GroupedLinear), so launch work grows with experts per rank.
   */
  kernelsPerLocalExpert: number;
  /** Weights of this layer: replicated-by-tp part (norms, router, MLA down projections), tp-split part, experts. */
  paramsReplicated: number;
  paramsTpSplit: number;
  paramsExperts: number;
  isMoe: boolean;
  /** Routed tokens per input token (top-k), and the number of experts. */
  topK: number;
  /**
   * Rows the experts compute, and the all-to-alls carry, per input token: top-k, times the capacity
   * factor where tokens are dropped and padded to capacity (software.expertCapacityFactor).
   */
  expertRowsPerToken: number;
  experts: number;
}

/**
 * Per token, what each of Megatron-Core's recompute modules drops from the stored activations (bytes at
 * bf16, with the part fp8 recipes would have kept as 1-byte copies, which goes with it) and the forward
 * work it reruns, where that is not a GEMM the engine times apart. core_attn drops only what an unfused
 * attention core stores (the scores, Prepared.unfusedScoreBytes): the query, key and value stay as its
 * checkpoint's inputs and the context as the output projection's (megatron/core/transformer/attention.py
 * and tensor_parallel/random.py CheckpointFunction, core_v0.14.0).
 */
export interface ModuleRecomputeTable {
  /** layernorm: the outputs of the norms that are modules of their own, replicated unless sequence parallel. */
  normOutputSeqBytes: number;
  normOutputFp8SeqBytes: number;
  /** mla_up_proj: multi-latent attention's decompressed query, key and value (tp-split). */
  mlaQkvTpBytes: number;
  /** moe_act: the routed experts' activation outputs (tp-split) and the activation kernel's traffic. */
  expertActTpBytes: number;
  expertActFp8TpBytes: number;
  expertActTrafficTpBytes: number;
  /** mlp: a dense MLP's stored tensors beyond its input (its fused norm's output; fc1 and activation outputs). */
  denseMlpSeqBytes: number;
  denseMlpFp8SeqBytes: number;
  denseMlpTpBytes: number;
  denseMlpFp8TpBytes: number;
  /** The dense MLP's element-wise traffic it reruns: its norm (sequence) and its activation (tp). */
  denseMlpTrafficSeqBytes: number;
  denseMlpTrafficTpBytes: number;
  /** Of that activation traffic, a gated activation's (eager PyTorch moves more: eagerKernels.ts). */
  denseMlpGatedTpBytes: number;
}

export interface WorkloadOperators {
  model: Model;
  seqLen: number;
  denseLayers: number;
  moeLayers: number;
  dense: LayerOperators;
  moe: LayerOperators | null;
  /** Output head (vocab projection, tp-split by vocab) and its fp32 cross-entropy traffic. */
  logitsGemm: GemmOp;
  logitsElementwiseBytesPerToken: number;
  embeddingParams: number;
  outputHeadParams: number;
  /** Multi-token-prediction modules: each costs one MoE-or-dense layer, a 2h x h projection and a head. */
  mtpLayers: number;
}

const BF16 = 2;

function attentionGemms(m: Model): GemmOp[] {
  const h = m.hidden;
  const heads = m.heads;
  if (m.mla) {
    const a = m.mla;
    const qkDim = a.qkNopeHeadDim + a.qkRopeHeadDim;
    const q: GemmOp[] =
      a.qLoraRank > 0
        ? [
            { name: "q_down", k: h, n: a.qLoraRank, split: SPLIT_NONE, group: GROUP_ATTENTION },
            {
              name: "q_up",
              k: a.qLoraRank,
              n: heads * qkDim,
              split: SPLIT_COLUMN,
              group: GROUP_MLA_UP_PROJECTION,
            },
          ]
        : [{ name: "q", k: h, n: heads * qkDim, split: SPLIT_COLUMN, group: GROUP_MLA_UP_PROJECTION }];
    return [
      ...q,
      { name: "kv_down", k: h, n: a.kvLoraRank + a.qkRopeHeadDim, split: SPLIT_NONE, group: GROUP_ATTENTION },
      {
        name: "kv_up",
        k: a.kvLoraRank,
        n: heads * (a.qkNopeHeadDim + a.vHeadDim),
        split: SPLIT_COLUMN,
        group: GROUP_MLA_UP_PROJECTION,
      },
      { name: "out", k: heads * a.vHeadDim, n: h, split: SPLIT_ROW, group: GROUP_ATTENTION },
    ];
  }
  const w = attentionWidths(m);
  const d = w.qkHeadDim;
  const kv = w.kvHeads;
  return [
    { name: "qkv", k: h, n: (heads + 2 * kv) * d, split: SPLIT_COLUMN, group: GROUP_ATTENTION },
    { name: "out", k: heads * d, n: h, split: SPLIT_ROW, group: GROUP_ATTENTION },
  ];
}

function mlpGemms(h: number, ffn: number, gated: boolean, group: number, prefix: string): GemmOp[] {
  return [
    { name: `${prefix}_up`, k: h, n: gated ? 2 * ffn : ffn, split: SPLIT_COLUMN, group },
    { name: `${prefix}_down`, k: ffn, n: h, split: SPLIT_ROW, group },
  ];
}

/**
 * The MLP block's part of a layer's tables, per token. Traffic and stored tensors are in elements;
 * layerOperators turns them into bytes next to the attention block's.
 */
interface MlpOperators {
  gemms: GemmOp[];
  /** Forward element-wise traffic of the MLP activations. */
  tpElements: number;
  /** Stored for the backward pass. */
  activationElements: number;
  /** Of those, the routed experts' activation outputs (what moe_act drops; 0 for a dense MLP). */
  routedActivationElements: number;
  /** Of tpElements, the routed experts' activation kernel's (read fc1's output, write the activation). */
  routedActivationTrafficElements: number;
  /** Stored MLP tensors that are GEMM inputs (kept in fp8 under fp8 recipes). */
  gemmInputElements: number;
  /** Of tpElements, a gated activation's (read the two up-projections, write the product). */
  gatedActivationElements: number;
  /** Kernels this block adds to the layer's count, forward, and those launched per local expert. */
  kernels: number;
  kernelsPerLocalExpert: number;
  /** Router weights: replicated across tp, kept apart from the GEMM sum in layerParams. */
  routerParams: number;
  paramsExperts: number;
  topK: number;
  expertRowsPerToken: number;
  experts: number;
}

/**
 * Routed experts (top-k of `experts`), their router and any shared experts. Each token's top-k copies
 * become `capacity` x top-k expert rows where experts are padded (and cut) to a capacity factor.
 */
function moeMlp(m: Model, e: Moe, capacity: number): MlpOperators {
  const h = m.hidden;
  const rows = e.topK * capacity;
  const f = e.expertFfnHidden;
  const up = m.gatedMlp ? 2 * f : f;
  const gemms = mlpGemms(h, f, m.gatedMlp, GROUP_ROUTED_EXPERT, "expert");
  gemms.push({ name: "router", k: h, n: e.experts, split: SPLIT_NONE, group: GROUP_SHARED_EXPERT });
  if (e.sharedExperts > 0) {
    gemms.push(...mlpGemms(h, f * e.sharedExperts, m.gatedMlp, GROUP_SHARED_EXPERT, "shared"));
  }
  const sharedF = f * e.sharedExperts;
  return {
    gemms,
    // Activation function (read up-projection, write result), per routed copy and shared expert;
    // token permutation reads and writes each routed copy twice (dispatch and combine).
    tpElements: rows * ((m.gatedMlp ? 3 : 2) * f + 4 * h) + (m.gatedMlp ? 3 : 2) * sharedF,
    gatedActivationElements: m.gatedMlp ? 3 * (rows * f + sharedF) : 0,
    activationElements: rows * (h + up + f) + (sharedF > 0 ? (up / f) * sharedF + sharedF : 0),
    routedActivationElements: rows * f,
    routedActivationTrafficElements: rows * (m.gatedMlp ? 3 : 2) * f,
    gemmInputElements: rows * (h + f) + sharedF,
    // Router (GEMM, softmax/sigmoid, top-k, load-balancing loss terms), token permutation (sort,
    // gather, counts), the dispatcher's split-size exchange, unpermutation: about 30 small kernels
    // in Megatron-Core's all-to-all dispatcher. The two expert GEMMs are then launched per expert.
    kernels: 30 - 2,
    kernelsPerLocalExpert: 2,
    routerParams: h * e.experts,
    paramsExperts: e.experts * (h * up + f * h),
    topK: e.topK,
    expertRowsPerToken: rows,
    experts: e.experts,
  };
}

/** One dense MLP of width ffnHidden (default 4h), gated or not. */
function denseMlp(m: Model): MlpOperators {
  const h = m.hidden;
  const f = m.ffnHidden ?? 4 * h;
  const up = m.gatedMlp ? 2 * f : f;
  return {
    gemms: mlpGemms(h, f, m.gatedMlp, GROUP_DENSE_MLP, "mlp"),
    tpElements: (m.gatedMlp ? 3 : 2) * f,
    gatedActivationElements: m.gatedMlp ? 3 * f : 0,
    activationElements: up + f,
    routedActivationElements: 0,
    routedActivationTrafficElements: 0,
    gemmInputElements: f,
    kernels: 1,
    kernelsPerLocalExpert: 0,
    routerParams: 0,
    paramsExperts: 0,
    topK: 0,
    expertRowsPerToken: 0,
    experts: 0,
  };
}

/**
 * The layer's non-expert weights: the two norms, the router, replicated GEMMs (and MLA's lora norms)
 * on every tp rank; column- and row-parallel GEMMs split by tp. Routed experts are counted apart.
 */
function layerParams(m: Model, gemms: GemmOp[], routerParams: number) {
  let paramsReplicated = 2 * m.hidden + routerParams; // two norms
  let paramsTpSplit = 0;
  for (const g of gemms) {
    if (g.group === GROUP_ROUTED_EXPERT || g.name === "router") continue;
    if (g.split === SPLIT_NONE) paramsReplicated += g.k * g.n;
    else paramsTpSplit += g.k * g.n;
  }
  if (m.mla) paramsReplicated += Math.max(m.mla.qLoraRank, 0) + m.mla.kvLoraRank; // lora norms
  return { paramsReplicated, paramsTpSplit };
}

function layerOperators(m: Model, moe: boolean, capacity: number): LayerOperators {
  const h = m.hidden;
  const w = attentionWidths(m);
  const qWidth = w.queryWidth;
  const ctxWidth = w.outputWidth;
  const attention = attentionGemms(m);
  const mlp = moe && m.moe ? moeMlp(m, m.moe, capacity) : denseMlp(m);
  const gemms = [...attention, ...mlp.gemms];
  const { paramsReplicated, paramsTpSplit } = layerParams(m, gemms, mlp.routerParams);
  const rotaryElements = 2 * (qWidth + w.kvWidth / 2);
  return {
    gemms,
    // Causal attention: each query attends to half the sequence on average, hence the caller
    // multiplies by seqLen/2. QK^T and AV each cost 2 FLOPs per multiply-add.
    attentionFlopsPerTokenPerKey: 2 * w.heads * (w.qkHeadDim + w.vHeadDim),
    // Two norms (read+write h) and two residual adds (read 2h, write h): 10h elements.
    elementwiseSeqBytes: BF16 * 10 * h,
    elementwiseTpBytes: BF16 * (rotaryElements + mlp.tpElements),
    normSeqBytes: BF16 * 4 * h,
    rotaryTpBytes: BF16 * rotaryElements,
    gatedActivationTpBytes: BF16 * mlp.gatedActivationElements,
    // Norm inputs and outputs of both blocks (4 tensors of h), per Korthikanti et al. 2022, table 1,
    // without the attention-score and dropout terms that flash attention and dropout-free training drop.
    activationSeqBytes: BF16 * 4 * h,
    activationTpBytes: BF16 * (qWidth + w.kvWidth + ctxWidth + mlp.activationElements),
    // One byte saved per fp8-stored element: the attention block's norm output (and the MLP block's,
    // unless MoE routing keeps it in bf16 for the router), permuted expert inputs, activation outputs.
    fp8SavedSeqBytes: moe ? h : 2 * h,
    fp8SavedTpBytes: mlp.gemmInputElements,
    modules: moduleRecomputeTable(m, moe, qWidth + w.kvWidth, mlp),
    opCheckpoint: opCheckpointTable(m, gemms, moe),
    tpCollectivesForward: 2,
    // Fused norm+GEMM, rotary (q and k), flash attention, bias-dropout-add (x2), activation, ...
    kernelsForward: 8 + attention.length + mlp.kernels,
    kernelsPerLocalExpert: mlp.kernelsPerLocalExpert,
    paramsReplicated,
    paramsTpSplit,
    paramsExperts: mlp.paramsExperts,
    isMoe: moe,
    topK: mlp.topK,
    expertRowsPerToken: mlp.expertRowsPerToken,
    experts: mlp.experts,
  };
}

/**
 * What each recompute module drops and reruns in one layer (ModuleRecomputeTable), with Transformer
 * Engine's layer specs (megatron/core/models/gpt/gpt_layer_specs.py, core_v0.14.0): the input norm is a
 * module of its own only before multi-latent attention (else fused into the QKV GEMM), the pre-MLP
 * norm only in MoE layers (else fused into fc1). Under fp8, Megatron has the consumers of a discarded
 * output keep the original rather than an fp8 copy (set_save_original_input), so the fp8 copy's saving
 * goes with the tensor: the attention norm's output was kept in fp8 (fp8SavedSeqBytes), the MoE
 * pre-MLP norm's in bf16 for the router.
 */
function moduleRecomputeTable(
  m: Model,
  moe: boolean,
  qkvWidth: number,
  mlp: MlpOperators,
): ModuleRecomputeTable {
  const h = m.hidden;
  const mla = Boolean(m.mla);
  const separateNorms = (mla ? 1 : 0) + (moe ? 1 : 0);
  const dense = !moe;
  return {
    normOutputSeqBytes: BF16 * separateNorms * h,
    normOutputFp8SeqBytes: mla ? h : 0,
    mlaQkvTpBytes: mla ? BF16 * qkvWidth : 0,
    expertActTpBytes: BF16 * mlp.routedActivationElements,
    expertActFp8TpBytes: mlp.routedActivationElements,
    expertActTrafficTpBytes: BF16 * mlp.routedActivationTrafficElements,
    denseMlpSeqBytes: dense ? BF16 * h : 0,
    denseMlpFp8SeqBytes: dense ? h : 0,
    denseMlpTpBytes: dense ? BF16 * mlp.activationElements : 0,
    denseMlpFp8TpBytes: dense ? mlp.gemmInputElements : 0,
    denseMlpTrafficSeqBytes: dense ? BF16 * 2 * h : 0,
    denseMlpTrafficTpBytes: dense ? BF16 * mlp.tpElements : 0,
    denseMlpGatedTpBytes: dense ? BF16 * mlp.gatedActivationElements : 0,
  };
}

/**
 * Builds the per-token operator tables for a model at a sequence length; `expertCapacity` is the
 * factor experts are padded and cut to (software.expertCapacityFactor; 1 for dropless balanced routing).
 */
export function workloadOperators(
  model: Model,
  seqLen = model.seqLen,
  expertCapacity = 1,
): WorkloadOperators {
  const moeLayers = moeLayerCount(model);
  const denseLayers = denseLayerCount(model);
  const h = model.hidden;
  const embeddingParams = model.vocab * h;
  return {
    model,
    seqLen,
    denseLayers,
    moeLayers,
    dense: layerOperators(model, false, 1),
    moe: model.moe ? layerOperators(model, true, expertCapacity) : null,
    logitsGemm: { name: "logits", k: h, n: model.vocab, split: SPLIT_COLUMN, group: GROUP_DENSE_MLP },
    // Vocab-parallel cross entropy in fp32: read logits, write softmax, read it back for the gradient.
    logitsElementwiseBytesPerToken: 4 * 3 * model.vocab,
    embeddingParams,
    outputHeadParams: model.tiedEmbeddings ? 0 : embeddingParams,
    mtpLayers: model.mtpLayers ?? 0,
  };
}
