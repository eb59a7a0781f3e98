import { suggest } from "../errors.js";
import { type Model, type ModelInput, ModelSchema } from "./schema.js";

/** Where a preset's architecture and published size come from. */
export interface PresetSource {
  title: string;
  url: string;
  dateSeen: string;
}

/**
 * What a published size counts, where it differs from countParameters():
 * DeepSeek-V3's 671B leaves out its MTP module; gpt-oss's 5.1B active leaves out the input embedding.
 */
export interface PublishedConvention {
  totalExcludesMtp?: boolean;
  activeExcludesEmbedding?: boolean;
}

export interface ModelPreset {
  id: string;
  model: Model;
  /** Total parameters as published, in billions. */
  publishedParamsB: number;
  /** Parameters active per token as published (MoE), in billions. */
  publishedActiveParamsB?: number;
  publishedConvention?: PublishedConvention;
  /** Other names people use; matched case- and punctuation-insensitively. */
  aliases?: readonly string[];
  source: PresetSource;
}

const SEEN = "2026-11-26";

function preset(p: Omit<ModelPreset, "model"> & { model: ModelInput }): ModelPreset {
  return { ...p, model: ModelSchema.parse(p.model) };
}

const llamaDense = { gatedMlp: true, tiedEmbeddings: false } as const;

export const modelPresets: readonly ModelPreset[] = [
  preset({
    id: "gpt3-175b",
    model: {
      name: "GPT-3 175B",
      layers: 96,
      hidden: 12288,
      ffnHidden: 4 * 12288,
      heads: 96,
      headDim: 128,
      vocab: 50257,
      seqLen: 2048,
      gatedMlp: false,
      tiedEmbeddings: true,
      notes:
        "learned positional embeddings (2048 x 12288, not counted); alternating dense and locally banded sparse attention (paper §2.1), counted as dense",
    },
    publishedParamsB: 175.0,
    aliases: ["gpt-3", "gpt3", "davinci"],
    source: {
      title: "Language Models are Few-Shot Learners (Brown et al., 2020), Table 2.1; vocab = GPT-2 BPE 50257",
      url: "https://arxiv.org/abs/2005.14165",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "llama2-7b",
    model: {
      name: "Llama 2 7B",
      layers: 32,
      hidden: 4096,
      ffnHidden: 11008,
      heads: 32,
      kvHeads: 32,
      vocab: 32000,
      seqLen: 4096,
      ...llamaDense,
    },
    publishedParamsB: 6.74,
    aliases: ["llama-2-7b-hf", "meta-llama/Llama-2-7b-hf"],
    source: {
      title:
        "meta-llama/Llama-2-7b-hf config.json; size from Llama 2 paper (Touvron et al., 2023) and the model card (6.74B)",
      url: "https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "llama2-13b",
    model: {
      name: "Llama 2 13B",
      layers: 40,
      hidden: 5120,
      ffnHidden: 13824,
      heads: 40,
      kvHeads: 40,
      vocab: 32000,
      seqLen: 4096,
      ...llamaDense,
    },
    publishedParamsB: 13.0,
    aliases: ["llama-2-13b-hf", "meta-llama/Llama-2-13b-hf"],
    source: {
      title: "meta-llama/Llama-2-13b-hf config.json; size from Llama 2 paper (Touvron et al., 2023)",
      url: "https://huggingface.co/meta-llama/Llama-2-13b-hf/blob/main/config.json",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "llama2-70b",
    model: {
      name: "Llama 2 70B",
      layers: 80,
      hidden: 8192,
      ffnHidden: 28672,
      heads: 64,
      kvHeads: 8,
      vocab: 32000,
      seqLen: 4096,
      ...llamaDense,
    },
    publishedParamsB: 70,
    aliases: ["llama-2-70b-hf", "meta-llama/Llama-2-70b-hf"],
    source: {
      title:
        "meta-llama/Llama-2-70b-hf config.json; size as labelled in the Llama 2 paper (Touvron et al., 2023), 69.0B exact",
      url: "https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "llama3-8b",
    model: {
      name: "Llama 3 8B",
      layers: 32,
      hidden: 4096,
      ffnHidden: 14336,
      heads: 32,
      kvHeads: 8,
      vocab: 128256,
      seqLen: 8192,
      ...llamaDense,
    },
    publishedParamsB: 8.03,
    aliases: ["llama-3.1-8b", "meta-llama-3-8b", "meta-llama/Meta-Llama-3-8B", "meta-llama/Llama-3.1-8B"],
    source: {
      title:
        "meta-llama/Meta-Llama-3-8B config.json and model card (8.03B); 8192 pretraining context (The Llama 3 Herd of Models, §3.4)",
      url: "https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "llama3-70b",
    model: {
      name: "Llama 3 70B",
      layers: 80,
      hidden: 8192,
      ffnHidden: 28672,
      heads: 64,
      kvHeads: 8,
      vocab: 128256,
      seqLen: 8192,
      ...llamaDense,
    },
    publishedParamsB: 70.6,
    aliases: ["llama-3.1-70b", "meta-llama-3-70b", "meta-llama/Meta-Llama-3-70B", "meta-llama/Llama-3.1-70B"],
    source: {
      title: "meta-llama/Meta-Llama-3-70B config.json and model card (70.6B)",
      url: "https://huggingface.co/meta-llama/Meta-Llama-3-70B/blob/main/config.json",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "llama3-405b",
    model: {
      name: "Llama 3.1 405B",
      layers: 126,
      hidden: 16384,
      ffnHidden: 53248,
      heads: 128,
      kvHeads: 8,
      vocab: 128256,
      seqLen: 8192,
      ...llamaDense,
    },
    publishedParamsB: 405,
    aliases: ["llama-3.1-405b", "llama3.1-405b", "meta-llama/Llama-3.1-405B"],
    source: {
      title:
        "The Llama 3 Herd of Models (Dubey et al., 2024), Table 3; meta-llama/Llama-3.1-405B config.json; 8192 context in initial pretraining (§3.4.1)",
      url: "https://arxiv.org/abs/2407.21783",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "mixtral-8x7b",
    model: {
      name: "Mixtral 8x7B",
      layers: 32,
      hidden: 4096,
      ffnHidden: null,
      heads: 32,
      kvHeads: 8,
      vocab: 32000,
      seqLen: 32768,
      gatedMlp: true,
      moe: { experts: 8, topK: 2, expertFfnHidden: 14336 },
      notes: "trained with a 32k context (Mixtral paper §2)",
    },
    publishedParamsB: 46.7,
    publishedActiveParamsB: 12.9,
    aliases: ["mistralai/Mixtral-8x7B-v0.1"],
    source: {
      title:
        "Mixtral of experts (Mistral AI announcement: 46.7B total, 12.9B per token); mistralai/Mixtral-8x7B-v0.1 config.json",
      url: "https://mistral.ai/news/mixtral-of-experts",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "mixtral-8x22b",
    model: {
      name: "Mixtral 8x22B",
      layers: 56,
      hidden: 6144,
      ffnHidden: null,
      heads: 48,
      kvHeads: 8,
      vocab: 32000,
      seqLen: 65536,
      gatedMlp: true,
      moe: { experts: 8, topK: 2, expertFfnHidden: 16384 },
      notes: "v0.1 vocabulary 32000 (v0.3 uses 32768); 64k context window",
    },
    publishedParamsB: 141,
    publishedActiveParamsB: 39,
    aliases: ["mistral-community/Mixtral-8x22B-v0.1", "mistralai/Mixtral-8x22B-v0.1"],
    source: {
      title:
        "Cheaper, Better, Faster, Stronger (Mistral AI, Mixtral 8x22B: 141B total, 39B active); Mixtral-8x22B-v0.1 config.json",
      url: "https://mistral.ai/news/mixtral-8x22b",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "deepseek-v3",
    model: {
      name: "DeepSeek-V3",
      layers: 61,
      hidden: 7168,
      ffnHidden: 18432,
      heads: 128,
      kvHeads: 128,
      vocab: 129280,
      seqLen: 4096,
      gatedMlp: true,
      moe: {
        experts: 256,
        topK: 8,
        expertFfnHidden: 2048,
        sharedExperts: 1,
        denseLayers: 3,
        routingGroups: 8,
        topKGroups: 4,
      },
      mla: { qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
      mtpLayers: 1,
      notes:
        "MLA attention; first 3 layers dense; 1 MTP module (D=1); pretrained at 4K context then extended to 128K",
    },
    publishedParamsB: 671,
    publishedActiveParamsB: 37,
    publishedConvention: { totalExcludesMtp: true },
    aliases: ["deepseek-ai/DeepSeek-V3", "deepseek-v3-base"],
    source: {
      title:
        "DeepSeek-V3 Technical Report (2024), §2 and §4.2 (671B total, 37B active; +14B MTP in the checkpoint); deepseek-ai/DeepSeek-V3 config.json",
      url: "https://arxiv.org/abs/2412.19437",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "qwen3-30b-a3b",
    model: {
      name: "Qwen3-30B-A3B",
      layers: 48,
      hidden: 2048,
      ffnHidden: null,
      heads: 32,
      kvHeads: 4,
      headDim: 128,
      vocab: 151936,
      seqLen: 4096,
      gatedMlp: true,
      moe: { experts: 128, topK: 8, expertFfnHidden: 768 },
      notes:
        "head_dim 128 (heads x headDim != hidden); QK-norm; general pretraining stages at 4096 tokens, long-context stage at 32768",
    },
    publishedParamsB: 30.5,
    publishedActiveParamsB: 3.3,
    aliases: ["Qwen/Qwen3-30B-A3B", "qwen3-30b"],
    source: {
      title:
        "Qwen/Qwen3-30B-A3B config.json and model card (30.5B total, 3.3B activated); Qwen3 Technical Report §3",
      url: "https://huggingface.co/Qwen/Qwen3-30B-A3B/blob/main/config.json",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "qwen3-235b-a22b",
    model: {
      name: "Qwen3-235B-A22B",
      layers: 94,
      hidden: 4096,
      ffnHidden: null,
      heads: 64,
      kvHeads: 4,
      headDim: 128,
      vocab: 151936,
      seqLen: 4096,
      gatedMlp: true,
      moe: { experts: 128, topK: 8, expertFfnHidden: 1536 },
      notes: "head_dim 128; QK-norm; general pretraining stages at 4096 tokens, long-context stage at 32768",
    },
    publishedParamsB: 235,
    publishedActiveParamsB: 22,
    aliases: ["Qwen/Qwen3-235B-A22B", "qwen3-235b"],
    source: {
      title:
        "Qwen/Qwen3-235B-A22B config.json and model card (235B total, 22B activated); Qwen3 Technical Report §3",
      url: "https://huggingface.co/Qwen/Qwen3-235B-A22B/blob/main/config.json",
      dateSeen: SEEN,
    },
  }),
  preset({
    id: "gpt-oss-120b",
    model: {
      name: "gpt-oss-120b",
      layers: 36,
      hidden: 2880,
      ffnHidden: null,
      heads: 64,
      kvHeads: 8,
      headDim: 64,
      vocab: 201088,
      seqLen: 4096,
      gatedMlp: true,
      moe: { experts: 128, topK: 4, expertFfnHidden: 2880 },
      slidingWindow: { tokens: 128, layers: "alternate" },
      notes:
        "attention alternates full and 128-token sliding-window layers (config.json layer_types, sliding_window 128); attention sinks; biases on projections and experts (not counted, ~0.04B); seqLen 4096 is a training default we chose (pretraining context not published)",
    },
    publishedParamsB: 116.83,
    publishedActiveParamsB: 5.13,
    publishedConvention: { activeExcludesEmbedding: true },
    aliases: ["openai/gpt-oss-120b", "gptoss-120b"],
    source: {
      title:
        "gpt-oss-120b & gpt-oss-20b Model Card (OpenAI, 2025), Table 1 (116.83B total, 5.13B active); openai/gpt-oss-120b config.json",
      url: "https://arxiv.org/abs/2508.10925",
      dateSeen: SEEN,
    },
  }),
];

/** Lower-case and drop everything but letters and digits: "Llama 3 70B" and "llama-3-70b" meet. */
function normalize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The repository part of a Hugging Face id: "Mixtral-8x7B-v0.1" of "mistralai/Mixtral-8x7B-v0.1". */
function repositoryName(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}

function presetKeys(p: ModelPreset): string[] {
  const aliases = p.aliases ?? [];
  return [p.id, p.model.name, ...aliases, ...aliases.map(repositoryName)].map(normalize);
}

/**
 * The preset whose id, name or alias matches, ignoring case and punctuation; undefined if none.
 * A Hugging Face id also matches by its repository name ("meta-llama/Llama-3.1-70B" as "llama-3.1-70b").
 */
export function findModelPreset(idOrName: string): ModelPreset | undefined {
  const keys = [idOrName, repositoryName(idOrName)].map(normalize);
  for (const key of keys) {
    if (key === "") continue;
    const found = modelPresets.find((p) => presetKeys(p).includes(key));
    if (found) return found;
  }
  return undefined;
}

export function modelPresetIds(): string[] {
  return modelPresets.map((p) => p.id);
}

/** The Hugging Face ids the presets answer to (aliases of the form org/name). */
export function modelPresetHuggingFaceIds(): string[] {
  return modelPresets.flatMap((p) => (p.aliases ?? []).filter((a) => a.includes("/")));
}

/** Nearest preset names for a name that matched none: Hugging Face ids for an org/name, else preset ids. */
export function suggestModelPresets(input: string): string[] {
  if (!input.includes("/")) return suggest(input, modelPresetIds());
  const byId = suggest(input, modelPresetHuggingFaceIds());
  return byId.length > 0 ? byId : suggest(repositoryName(input), modelPresetIds());
}
