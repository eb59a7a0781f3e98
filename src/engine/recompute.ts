import type { WorkloadOperators } from "../workload/operators.js";
import {
  isModulesCode,
  MODULE_LAYERNORM,
  MODULE_MLA_UP_PROJ,
  MODULE_MOE_ACT,
  RECOMPUTE_FORM_BLOCK,
  RECOMPUTE_FORM_EVERY,
  RECOMPUTE_FULL,
  RECOMPUTE_MODULES_FROM,
  RECOMPUTE_SELECTIVE,
  recomputeForm,
  recomputeLayerCount,
  recomputeModuleMask,
} from "./codes.js";

/**
 * What a plan's recomputation (src/plan/schema.ts RECOMPUTE) does on the most loaded pipeline stage,
 * in the terms memory.ts and step.ts charge: the policy a recomputed layer follows, the share of the
 * stage's layers that follow it (the others keep everything), the layer inputs kept, and how many layers
 * one recomputation rebuilds at once. A fixed word applies its policy to every layer; a layer form
 * (`full-<form>-N`) is full recomputation on part of the layers, or in units of N layers; a modules
 * word is selective recomputation of its modules:
 *
 * - every N (torchtitan `_apply_layer_sac`, v0.2.2: a block is wrapped when its running count on the
 *   rank is a multiple of N): floor(k / N) of the stage's k layers.
 * - block N (Megatron-Core transformer_block.py `_checkpointed_forward`, core_v0.14.0: the first N
 *   layers of each TransformerBlock, i.e. of each of the rank's vpp model chunks): min(k, N·vpp).
 * - uniform N (the same function: the chunk's layers in units of N, each checkpointed at its input):
 *   every layer recomputed, vpp·ceil(k / (vpp·N)) inputs kept, N layers rebuilt at once.
 */
export interface StageRecompute {
  /** RECOMPUTE_NONE, _SELECTIVE (with `modules`), _FULL, _OFFLOAD or _SELECTIVE_OP. */
  policy: number;
  /** Under RECOMPUTE_SELECTIVE, the mask of Megatron's recompute modules (codes.ts MODULE_*). */
  modules: number;
  /** Share of the stage's layers that follow the policy. */
  share: number;
  /** Under full recomputation: layer inputs kept, per layer of the stage. */
  checkpoints: number;
  /** Layers one backward recomputation rebuilds at once. */
  rebuilt: number;
}

/**
 * The recompute modules word a tuned Megatron run of this model would reach for before recomputing
 * more (NVIDIA's Megatron-Bridge recipes, scripts/performance/configs at r0.2.0: gpt-oss
 * ["layernorm", "moe_act"], DeepSeek-V3 ["mla_up_proj"] or ["moe_act"]): the output-discarding
 * modules that act on it (layernorm where a norm is a module of its own, moe_act with routed experts,
 * mla_up_proj with multi-latent attention), as a code; -1 when none acts (a dense model without MLA).
 */
export function modulesCandidateCode(ops: WorkloadOperators): number {
  const moe = ops.moe !== null && ops.moeLayers > 0;
  const mla = Boolean(ops.model.mla);
  if (!moe && !mla) return -1;
  const mask = MODULE_LAYERNORM | (moe ? MODULE_MOE_ACT : 0) | (mla ? MODULE_MLA_UP_PROJ : 0);
  return RECOMPUTE_MODULES_FROM + mask;
}

const scratch: StageRecompute = { policy: 0, modules: 0, share: 1, checkpoints: 1, rebuilt: 1 };

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
  into.modules = recomputeModuleMask(code);
  if (form < 0) {
    // A modules word is selective recomputation of its modules ("selective" is core_attn alone).
    into.policy = isModulesCode(code) ? RECOMPUTE_SELECTIVE : code;
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
