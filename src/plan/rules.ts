/**
 * The rules a plan must keep that its sizes alone do not say, in one place: the plan search only
 * enumerates plans that keep them (search/layouts.ts, search/layoutSearch.ts), and simulate refuses
 * one that breaks them (engine/inputChecks.ts), so the two cannot disagree on what is a valid plan.
 */

/**
 * Context parallelism with load balancing splits each sequence into 2·cp chunks, each rank taking one
 * from the front and one from the back (Megatron-Core's causal load balancing), so 2·cp must divide it.
 */
export function cpSplitsSequence(seqLen: number, cp: number): boolean {
  return cp === 1 || seqLen % (2 * cp) === 0;
}

/**
 * Interleaved 1F1B (vpp > 1) runs the micro-batches in rounds of pp: Megatron-LM asserts that their
 * number is a multiple of pp.
 */
export function interleavingFillsRounds(microBatches: number, pp: number, vpp: number): boolean {
  return vpp === 1 || microBatches % pp === 0;
}

/** Every data-parallel rank takes whole micro-batches: dp x microBatch must divide the global batch. */
export function batchSplits(globalBatch: number, dp: number, microBatch: number): boolean {
  return globalBatch % (dp * microBatch) === 0;
}

/**
 * Every pipeline chunk holds a layer, or, with the embedding and the loss each counted as a layer
 * (Megatron-LM --account-for-embedding/loss-in-pipeline-split), one of layers + 2 slots: 126 layers on
 * 16 stages of 8 virtual chunks each puts the embedding and the loss in chunks of their own (the
 * interleaved layout of the Llama 3 405B run, Dubey et al. 2024, section 3.3.2).
 */
export function pipelineChunksFit(layers: number, pp: number, vpp: number): boolean {
  const chunks = pp * vpp;
  return chunks <= layers || chunks === layers + 2;
}

/** What pipelineChunksFit allows, in words, for a refusal. */
export function pipelineChunksAllowed(layers: number): string {
  return `at most ${layers} chunks in pp x vpp, one layer each, or ${layers + 2} with the embedding and the loss in chunks of their own`;
}
