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
