import { z } from "zod";
import { orDefault } from "../util/schema.js";

/** A figure's provenance: every hardware, price and preset figure carries one. */
export const SourceSchema = z.object({
  what: z.string().optional(),
  title: z.string(),
  url: z.string(),
  dateSeen: z.string().optional(),
  kind: z.string().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/**
 * Mixture-of-experts block; `denseLayers` leading layers use the dense MLP instead.
 * `routingGroups` / `topKGroups`: group-limited routing (DeepSeek-V2 §2.2.2 device-limited routing,
 * DeepSeek-V3 §2.1.2 node-limited routing; config.json `n_group` / `topk_group`): the experts split
 * into groups and each token's experts come from at most `topKGroups` of them, which bounds how many
 * nodes a token's copies reach under DeepEP/HybridEP dispatch (src/engine/layerCosts.ts).
 */
export const MoeSchema = z.strictObject({
  experts: positiveInt,
  topK: positiveInt,
  expertFfnHidden: positiveInt,
  sharedExperts: orDefault(nonNegativeInt, 0),
  denseLayers: orDefault(nonNegativeInt, 0),
  routingGroups: positiveInt.nullable().optional(),
  topKGroups: positiveInt.nullable().optional(),
});
export type Moe = z.infer<typeof MoeSchema>;

/** DeepSeek multi-head latent attention (DeepSeek-V2 paper, section 2.1). */
export const MlaSchema = z.strictObject({
  qLoraRank: nonNegativeInt,
  kvLoraRank: positiveInt,
  qkNopeHeadDim: positiveInt,
  qkRopeHeadDim: positiveInt,
  vHeadDim: positiveInt,
});
export type Mla = z.infer<typeof MlaSchema>;

/**
 * Sliding-window attention: the window in tokens, on every layer or on every other layer (gpt-oss
 * alternates 128-token windowed layers with full ones). Not a field of the validation format, whose
 * cases name it in `notes`; read from there when absent (slidingWindow.ts).
 */
export const SlidingWindowSchema = z.strictObject({
  tokens: positiveInt,
  layers: z.enum(["all", "alternate"]),
});
export type SlidingWindow = z.infer<typeof SlidingWindowSchema>;

/**
 * What the field types alone cannot say about a model's layers, refused here so that the counts
 * (workload/shape.ts) never meet a model they would have to reinterpret.
 */
function checkGeometry(m: z.infer<typeof ModelFields>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  // Without a stated head width the heads split the hidden size (shape.ts): it must divide evenly.
  if (m.headDim == null && m.hidden % m.heads !== 0) {
    issue(
      ["hidden"],
      `a multiple of heads (${m.heads}) when headDim is not given, so each head is hidden / heads wide; or set headDim`,
    );
  }
  if (m.kvHeads != null && !m.mla && m.heads % m.kvHeads !== 0) {
    issue(
      ["kvHeads"],
      `a divisor of heads (${m.heads}), so each key-value head serves a whole group of queries`,
    );
  }
  if (!m.moe) {
    if (m.ffnHidden == null) issue(["ffnHidden"], "the dense MLP width, required for a model without moe");
    return;
  }
  if (m.moe.topK > m.moe.experts) {
    issue(["moe", "topK"], `at most the number of experts (${m.moe.experts})`);
  }
  checkRoutingGroups(m.moe, issue);
  if (m.moe.denseLayers > m.layers) {
    issue(["moe", "denseLayers"], `at most the number of layers (${m.layers})`);
  }
  if (m.moe.denseLayers > 0 && m.ffnHidden == null) {
    issue(
      ["ffnHidden"],
      `the dense MLP width, required with moe.denseLayers ${m.moe.denseLayers} (or set denseLayers 0)`,
    );
  }
}

/** Groups must split the experts evenly, and a token cannot draw from more groups than exist. */
function checkRoutingGroups(moe: Moe, issue: (path: (string | number)[], message: string) => void): void {
  const groups = moe.routingGroups;
  if (groups != null && moe.experts % groups !== 0) {
    issue(["moe", "routingGroups"], `a divisor of the number of experts (${moe.experts})`);
  }
  if (moe.topKGroups != null) {
    if (groups == null) issue(["moe", "topKGroups"], "set together with moe.routingGroups");
    else if (moe.topKGroups > groups) issue(["moe", "topKGroups"], `at most moe.routingGroups (${groups})`);
  }
}

/**
 * A decoder-only transformer, in the field names of the validation case format
 * (data/validation/FORMAT.md). Nullable fields default as the format says.
 */
const ModelFields = z.strictObject({
  name: orDefault(z.string(), "custom"),
  paramsB: z.number().positive().nullable().optional(),
  layers: positiveInt,
  hidden: positiveInt,
  ffnHidden: positiveInt.nullable().optional(),
  heads: positiveInt,
  kvHeads: positiveInt.nullable().optional(),
  headDim: positiveInt.nullable().optional(),
  vocab: positiveInt,
  seqLen: positiveInt,
  gatedMlp: orDefault(z.boolean(), false),
  tiedEmbeddings: orDefault(z.boolean(), false),
  moe: MoeSchema.nullable().optional(),
  mla: MlaSchema.nullable().optional(),
  mtpLayers: orDefault(nonNegativeInt, 0),
  slidingWindow: SlidingWindowSchema.nullable().optional(),
  notes: z.string().nullable().optional(),
});
export const ModelSchema = ModelFields.superRefine(checkGeometry);
export type ModelInput = z.input<typeof ModelSchema>;
export type Model = z.infer<typeof ModelSchema>;
