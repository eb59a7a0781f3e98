import type { PartialPlan } from "../engine/resolvePlan.js";
import { InputError } from "../errors.js";
import {
  canonicalRecompute,
  isRecompute,
  type Parallelism,
  type Precision,
  type Recompute,
  type RecomputeWord,
  recomputeLayersOf,
  recomputeModulesOf,
  recomputeModulesWord,
  ZERO_STAGES,
  type ZeroStage,
} from "../plan/schema.js";

/**
 * The one name of a plan, used by the CLI, the web app, the docs and the plan-quality table: the
 * parallel sizes (vpp, cp and ep only when above 1), micro-batch, recomputation, ZeRO stage, `sp`
 * with sequence parallelism, precision. E.g. `tp4 pp8 vpp5 dp2 mb1 selective-recompute zero1 sp fp8`.
 */
export function planLabel(p: Parallelism): string {
  const parts = [`tp${p.tp}`, `pp${p.pp}`];
  if (p.vpp > 1) parts.push(`vpp${p.vpp}`);
  parts.push(`dp${p.dp}`);
  if (p.cp > 1) parts.push(`cp${p.cp}`);
  if (p.ep > 1) parts.push(`ep${p.ep}`);
  parts.push(`mb${p.microBatch}`, recomputeLabelWord(p.recompute), p.zero);
  if (p.sequenceParallel) parts.push("sp");
  parts.push(p.precision);
  return parts.join(" ");
}

const RECOMPUTE_WORDS: Record<RecomputeWord, string> = {
  none: "no-recompute",
  selective: "selective-recompute",
  full: "full-recompute",
  offload: "offload-activations",
  "selective-op": "op-selective-recompute",
};

/** A layer form in a label: "full-block-4" reads "full-recompute-block-4". */
const LABEL_LAYER_FORM = /^full-recompute-(every|block|uniform)-(\d+)$/;

/** A modules word in a label: "modules-layernorm+moe_act" reads "modules-recompute-layernorm+moe_act". */
const LABEL_MODULES = "modules-recompute-";

function recomputeLabelWord(r: Recompute): string {
  const layers = recomputeLayersOf(r);
  if (layers) return `full-recompute-${layers.form}-${layers.layers}`;
  const modules = recomputeModulesOf(r);
  if (modules) return `${LABEL_MODULES}${recomputeModulesWord(modules).slice("modules-".length)}`;
  return RECOMPUTE_WORDS[r as RecomputeWord];
}

/** The recomputation a label word names, or undefined when it names none. */
function recomputeOfLabelWord(word: string): Recompute | undefined {
  const fixed = RECOMPUTE_BY_WORD.get(word);
  if (fixed) return fixed;
  if (word.startsWith(LABEL_MODULES)) {
    const modules = recomputeModulesOf(`modules-${word.slice(LABEL_MODULES.length)}`);
    return modules ? canonicalRecompute(recomputeModulesWord(modules)) : undefined;
  }
  const m = LABEL_LAYER_FORM.exec(word);
  const r = m ? `full-${m[1]}-${m[2]}` : null;
  return r !== null && isRecompute(r) ? r : undefined;
}

/** A layout as a user types it in the plan label's words; fields left out are filled by the engine, as simulate does. */
export interface TypedLayout {
  parallelism: PartialPlan;
  microBatch: number | null;
  precision: Precision | null;
}

const SIZE_WORD = /^(tp|pp|vpp|dp|cp|ep|mb)(\d+)$/;
const RECOMPUTE_BY_WORD = new Map(Object.entries(RECOMPUTE_WORDS).map(([k, w]) => [w, k as Recompute]));

/**
 * The inverse of planLabel: "tp8 pp4 dp32 mb1 selective-recompute zero1 sp fp8" as a partial plan.
 * tp and pp are needed; an unknown or repeated word is one InputError naming it and what is allowed.
 */
export function parsePlanLabel(text: string, field = "layout"): TypedLayout {
  const sizes: Record<string, number> = {};
  const plan: PartialPlan = { tp: 0, pp: 0 };
  let microBatch: number | null = null;
  let precision: Precision | null = null;
  const allowed =
    "words of a plan label: tpN ppN (needed), vppN dpN cpN epN mbN, a recomputation (no-recompute, selective-recompute, op-selective-recompute, full-recompute, full-recompute-every-N, full-recompute-block-N, full-recompute-uniform-N, offload-activations, modules-recompute-<Megatron modules joined by +>), zero0..zero3, sp or no-sp, bf16 or fp8";
  const seen = new Set<string>();
  for (const word of text.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    const size = SIZE_WORD.exec(word);
    const recompute = recomputeOfLabelWord(word);
    const kind = size
      ? size[1]
      : recompute
        ? "recompute"
        : word.startsWith("zero")
          ? "zero"
          : word.endsWith("sp")
            ? "sp"
            : word;
    if (seen.has(kind))
      throw new InputError({ field, value: word, allowed: `each part once (${kind} is given twice)` });
    seen.add(kind);
    if (size && Number(size[2]) >= 1) sizes[size[1]] = Number(size[2]);
    else if (recompute) plan.recompute = recompute;
    else if ((ZERO_STAGES as readonly string[]).includes(word)) plan.zero = word as ZeroStage;
    else if (word === "sp" || word === "no-sp") plan.sequenceParallel = word === "sp";
    else if (word === "bf16" || word === "fp8") precision = word;
    else throw new InputError({ field, value: word, allowed });
  }
  if (sizes.tp === undefined || sizes.pp === undefined) {
    throw new InputError({ field, value: text, allowed: `a layout with tpN and ppN (${allowed})` });
  }
  plan.tp = sizes.tp;
  plan.pp = sizes.pp;
  if (sizes.vpp !== undefined) plan.vpp = sizes.vpp;
  if (sizes.dp !== undefined) plan.dp = sizes.dp;
  if (sizes.cp !== undefined) plan.cp = sizes.cp;
  if (sizes.ep !== undefined) plan.ep = sizes.ep;
  if (sizes.mb !== undefined) microBatch = sizes.mb;
  return { parallelism: plan, microBatch, precision };
}
