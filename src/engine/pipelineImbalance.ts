/**
 * How much longer the heaviest pipeline chunk is than the average one: with `pp x vpp` chunks that do
 * not divide the layers, some chunks hold one layer more, and every stage waits for them in steady
 * state. When the layers plus the embedding and loss (each a layer's slot, Megatron-LM
 * --account-for-embedding/loss-in-pipeline-split) divide evenly, the split is balanced.
 */
export function pipelineImbalance(layers: number, pp: number, vpp: number): number {
  const chunks = pp * vpp;
  if (chunks <= 1 || layers % chunks === 0 || (layers + 2) % chunks === 0) return 1;
  return (Math.ceil(layers / chunks) * chunks) / layers;
}
