/**
 * What a Hugging Face `config.json` leaves unsaid about each architecture family, keyed by its
 * `model_type`: whether the MLP is gated, whether the output head is tied when the config omits
 * `tie_word_embeddings`, and which weights trainplan does not count (biases, learned positions,
 * small norms). Each entry follows the family's configuration and modeling code in Hugging Face
 * transformers (src/transformers/models/<family>/, v4.57, read 2026-12-01).
 */

export interface HuggingFaceFamily {
  /** `model_type` values read with this entry. */
  modelTypes: readonly string[];
  /** Name used in messages. */
  label: string;
  /** Gated MLP (gate, up, down: SwiGLU / GeGLU) in the family's modeling code, vs up and down only. */
  gatedMlp: boolean;
  /** The config class's default for `tie_word_embeddings` when the file omits it. */
  tiedByDefault: boolean;
  /** Weights the modeling code has that trainplan's count leaves out (stated with the counts). */
  uncounted?: string;
  /** How `sliding_window` applies when the config has no `layer_types`. */
  window?: "all-layers" | "alternate-layers" | "qwen-max-window-layers";
  /** Feed-forward width when the config has none: a multiple of hidden (GPT-2 `n_inner` null, BLOOM). */
  ffnTimesHidden?: number;
}

export const HUGGING_FACE_FAMILIES: readonly HuggingFaceFamily[] = [
  { modelTypes: ["llama"], label: "Llama", gatedMlp: true, tiedByDefault: false },
  {
    modelTypes: ["mistral"],
    label: "Mistral",
    gatedMlp: true,
    tiedByDefault: false,
    window: "all-layers",
  },
  {
    modelTypes: ["mixtral"],
    label: "Mixtral",
    gatedMlp: true,
    tiedByDefault: false,
    window: "all-layers",
  },
  {
    modelTypes: ["qwen2", "qwen2_moe"],
    label: "Qwen2",
    gatedMlp: true,
    tiedByDefault: false,
    uncounted:
      "the q, k and v projection biases (Qwen2 attention has qkv bias); qwen2_moe's shared-expert gate",
    window: "qwen-max-window-layers",
  },
  {
    modelTypes: ["qwen3", "qwen3_moe"],
    label: "Qwen3",
    gatedMlp: true,
    tiedByDefault: false,
    uncounted: "the QK-norm weights (2 x head_dim per layer)",
    window: "qwen-max-window-layers",
  },
  {
    modelTypes: ["deepseek_v2", "deepseek_v3"],
    label: "DeepSeek",
    gatedMlp: true,
    tiedByDefault: false,
    uncounted: "deepseek_v3's router correction bias (e_score_correction_bias, one per expert)",
  },
  {
    modelTypes: ["gpt_oss"],
    label: "gpt-oss",
    gatedMlp: true,
    tiedByDefault: false,
    uncounted:
      "biases of the attention projections, router and experts, and the attention sinks (~0.04B on gpt-oss-120b)",
  },
  {
    modelTypes: ["gemma"],
    label: "Gemma",
    gatedMlp: true,
    tiedByDefault: true,
  },
  {
    modelTypes: ["gemma2"],
    label: "Gemma 2",
    gatedMlp: true,
    tiedByDefault: true,
    uncounted: "the post-attention and post-feed-forward norms (2 x hidden per layer)",
    window: "alternate-layers",
  },
  {
    modelTypes: ["phi3"],
    label: "Phi-3",
    gatedMlp: true,
    tiedByDefault: false,
    window: "all-layers",
  },
  {
    modelTypes: ["phi"],
    label: "Phi (1, 1.5, 2)",
    gatedMlp: false,
    tiedByDefault: false,
    uncounted:
      "all biases (projections, MLP, LayerNorm, output head); Phi has one LayerNorm per layer, counted as two",
  },
  {
    modelTypes: ["gpt2"],
    label: "GPT-2",
    gatedMlp: false,
    tiedByDefault: true,
    uncounted: "all biases, and the learned position embeddings (n_positions x n_embd)",
    ffnTimesHidden: 4,
  },
  {
    modelTypes: ["gpt_neox"],
    label: "GPT-NeoX",
    gatedMlp: false,
    tiedByDefault: false,
    uncounted: "all biases (projections, MLP, LayerNorm)",
  },
  {
    modelTypes: ["mpt"],
    label: "MPT",
    gatedMlp: false,
    tiedByDefault: true,
    uncounted: "biases when no_bias is false",
  },
  {
    modelTypes: ["bloom"],
    label: "BLOOM",
    gatedMlp: false,
    tiedByDefault: true,
    uncounted: "all biases, and the LayerNorm after the word embedding (2 x hidden)",
    ffnTimesHidden: 4,
  },
];

export function findFamily(modelType: string | undefined): HuggingFaceFamily | undefined {
  if (modelType === undefined) return undefined;
  return HUGGING_FACE_FAMILIES.find((f) => f.modelTypes.includes(modelType));
}

export function knownModelTypes(): string[] {
  return HUGGING_FACE_FAMILIES.flatMap((f) => f.modelTypes);
}
