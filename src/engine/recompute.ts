import {
  RECOMPUTE_FORM_BLOCK,
  RECOMPUTE_FORM_EVERY,
  RECOMPUTE_FULL,
  recomputeForm,
  recomputeLayerCount,
} from "./codes.js";

/**
 * What a plan's recomputation (src/plan/schema.ts RECOMPUTE) does on the most loaded pipeline stage,
 * in the terms memory.ts and step.ts charge: the policy a recomputed layer follows, the share of the
 * stage's layers that follow it (the others keep everything), the layer inputs kept, and how many layers
 * one recomputation rebuilds at once. A fixed word applies its policy to every layer; a layer form
 * (`full-<form>-N`) is full recomputation on part of the layers, or in units of N layers:
 *
 * - every N (torchtitan `_apply_layer_sac`, v0.2.2: a block is wrapped when its running count on the
 *   rank is a multiple of N): floor(k / N) of the stage's k layers.
 * - block N (Megatron-Core transformer_block.py `_checkpointed_forward`, core_v0.14.0: the first N
 *   layers of each TransformerBlock, i.e. of each of the rank's vpp model chunks): min(k, N·vpp).
 * - uniform N (the same function: the chunk's layers in units of N, each checkpointed at its input):
 *   every layer recomputed, vpp·ceil(k / (vpp·N)) inputs kept, N layers rebuilt at once.
 */
export interface StageRecompute {
  /** RECOMPUTE_NONE, _SELECTIVE, _FULL, _OFFLOAD or _SELECTIVE_OP. */
  policy: number;
  /** Share of the stage's layers that follow the policy. */
  share: number;
  /** Under full recomputation: layer inputs kept, per layer of the stage. */
  checkpoints: number;
  /** Layers one backward recomputation rebuilds at once. */
  rebuilt: number;
}

const scratch: StageRecompute = { policy: 0, share: 1, checkpoints: 1, rebuilt: 1 };

/** How `code` acts on a stage of `layers` layers in `vpp` chunks (into `into`, valid until the next call). */
export function stageRecompute(
  code: number,
  layers: number,
  vpp: number,
  into: StageRecompute = scratch,
): StageRecompute {
  const form = recomputeForm(code);
  into.share = 1;
  into.checkpoints = 1;
  into.rebuilt = 1;
  if (form < 0) {
    into.policy = code;
    return into;
  }
  into.policy = RECOMPUTE_FULL;
  const n = recomputeLayerCount(code);
  if (layers <= 0) return into;
  if (form === RECOMPUTE_FORM_EVERY || form === RECOMPUTE_FORM_BLOCK) {
    const recomputed = form === RECOMPUTE_FORM_EVERY ? Math.floor(layers / n) : Math.min(layers, n * vpp);
    into.share = recomputed / layers;
    into.checkpoints = into.share;
    return into;
  }
  const chunk = Math.ceil(layers / vpp);
  into.checkpoints = Math.min(1, (vpp * Math.ceil(chunk / n)) / layers);
  into.rebuilt = Math.min(n, chunk);
  return into;
}
