import { InputError } from "../errors.js";
import {
  canonicalRecompute,
  isRecompute,
  RECOMPUTE_MODULES,
  RECOMPUTE_MODULES_NOT_MODELLED,
  type Recompute,
  type RecomputeModule,
  recomputeLayersOf,
  recomputeModulesOf,
  recomputeModulesWord,
} from "../plan/schema.js";

/**
 * A recomputation in Megatron-Core's terms (megatron/core/transformer/transformer_config.py at
 * core_v0.14.0: recompute_granularity {selective, full}, recompute_method {uniform, block},
 * recompute_num_layers), shared by the Megatron-LM flags, the Megatron-Bridge overrides and the
 * reading back of a Megatron-LM line. "selective" is the attention core (recompute_modules defaults to
 * ["core_attn"]); a modules word is selective with its recompute_modules; full recomputation is
 * "uniform" in units of N layers or "block" on the first N layers of each chunk.
 */
export interface MegatronRecompute {
  granularity: "selective" | "full" | null;
  method: "uniform" | "block" | null;
  layers: number | null;
  /** recompute_modules, when not Megatron's default ["core_attn"]. */
  modules: RecomputeModule[] | null;
}

/**
 * Whether fp8 under this recomputation needs a scaling recipe other than delayed: Megatron refuses
 * layernorm and moe_act recompute with delayed scaling, whose discarded outputs need the consumer to
 * keep its original input (transformer_config.py __post_init__, core_v0.14.0).
 */
export function needsCurrentScaling(r: Recompute): boolean {
  const modules = recomputeModulesOf(r);
  return modules !== null && (modules.includes("layernorm") || modules.includes("moe_act"));
}

/** Megatron's settings for a recomputation, or why Megatron cannot say it. */
export function megatronRecompute(r: Recompute): MegatronRecompute | string {
  if (r === "none") return { granularity: null, method: null, layers: null, modules: null };
  if (r === "selective") return { granularity: "selective", method: null, layers: null, modules: null };
  if (r === "full") return { granularity: "full", method: "uniform", layers: 1, modules: null };
  const modules = recomputeModulesOf(r);
  if (modules) return { granularity: "selective", method: null, layers: null, modules };
  if (r === "selective-op") {
    return "torchtitan's per-operator checkpointing (selective-op): Megatron's selective recomputation checkpoints modules (--recompute-modules, default core_attn), not every second matmul";
  }
  const l = recomputeLayersOf(r);
  if (l?.form === "block" || l?.form === "uniform") {
    return { granularity: "full", method: l.form, layers: l.layers, modules: null };
  }
  if (l?.form === "every") {
    return `full recomputation of one layer in ${l.layers} (torchtitan's layer-level checkpointing): Megatron recomputes the first N layers of each chunk (--recompute-method block), not every N-th`;
  }
  return `${r}: not a Megatron recomputation`;
}

/**
 * The recomputation of Megatron flags read back (granularity, method, layer count, and the
 * space-separated recompute modules, as given).
 */
export function recomputeFromMegatron(
  granularity: string | null | undefined,
  method: string | null | undefined,
  layers: string | null | undefined,
  modules?: string | null,
): Recompute {
  if (granularity === undefined) return "none";
  if (granularity === "selective") return selectiveFromMegatron(modules);
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

/** Selective recomputation with --recompute-modules as given (none given: Megatron's default, core_attn). */
function selectiveFromMegatron(modules: string | null | undefined): Recompute {
  if (modules === undefined) return "selective";
  // Megatron tests each module by membership, so a repeated name is the same list.
  const names = [...new Set((modules ?? "").split(/\s+/).filter(Boolean))];
  // An empty list turns every module off (each checks for its own name): nothing is recomputed.
  if (names.length === 0) return "none";
  const known = recomputeModulesOf(`modules-${names.join("+")}`);
  if (!known) {
    throw new InputError({
      field: "--recompute-modules",
      value: modules,
      allowed: `space-separated names among ${RECOMPUTE_MODULES.join(", ")} (${RECOMPUTE_MODULES_NOT_MODELLED.join(" and ")} are not modelled)`,
    });
  }
  return canonicalRecompute(recomputeModulesWord(known));
}
