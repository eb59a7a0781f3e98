/**
 * How a plan's pp x vpp pipeline chunks share the layers, as Megatron-LM can state it (core_v0.14.0,
 * megatron/training/arguments.py): an even split, an even split once the embedding and the loss
 * each count as a layer (--account-for-embedding-in-pipeline-split / --account-for-loss-in-pipeline-split,
 * how the engine balances such a plan: engine/pipelineImbalance.ts), or an uneven one, where some
 * chunks hold one layer more (the engine times the heaviest chunk).
 */
export type PipelineSplit =
  | { kind: "even"; layersPerChunk: number }
  | { kind: "embeddingAndLoss" }
  | { kind: "uneven"; layersPerChunk: number[] };

export function pipelineSplit(layers: number, pp: number, vpp: number): PipelineSplit {
  const chunks = pp * vpp;
  if (layers % chunks === 0) return { kind: "even", layersPerChunk: layers / chunks };
  if ((layers + 2) % chunks === 0) return { kind: "embeddingAndLoss" };
  const small = Math.floor(layers / chunks);
  const heavier = layers - small * chunks;
  return {
    kind: "uneven",
    layersPerChunk: Array.from({ length: chunks }, (_, i) => small + (i < heavier ? 1 : 0)),
  };
}

/**
 * Megatron-LM's --pipeline-model-parallel-layout string for an uneven split: one segment per virtual
 * stage separated by "|", "t" a transformer layer, "E" the embedding on the first, "L" the loss on
 * the last (megatron/core/transformer/pipeline_parallel_layer_layout.py; e.g. "Ettt|ttt|ttL").
 */
export function megatronLayout(layersPerChunk: readonly number[]): string {
  return layersPerChunk
    .map((n, i) => `${i === 0 ? "E" : ""}${"t".repeat(n)}${i === layersPerChunk.length - 1 ? "L" : ""}`)
    .join("|");
}
