import type { GemmOp } from "./operators.js";
import { GROUP_ROUTED_EXPERT, SPLIT_COLUMN } from "./operators.js";
import type { Model } from "./schema.js";
import { attentionWidths } from "./shape.js";

/**
 * torchtitan's per-operator selective activation checkpointing (`[activation_checkpoint] mode =
 * "selective"`, `selective_ac_option = "op"`) on one layer's operators, per token. Read at torchtitan
 * v0.2.2 (73a0e69): torchtitan/distributed/activation_checkpoint.py `_apply_op_sac` and the save list
 * `_op_sac_save_list` of torchtitan/models/{llama3,qwen3,deepseek_v3}/infra/parallelize.py:
 *
 * - The outputs of `aten.mm`, SDPA (flash, efficient, cuDNN), `reduce_scatter_tensor` and (MoE models)
 *   `all_to_all_single` are saved; every other op is recomputed in the backward pass.
 * - "Saves output of all compute ops, except every second mm": within one transformer block the
 *   1st, 3rd, 5th... `aten.mm` is saved and the 2nd, 4th... recomputed (the count restarts per block).
 * - The router's gate is force-recomputed and not counted (per_op_sac_force_recompute_mm_shapes_by_fqns
 *   = ["moe.router.gate"]); routed experts run `torch._grouped_mm`, which is not in the save list, so
 *   they are recomputed.
 *
 * torchtitan's modules call separate linears where trainplan's operator table fuses them: q, k and v
 * (wq, wk, wv) inside the fused qkv GEMM, the gate and up projections (w1, w3) inside a gated MLP's
 * up GEMM; the walk below splits them back, in the order the modules call them
 * (models/llama3/model/model.py Attention.forward, FeedForward.forward: w2(silu(w1(x)) · w3(x))).
 */
export interface OpCheckpointTable {
  /** Per GEMM of the layer (same order as `gemms`): the share of its forward the policy recomputes. */
  recomputedShare: number[];
  /** Saved per token, bytes: split by tp under sequence parallelism (the block's input)... */
  savedSeqBytes: number;
  /** ...always split by tp (column-parallel matmul outputs, the attention output and its log-sum-exp)... */
  savedTpBytes: number;
  /** ...and whole on every tp rank (row-parallel and replicated matmul outputs, before their reduction). */
  savedFullBytes: number;
  /** The two reduce-scatter outputs of the tensor-parallel blocks (tp > 1 with sequence parallelism). */
  savedReduceScatterBytes: number;
  /** The all-to-all outputs, dispatched and combined copies, per routed token (MoE layers with ep > 1). */
  savedDispatchBytes: number;
}

const BF16 = 2;
const FP32 = 4;

/** The output widths of the torchtitan linears one GEMM of the table stands for, or null if uncounted. */
function linearsOf(m: Model, g: GemmOp): number[] | null {
  if (g.group === GROUP_ROUTED_EXPERT || g.name === "router") return null;
  if (g.name === "qkv") {
    const w = attentionWidths(m);
    const kv = w.kvHeads * w.qkHeadDim;
    return [w.heads * w.qkHeadDim, kv, kv];
  }
  const gatedUp = m.gatedMlp && (g.name === "mlp_up" || g.name === "shared_up");
  return gatedUp ? [g.n / 2, g.n / 2] : [g.n];
}

/** The policy's table for one layer whose GEMMs are `gemms` (in the order the layer calls them). */
export function opCheckpointTable(m: Model, gemms: readonly GemmOp[], moe: boolean): OpCheckpointTable {
  const w = attentionWidths(m);
  const recomputedShare: number[] = [];
  let savedTpBytes = BF16 * w.outputWidth + FP32 * w.heads;
  let savedFullBytes = 0;
  let mm = 0;
  for (const g of gemms) {
    const linears = linearsOf(m, g);
    if (!linears) {
      recomputedShare.push(1);
      continue;
    }
    let recomputed = 0;
    for (const width of linears) {
      mm++;
      if (mm % 2 === 0) {
        recomputed += width;
        continue;
      }
      if (g.split === SPLIT_COLUMN) savedTpBytes += BF16 * width;
      else savedFullBytes += BF16 * width;
    }
    recomputedShare.push(recomputed / g.n);
  }
  const h = m.hidden;
  return {
    recomputedShare,
    savedSeqBytes: BF16 * h,
    savedTpBytes,
    savedFullBytes,
    savedReduceScatterBytes: BF16 * 2 * h,
    savedDispatchBytes: moe && m.moe ? BF16 * 2 * m.moe.topK * h : 0,
  };
}
