import { z } from "zod";

export const PRECISIONS = ["bf16", "fp16", "fp8"] as const;
/**
 * How activations are kept for the backward pass, one vocabulary for every stack's recomputation
 * (docs/model.md, "Recomputation"). The fixed words:
 * - "none": every activation kept.
 * - "selective": Korthikanti et al. 2022's selective recomputation (Megatron's
 *   --recompute-granularity selective, recompute_modules ["core_attn"]): all but the attention core
 *   and the MLP activation outputs kept; the attention core is recomputed.
 * - "full": only each layer's input kept, every layer's forward recomputed (Megatron uniform, 1 layer
 *   per unit; torchtitan mode = "full").
 * - "offload": every activation in host memory over a coherent CPU link (Megatron-Core's activation
 *   offloading), nothing recomputed.
 * - "selective-op": torchtitan's per-operator selective checkpointing (mode = "selective",
 *   selective_ac_option = "op"): the outputs of the ops in its save list (matmuls but every second
 *   one, SDPA, reduce-scatter, all-to-all) kept, every other op recomputed.
 * And, with a layer count N, full recomputation on part of the layers (RECOMPUTE_LAYER_FORMS):
 * - "full-every-N" (N >= 2): every N-th layer fully recomputed, the rest keep everything
 *   (torchtitan selective_ac_option = "N", its layer-level selective checkpointing).
 * - "full-block-N" (N >= 1): the first N layers of each pipeline chunk fully recomputed, the rest keep
 *   everything (Megatron --recompute-method block --recompute-num-layers N).
 * - "full-uniform-N" (N >= 2): every layer recomputed, in units of N layers that keep only the unit's
 *   input (Megatron --recompute-method uniform --recompute-num-layers N; N = 1 is "full").
 * And Megatron-Core's module list (RECOMPUTE_MODULES), `modules-<m>+<m>...` (e.g.
 * "modules-layernorm+moe_act"): --recompute-granularity selective with those --recompute-modules, each
 * named once (transformer_config.py, core_v0.14.0). "selective" is "modules-core_attn", Megatron's default.
 * The engine's codes (src/engine/codes.ts) keep the fixed words' positions, so the first four read as
 * they always did.
 */
export const RECOMPUTE = ["none", "selective", "full", "offload", "selective-op"] as const;
/** The layer forms `full-<form>-N`, with the smallest N each takes (a smaller one is a fixed word). */
export const RECOMPUTE_LAYER_FORMS = ["every", "block", "uniform"] as const;
export const RECOMPUTE_LAYER_MIN: Record<RecomputeLayerForm, number> = { every: 2, block: 1, uniform: 2 };
/** The largest layer count a layer form takes (the engine codes N below it). */
export const MAX_RECOMPUTE_LAYERS = 1024;
export type RecomputeLayerForm = (typeof RECOMPUTE_LAYER_FORMS)[number];
export type RecomputeWord = (typeof RECOMPUTE)[number];
type RecomputeLayers = `full-${RecomputeLayerForm}-${number}`;
/**
 * Megatron-Core's recompute_modules that the engine models (transformer_config.py, core_v0.14.0), in
 * its documentation's order, which is the order a modules word is written back in:
 * - core_attn: the attention core rerun from its stored query, key and value (what "selective" is);
 * - moe_act: the routed experts' activation output dropped and rerun (grouped-GEMM experts only);
 * - layernorm: the outputs of the norms that are modules of their own dropped and rerun (with
 *   Transformer Engine's layer specs: the input norm of multi-latent attention, the pre-MLP norm of MoE
 *   layers; other norms are fused into the next GEMM and unaffected);
 * - mla_up_proj: multi-latent attention's query, key and value dropped and rebuilt from the latents
 *   (the up-projection GEMMs, their norms and the rotary embedding rerun);
 * - mlp: a dense layer's MLP kept only at its input and rerun whole.
 * Megatron's moe and shared_experts are not modelled (RECOMPUTE_MODULES_NOT_MODELLED).
 */
export const RECOMPUTE_MODULES = ["core_attn", "moe_act", "layernorm", "mla_up_proj", "mlp"] as const;
export const RECOMPUTE_MODULES_NOT_MODELLED = ["moe", "shared_experts"] as const;
export type RecomputeModule = (typeof RECOMPUTE_MODULES)[number];
type RecomputeModules = `modules-${string}`;
const MODULES_PREFIX = "modules-";

/**
 * The families of recompute words a stack runs with any count or module list: the layer forms
 * (`full-<form>-N`) and the modules words (`modules-...`).
 */
export type RecomputeForm = RecomputeLayerForm | "modules";

/** The family of a word (its layer form, or "modules"), or null for a fixed word. */
export function recomputeFormOf(word: string): RecomputeForm | null {
  if (recomputeModulesOf(word) !== null) return "modules";
  return recomputeLayersOf(word)?.form ?? null;
}

/** How the words of a family begin ("full-block-", "modules-"). */
export function recomputeFormPrefix(form: RecomputeForm): string {
  return form === "modules" ? MODULES_PREFIX : `full-${form}-`;
}

/**
 * A modules word's modules ("modules-layernorm+moe_act": layernorm, moe_act), or null for any other
 * word or a modules word that names an unknown module, none, or one twice.
 */
export function recomputeModulesOf(word: string): RecomputeModule[] | null {
  if (!word.startsWith(MODULES_PREFIX)) return null;
  const names = word.slice(MODULES_PREFIX.length).split("+");
  const known = names.filter((n): n is RecomputeModule =>
    (RECOMPUTE_MODULES as readonly string[]).includes(n),
  );
  if (known.length !== names.length || new Set(known).size !== known.length) return null;
  return known;
}

/**
 * One word per setting: a modules word in RECOMPUTE_MODULES order, and modules-core_attn, Megatron's
 * default list, as "selective"; every other word as it is.
 */
export function canonicalRecompute(word: Recompute): Recompute {
  const modules = recomputeModulesOf(word);
  if (!modules) return word;
  const canonical = recomputeModulesWord(modules);
  return canonical === `${MODULES_PREFIX}core_attn` ? "selective" : canonical;
}

/** The modules word of a set of modules, in RECOMPUTE_MODULES order. */
export function recomputeModulesWord(modules: readonly RecomputeModule[]): Recompute {
  return `${MODULES_PREFIX}${RECOMPUTE_MODULES.filter((m) => modules.includes(m)).join("+")}`;
}
const LAYER_FORM_PATTERN = /^full-(every|block|uniform)-([1-9]\d*)$/;

/** A layer form's parts ("full-block-4": block, 4), or null for a fixed word or no recompute word. */
export function recomputeLayersOf(word: string): { form: RecomputeLayerForm; layers: number } | null {
  const m = LAYER_FORM_PATTERN.exec(word);
  if (!m) return null;
  return { form: m[1] as RecomputeLayerForm, layers: Number(m[2]) };
}

/** Whether a word is in the recompute vocabulary (a fixed word, or a layer form within its range). */
export function isRecompute(word: unknown): word is Recompute {
  if (typeof word !== "string") return false;
  if ((RECOMPUTE as readonly string[]).includes(word)) return true;
  if (recomputeModulesOf(word) !== null) return true;
  const l = recomputeLayersOf(word);
  return l !== null && l.layers >= RECOMPUTE_LAYER_MIN[l.form] && l.layers <= MAX_RECOMPUTE_LAYERS;
}

/** The vocabulary in words, for messages and help. */
export const RECOMPUTE_ALLOWED = `${RECOMPUTE.join(", ")}, full-every-N (N >= 2), full-block-N (N >= 1) or full-uniform-N (N >= 2), N at most ${MAX_RECOMPUTE_LAYERS}, or modules- with Megatron's recompute modules joined by + (each once: ${RECOMPUTE_MODULES.join(", ")}; e.g. modules-moe_act+layernorm; ${RECOMPUTE_MODULES_NOT_MODELLED.join(" and ")} are not modelled)`;
/** zero0 = plain data parallel (replicated optimizer); zero3 = FSDP full shard. */
export const ZERO_STAGES = ["zero0", "zero1", "zero2", "zero3"] as const;

/**
 * Attention kernel generation: "fused" (cuDNN / FlashAttention-3 class), "flash2" (FlashAttention-2), or
 * "unfused": the pre-FlashAttention path (scores materialized, fused scale-mask-softmax, dropout, then
 * the value product), as Megatron-LM ran in 2021-2022.
 */
export const ATTENTION_KERNELS = ["fused", "flash2", "unfused"] as const;
/**
 * Precision of the data-parallel gradient buffers and their reduction: "fp32" (Megatron-LM's default for
 * bf16 training) or "bf16" (NVIDIA's Megatron-Bridge performance recipes set grad_reduce_in_fp32=False).
 */
export const GRADIENT_REDUCTIONS = ["fp32", "bf16"] as const;
/** What a parallel size counts: chips, or Trainium NeuronCores (as AWS Neuron's tables count them). */
export const RANK_UNITS = ["chip", "neuroncore"] as const;

/** Matrix precision of a run that does not say: bf16, what published large runs used. */
export const DEFAULT_PRECISION = "bf16" satisfies Precision;
/** The defaults of a run that leaves these unsaid (each stated as an assumption where it is applied). */
export const DEFAULT_ATTENTION_KERNEL = "fused" satisfies AttentionKernel;
export const DEFAULT_GRADIENT_REDUCE = "fp32" satisfies GradientReduce;
export const DEFAULT_RANK_UNIT = "chip" satisfies RankUnit;

export const PrecisionSchema = z.enum(PRECISIONS);
export const AttentionKernelSchema = z.enum(ATTENTION_KERNELS);
export const GradientReduceSchema = z.enum(GRADIENT_REDUCTIONS);
export const RankUnitSchema = z.enum(RANK_UNITS);
export type AttentionKernel = z.infer<typeof AttentionKernelSchema>;
export type GradientReduce = z.infer<typeof GradientReduceSchema>;
export type RankUnit = z.infer<typeof RankUnitSchema>;
/** The vocabulary as one pattern (the JSON Schema carries it); the largest N is checked apart. */
const MODULE_NAMES = RECOMPUTE_MODULES.join("|");
const RECOMPUTE_PATTERN = new RegExp(
  `^(${RECOMPUTE.join("|")}|full-(every|uniform)-([2-9]|[1-9]\\d+)|full-block-[1-9]\\d*|modules-(${MODULE_NAMES})(\\+(${MODULE_NAMES}))*)$`,
);
export const RecomputeSchema = z
  .string()
  .refine(isRecompute, { message: `one of ${RECOMPUTE_ALLOWED}` })
  .transform((w) => canonicalRecompute(w as Recompute))
  .meta({
    pattern: RECOMPUTE_PATTERN.source,
    description: `recomputation: ${RECOMPUTE_ALLOWED}; a modules word is read in Megatron's order, and modules-core_attn as selective`,
  });
export const ZeroSchema = z.enum(ZERO_STAGES);
export type Precision = z.infer<typeof PrecisionSchema>;
export type Recompute = RecomputeWord | RecomputeLayers | RecomputeModules;
export type ZeroStage = z.infer<typeof ZeroSchema>;

/**
 * A fully resolved parallel plan, in chips (ranks). Group order follows Megatron-LM's
 * rank layout: tp innermost, then cp, then dp, then pp outermost; ep subdivides dp x cp.
 */
export interface Parallelism {
  tp: number;
  pp: number;
  vpp: number;
  dp: number;
  cp: number;
  ep: number;
  microBatch: number;
  recompute: Recompute;
  zero: ZeroStage;
  sequenceParallel: boolean;
  precision: Precision;
}
