import type { Parallelism } from "../plan/schema.js";

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
  parts.push(`mb${p.microBatch}`, RECOMPUTE_WORDS[p.recompute], p.zero);
  if (p.sequenceParallel) parts.push("sp");
  parts.push(p.precision);
  return parts.join(" ");
}

const RECOMPUTE_WORDS: Record<Parallelism["recompute"], string> = {
  none: "no-recompute",
  selective: "selective-recompute",
  full: "full-recompute",
  offload: "offload-activations",
};
