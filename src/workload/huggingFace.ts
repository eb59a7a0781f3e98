/**
 * A Hugging Face `config.json` read as trainplan's model (docs/huggingface.md has the field table).
 * Every value that is not a field of the file is a guess, and each guess is returned in words, so
 * that the prediction can say what it assumed; a config that lacks a field the count needs is
 * refused with the names of the missing fields.
 */

import type { z } from "zod";
import { InputError, inputErrorFromZod } from "../errors.js";
import { findFamily, type HuggingFaceFamily, knownModelTypes } from "./huggingFaceFamilies.js";
import { type Model, type ModelInput, ModelSchema, type MoeSchema, type SlidingWindow } from "./schema.js";

type Config = Record<string, unknown>;
type MoeInput = z.input<typeof MoeSchema>;

export interface HuggingFaceImport {
  model: Model;
  /** The config's `model_type` ("unknown" when it has none). */
  modelType: string;
  /** Values not read from a field but assumed, and weights the count leaves out, each in words. */
  guesses: string[];
}

// Field names by what they mean, first match wins (Llama-style names, then GPT-2, MPT, others).
const LAYERS = ["num_hidden_layers", "n_layer", "n_layers", "num_layers"];
const HIDDEN = ["hidden_size", "n_embd", "d_model"];
const HEADS = ["num_attention_heads", "n_head", "n_heads"];
const KV_HEADS = ["num_key_value_heads", "attn_config.kv_n_heads", "num_kv_heads", "n_head_kv"];
const VOCAB = ["vocab_size", "padded_vocab_size"];
const FFN = ["intermediate_size", "n_inner", "ffn_hidden_size", "d_ff"];
const EXPERTS = ["n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts"];
const TOP_K = ["num_experts_per_tok", "experts_per_token", "moe_top_k"];
/**
 * The context length, most specific first: the pre-extension length under RoPE scaling (Llama 3.1,
 * DeepSeek-V3, gpt-oss, Phi-3 long), gpt-oss's initial context, then the configured maximum.
 */
const SEQ = [
  "rope_scaling.original_max_position_embeddings",
  "rope_parameters.original_max_position_embeddings",
  "initial_context_length",
  "original_max_position_embeddings",
  "max_position_embeddings",
  "n_positions",
  "max_seq_len",
  "max_sequence_length",
  "seq_length",
  "n_ctx",
];
/** Context assumed when a config names none (BLOOM, trained at 2048 with ALiBi). */
const DEFAULT_SEQ = 2048;
const SIZE_FIELDS = [...LAYERS, ...HIDDEN];

function isObject(v: unknown): v is Config {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * A Hugging Face config rather than trainplan's model: it names a `model_type` or `architectures`,
 * or sizes under Hugging Face names, and has none of trainplan's own `layers` / `hidden`.
 */
export function isHuggingFaceConfig(raw: unknown): raw is Config {
  if (!isObject(raw) || "layers" in raw || "hidden" in raw) return false;
  return (
    typeof raw.model_type === "string" ||
    Array.isArray(raw.architectures) ||
    SIZE_FIELDS.some((k) => k in raw)
  );
}

/** Reads fields by their alternative names, collecting the missing ones and the guesses. */
class ConfigReader {
  readonly missing: string[] = [];
  readonly guesses: string[] = [];
  constructor(
    readonly config: Config,
    readonly label: string,
  ) {}

  /** The first of `names` set to something other than null; "a.b" reads field b of object a. */
  find(names: readonly string[]): { name: string; value: unknown } | undefined {
    for (const name of names) {
      let value: unknown = this.config;
      for (const part of name.split(".")) value = isObject(value) ? value[part] : undefined;
      if (value !== undefined && value !== null) return { name, value };
    }
    return undefined;
  }

  /** A whole number >= min from the first of `names` present, undefined when none is. */
  int(names: readonly string[], min = 1): number | undefined {
    const hit = this.find(names);
    if (!hit) return undefined;
    const v = hit.value;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw new InputError({
        field: `${this.label}: ${hit.name}`,
        value: v,
        allowed: min === 0 ? "a whole number, 0 or more" : "a positive whole number",
      });
    }
    return v;
  }

  /** Like int, but a config without any of `names` is recorded as missing them. */
  required(names: readonly string[]): number {
    const v = this.int(names);
    if (v !== undefined) return v;
    this.missing.push(names.length > 1 ? `${names[0]} (or ${names.slice(1).join(", ")})` : names[0]);
    return 1;
  }

  string(names: readonly string[]): string | undefined {
    const hit = this.find(names);
    return typeof hit?.value === "string" ? hit.value : undefined;
  }

  refuse(name: string, value: unknown, allowed: string): never {
    throw new InputError({ field: `${this.label}: ${name}`, value, allowed });
  }
}

/**
 * trainplan's model from a Hugging Face config.json (parsed). `label` names the file in messages.
 * Throws InputError naming the missing fields for a config it cannot read as a decoder.
 */
export function modelFromHuggingFace(config: Config, label = "config.json"): HuggingFaceImport {
  // Multimodal wrappers (Gemma 3, Llama 4, Qwen-VL) keep the language model's fields under text_config.
  if (isObject(config.text_config) && !SIZE_FIELDS.some((k) => k in config)) {
    const inner = modelFromHuggingFace(config.text_config, `${label}: text_config`);
    return { ...inner, guesses: ["read the language model under text_config", ...inner.guesses] };
  }
  const r = new ConfigReader(config, label);
  const modelType = r.string(["model_type"]);
  const family = findFamily(modelType);
  const layers = r.required(LAYERS);
  const hidden = r.required(HIDDEN);
  const heads = r.required(HEADS);
  const vocab = r.required(VOCAB);
  const moe = readMoe(r);
  const ffnHidden = readFfn(r, family, hidden, moe);
  const mla = readMla(r);
  if (r.missing.length > 0) throw missingFields(r, modelType);
  if (!family) r.guesses.push(unknownFamilyWords(modelType));

  const input: ModelInput = {
    name: r.string(["_name_or_path"]) || label,
    layers,
    hidden,
    ffnHidden,
    heads,
    kvHeads: readKvHeads(r, heads, mla !== null),
    headDim: mla ? null : (r.int(["head_dim"]) ?? null),
    vocab,
    seqLen: readSeqLen(r),
    gatedMlp: readGated(r, family),
    tiedEmbeddings: readTied(r, family),
    moe,
    mla,
    mtpLayers: readMtp(r),
    slidingWindow: readWindow(r, family, layers),
    notes: `Hugging Face ${modelType ?? "config"} (${label})`,
  };
  noteUncounted(r, family);
  const parsed = ModelSchema.safeParse(input);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, input, `${label} read as model`);
  return { model: parsed.data, modelType: modelType ?? "unknown", guesses: r.guesses };
}

function missingFields(r: ConfigReader, modelType: string | undefined): InputError {
  const arch = r.find(["architectures"])?.value;
  const name = modelType ?? (Array.isArray(arch) ? String(arch[0]) : "(no model_type)");
  return new InputError({
    field: r.label,
    value: name,
    allowed: `a Hugging Face config.json of a decoder-only transformer; this one lacks ${r.missing.join(", ")} (families read: ${knownModelTypes().join(", ")}; docs/huggingface.md lists the fields)`,
  });
}

function unknownFamilyWords(modelType: string | undefined): string {
  return `model_type ${modelType ?? "(none)"} is not a family trainplan knows (${knownModelTypes().join(", ")}): read by the common field names, check the counts below against the model card`;
}

function readKvHeads(r: ConfigReader, heads: number, mla: boolean): number {
  const kv = r.int(KV_HEADS);
  if (kv !== undefined) return kv;
  if (r.find(["multi_query"])?.value === true) return 1;
  if (!mla) r.guesses.push(`no num_key_value_heads: plain multi-head attention (${heads} key-value heads)`);
  return heads;
}

function readSeqLen(r: ConfigReader): number {
  const hit = r.find(SEQ);
  const seq = r.int(SEQ);
  if (seq === undefined || !hit) {
    r.guesses.push(
      `no context length in the config: seqLen ${DEFAULT_SEQ} assumed; set seqLen (or --seq) to yours`,
    );
    return DEFAULT_SEQ;
  }
  r.guesses.push(
    `seqLen ${seq} from ${hit.name}, the context the config names; pretraining often ran shorter: set seqLen (or --seq) to yours`,
  );
  return seq;
}

const GATED_ACTIVATION = /silu|swish|swiglu|geglu/i;

function readGated(r: ConfigReader, family: HuggingFaceFamily | undefined): boolean {
  const act = r.string(["hidden_act", "hidden_activation", "activation_function", "ffn_config.ffn_act_fn"]);
  const words = act ? `activation ${act}` : "no activation named";
  if (family) {
    r.guesses.push(
      family.gatedMlp
        ? `gated MLP (gate, up, down), as ${family.label}'s modeling code has it (${words})`
        : `plain MLP (up, down), as ${family.label}'s modeling code has it (${words})`,
    );
    return family.gatedMlp;
  }
  const gated = act !== undefined && GATED_ACTIVATION.test(act);
  r.guesses.push(
    gated
      ? `gated MLP (gate, up, down) assumed from ${words}`
      : `plain MLP (up, down) assumed from ${words} (gated MLPs use SiLU)`,
  );
  return gated;
}

function readTied(r: ConfigReader, family: HuggingFaceFamily | undefined): boolean {
  const tie = r.find(["tie_word_embeddings"])?.value;
  if (typeof tie === "boolean") return tie;
  // transformers' PretrainedConfig ties by default; the families that untie set it in their class.
  const tied = family ? family.tiedByDefault : true;
  r.guesses.push(
    `no tie_word_embeddings: ${tied ? "output head tied to the embedding" : "separate output head"}, the default of ${family ? `${family.label}'s config class` : "transformers' PretrainedConfig"}`,
  );
  return tied;
}

/** The dense MLP width: null when every layer is MoE. */
function readFfn(
  r: ConfigReader,
  family: HuggingFaceFamily | undefined,
  hidden: number,
  moe: MoeInput | null,
): number | null {
  if (moe && !moe.denseLayers) return null;
  const ffn = r.int(FFN);
  if (ffn !== undefined) return ffn;
  const ratio = r.find(["expansion_ratio"])?.value;
  if (typeof ratio === "number" && Number.isInteger(ratio * hidden) && ratio > 0) {
    r.guesses.push(`MLP width ${ratio * hidden} = expansion_ratio ${ratio} x d_model`);
    return ratio * hidden;
  }
  if (family?.ffnTimesHidden) {
    const width = family.ffnTimesHidden * hidden;
    r.guesses.push(
      `no MLP width in the config: ${width} = ${family.ffnTimesHidden} x hidden, ${family.label}'s default`,
    );
    return width;
  }
  return r.required(FFN);
}

/**
 * MoE fields under DeepSeek, Mixtral/gpt-oss and Qwen names. trainplan's MoE is on every layer after
 * `denseLayers` leading dense ones, so a config with another pattern is refused, not reinterpreted.
 */
function readMoe(r: ConfigReader): MoeInput | null {
  const experts = r.int(EXPERTS);
  if (experts === undefined) return null;
  const topK = r.required(TOP_K);
  const expertFfnHidden = r.required(
    r.find(["moe_intermediate_size"]) ? ["moe_intermediate_size"] : ["intermediate_size"],
  );
  for (const name of ["moe_layer_freq", "decoder_sparse_step"]) {
    const every = r.int([name]);
    if (every !== undefined && every !== 1) {
      r.refuse(name, every, "1 (MoE on every layer after the leading dense ones, as trainplan models it)");
    }
  }
  const moe: MoeInput = {
    experts,
    topK,
    expertFfnHidden,
    sharedExperts: readSharedExperts(r, expertFfnHidden),
    denseLayers: readDenseLayers(r),
  };
  const groups = r.int(["n_group"]);
  const topKGroups = r.int(["topk_group"]);
  if (groups !== undefined && groups > 1) {
    moe.routingGroups = groups;
    if (topKGroups !== undefined) moe.topKGroups = topKGroups;
  }
  return moe;
}

function readSharedExperts(r: ConfigReader, expertFfn: number): number {
  const count = r.int(["n_shared_experts", "num_shared_experts"], 0);
  if (count !== undefined) return count;
  // Qwen2-MoE states one shared expert by its width; trainplan counts shared experts of the routed width.
  const width = r.int(["shared_expert_intermediate_size"], 0);
  if (width === undefined || width === 0) return 0;
  if (width % expertFfn !== 0) {
    r.refuse(
      "shared_expert_intermediate_size",
      width,
      `a multiple of the expert width (${expertFfn}), so the shared expert counts as whole experts`,
    );
  }
  r.guesses.push(
    `shared expert of width ${width} counted as ${width / expertFfn} experts of width ${expertFfn} (same weights)`,
  );
  return width / expertFfn;
}

function readDenseLayers(r: ConfigReader): number {
  const first = r.int(["first_k_dense_replace"], 0);
  if (first !== undefined) return first;
  const only = r.find(["mlp_only_layers"])?.value;
  if (only === undefined) return 0;
  const leading = Array.isArray(only) && only.every((v, i) => v === i);
  if (!leading)
    r.refuse(
      "mlp_only_layers",
      only,
      "the leading layers 0, 1, ... (dense layers first, as trainplan models them)",
    );
  return (only as unknown[]).length;
}

/** DeepSeek multi-head latent attention; q_lora_rank null means a direct query projection (V2-Lite). */
function readMla(r: ConfigReader): ModelInput["mla"] {
  if (r.int(["kv_lora_rank"]) === undefined) return null;
  const qLoraRank = r.int(["q_lora_rank"], 0);
  if (qLoraRank === undefined)
    r.guesses.push("q_lora_rank null: queries projected directly, not through a low-rank factor");
  return {
    qLoraRank: qLoraRank ?? 0,
    kvLoraRank: r.required(["kv_lora_rank"]),
    qkNopeHeadDim: r.required(["qk_nope_head_dim"]),
    qkRopeHeadDim: r.required(["qk_rope_head_dim"]),
    vHeadDim: r.required(["v_head_dim"]),
  };
}

function readMtp(r: ConfigReader): number {
  const mtp = r.int(["num_nextn_predict_layers"], 0) ?? 0;
  if (mtp > 0) {
    r.guesses.push(
      `${mtp} multi-token-prediction module${mtp > 1 ? "s" : ""} from num_nextn_predict_layers, counted in the total (DeepSeek-V3's published 671B leaves it out)`,
    );
  }
  return mtp;
}

/** Sliding-window attention from `layer_types`, or from `sliding_window` as the family applies it. */
function readWindow(
  r: ConfigReader,
  family: HuggingFaceFamily | undefined,
  layers: number,
): SlidingWindow | null {
  const tokens = r.int(["sliding_window"]);
  const types = r.find(["layer_types"])?.value;
  if (Array.isArray(types)) return windowFromLayerTypes(r, types, tokens, layers);
  if (tokens === undefined) return null;
  const kind = family ? family.window : "all-layers";
  if (kind === undefined) {
    r.guesses.push(`sliding_window ${tokens} not used: ${family?.label}'s attention has no window`);
    return null;
  }
  if (kind === "qwen-max-window-layers") return qwenWindow(r, tokens, layers);
  const layersWord = kind === "all-layers" ? "all" : "alternate";
  r.guesses.push(
    `sliding_window ${tokens} on ${layersWord === "all" ? "every layer" : "every other layer"}${family ? `, as ${family.label} applies it` : " (assumed)"}`,
  );
  return { tokens, layers: layersWord };
}

function windowFromLayerTypes(
  r: ConfigReader,
  types: unknown[],
  tokens: number | undefined,
  layers: number,
): SlidingWindow | null {
  const windowed = types.map((t) => t === "sliding_attention");
  const count = windowed.filter(Boolean).length;
  if (count === 0) return null;
  if (tokens === undefined) {
    r.refuse(
      "sliding_window",
      undefined,
      "the window in tokens, needed when layer_types has sliding_attention layers",
    );
  }
  if (count === layers) return { tokens, layers: "all" };
  const alternating = types.length === layers && windowed.every((w, i) => i === 0 || w !== windowed[i - 1]);
  if (!alternating) {
    r.refuse(
      "layer_types",
      `${count} of ${types.length} layers windowed`,
      "windows on every layer or on every other layer (trainplan's two sliding-window patterns)",
    );
  }
  r.guesses.push(`sliding_window ${tokens} on every other layer, from layer_types`);
  return { tokens, layers: "alternate" };
}

/** Qwen2/Qwen3: with use_sliding_window, layers from max_window_layers on use the window. */
function qwenWindow(r: ConfigReader, tokens: number, layers: number): SlidingWindow | null {
  if (r.find(["use_sliding_window"])?.value !== true) return null;
  const from = Math.min(r.int(["max_window_layers"], 0) ?? layers, layers);
  if (from === layers) return null;
  if (from === 0) return { tokens, layers: "all" };
  return r.refuse(
    "max_window_layers",
    from,
    `0 or ${layers} (a window on all layers or none; trainplan has no pattern for the last ${layers - from} only)`,
  );
}

function noteUncounted(r: ConfigReader, family: HuggingFaceFamily | undefined): void {
  const parts = family?.uncounted ? [family.uncounted] : [];
  if (r.find(["attention_bias"])?.value === true && !family?.uncounted) parts.push("attention biases");
  if (r.find(["mlp_bias"])?.value === true) parts.push("MLP biases");
  if (parts.length > 0) {
    r.guesses.push(`not counted (trainplan counts weight matrices and norm scales): ${parts.join("; ")}`);
  }
}
