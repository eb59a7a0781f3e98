import { InputError } from "../errors.js";
import { isRecompute, type Recompute, recomputeLayersOf } from "../plan/schema.js";

/**
 * A recomputation in Megatron-Core's terms (megatron/core/transformer/transformer_config.py at
 * core_v0.14.0: recompute_granularity {selective, full}, recompute_method {uniform, block},
 * recompute_num_layers), shared by the Megatron-LM flags, the Megatron-Bridge overrides and the
 * reading back of a Megatron-LM line. "selective" is the attention core (recompute_modules defaults to
 * ["core_attn"]); full recomputation is "uniform" in units of N layers or "block" on the first N layers
 * of each chunk.
 */
export interface MegatronRecompute {
  granularity: "selective" | "full" | null;
  method: "uniform" | "block" | null;
  layers: number | null;
}

/** Megatron's settings for a recomputation, or why Megatron cannot say it. */
export function megatronRecompute(r: Recompute): MegatronRecompute | string {
  if (r === "none") return { granularity: null, method: null, layers: null };
  if (r === "selective") return { granularity: "selective", method: null, layers: null };
  if (r === "full") return { granularity: "full", method: "uniform", layers: 1 };
  if (r === "selective-op") {
    return "torchtitan's per-operator checkpointing (selective-op): Megatron's selective recomputation checkpoints modules (--recompute-modules, default core_attn), not every second matmul";
  }
  const l = recomputeLayersOf(r);
  if (l?.form === "block" || l?.form === "uniform") {
    return { granularity: "full", method: l.form, layers: l.layers };
  }
  if (l?.form === "every") {
    return `full recomputation of every ${l.layers}th layer (torchtitan's layer-level checkpointing): Megatron recomputes the first N layers of each chunk (--recompute-method block), not every N-th`;
  }
  return `${r}: not a Megatron recomputation`;
}

/** The recomputation of Megatron flags read back (granularity, method, layer count as given). */
export function recomputeFromMegatron(
  granularity: string | null | undefined,
  method: string | null | undefined,
  layers: string | null | undefined,
): Recompute {
  if (granularity === undefined) return "none";
  if (granularity === "selective") return "selective";
  if (granularity !== "full") {
    throw new InputError({
      field: "--recompute-granularity",
      value: granularity,
      allowed: "full or selective",
    });
  }
  const form = method ?? "uniform";
  if (form !== "uniform" && form !== "block") {
    throw new InputError({ field: "--recompute-method", value: method, allowed: "uniform or block" });
  }
  const n = layers == null ? 1 : Number(layers);
  if (form === "uniform" && n === 1) return "full";
  const word = `full-${form}-${n}`;
  if (!isRecompute(word)) {
    throw new InputError({
      field: "--recompute-num-layers",
      value: layers,
      allowed: "a whole number of layers, at least 1",
    });
  }
  return word;
}
