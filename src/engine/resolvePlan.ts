import type { Chip } from "../hardware/schema.js";
import { derivedDp } from "../plan/derivedDp.js";
import type { Parallelism, Precision, Recompute, ZeroStage } from "../plan/schema.js";
import type { Prepared } from "./prepare.js";
import { planMemory } from "./result.js";
import { OUT_SIZE } from "./slots.js";

/** A plan as a case or a user gives it: null fields were not published and are filled here. */
export interface PartialPlan {
  tp: number;
  pp: number;
  vpp?: number;
  dp?: number | null;
  cp?: number;
  ep?: number;
  sequenceParallel?: boolean | null;
  zero?: ZeroStage | null;
  recompute?: Recompute | null;
}

export interface PlanQuestion {
  chip: Chip;
  precision: Precision;
  parallelism: PartialPlan;
  globalBatch: number;
  microBatch?: number | null;
}

/**
 * Fills a partial plan with what such a run most likely used, each choice pushed to `assumptions`:
 * dp from the ranks, sequence parallelism with tp (NVIDIA's recipes), ZeRO-1 with dp, micro-batch 1,
 * and the lightest recomputation that fits.
 */
export function resolvePlan(
  q: PlanQuestion,
  ranks: number,
  prep: Prepared,
  assumptions: string[],
): Parallelism {
  const p = q.parallelism;
  const tp = p.tp;
  const pp = p.pp;
  const cp = p.cp ?? 1;
  const ep = p.ep ?? 1;
  const vpp = p.vpp ?? 1;
  const dp = p.dp ?? derivedDp(ranks, tp, pp, cp);
  if (p.dp == null) assumptions.push(`dp = ${dp} (ranks / (tp x pp x cp))`);
  const software = prep.software;
  let sequenceParallel = p.sequenceParallel ?? (tp > 1 && software.sequenceParallelWithTp);
  if (p.sequenceParallel == null && tp > 1) {
    const why = software.reasons.sequenceParallelWithTp ?? `${software.framework} software setting`;
    assumptions.push(`sequence parallelism ${sequenceParallel ? "on" : "off"} (${why})`);
  }
  if (tp === 1) sequenceParallel = false;
  const zero: ZeroStage = p.zero ?? (dp > 1 ? "zero1" : "zero0");
  if (p.zero == null && dp > 1) {
    assumptions.push("ZeRO-1 (distributed optimizer: optimizer states sharded over data parallel ranks)");
  }
  let microBatch = q.microBatch ?? 1;
  if (q.microBatch == null) assumptions.push("micro-batch = 1 sequence (not published)");
  if (q.globalBatch % (dp * microBatch) !== 0) {
    assumptions.push(
      `micro-batch ${microBatch} does not divide the per-rank batch ${q.globalBatch}/${dp}; using 1`,
    );
    microBatch = 1;
  }
  const plan: Parallelism = {
    tp,
    pp,
    vpp,
    dp,
    cp,
    ep,
    microBatch,
    recompute: p.recompute ?? "none",
    zero,
    sequenceParallel,
    precision: q.precision === "fp16" ? "bf16" : q.precision,
  };
  assumptions.push(...precisionNotes(q.chip, q.precision));
  if (p.recompute == null) {
    plan.recompute = lightestRecomputeThatFits(prep, plan, q.globalBatch);
    assumptions.push(`activation recomputation: ${plan.recompute} (the lightest that fits; not published)`);
  }
  return plan;
}

/** What a plan's precision assumes on this chip: fp16 and, on a chip without an fp8 path, fp8 run at the bf16 rate. */
export function precisionNotes(chip: Chip, precision: Precision): string[] {
  if (precision === "fp16") return ["fp16 runs at the bf16 tensor rate"];
  if (precision === "fp8" && chip.peakTflops.fp8 == null) {
    return [`${chip.id} has no fp8 tensor path: fp8 runs at the bf16 rate`];
  }
  return [];
}

/**
 * The lightest recomputation that fits is what a tuned run would use. Offloading, where the chip has
 * a coherent host link (Grace), comes before full recomputation: NVIDIA's GB200 recipes offload
 * (Megatron-Bridge llama3 70B: cpu_offloading_num_layers 20-40). Full when nothing fits.
 */
function lightestRecomputeThatFits(prep: Prepared, plan: Parallelism, globalBatch: number): Recompute {
  const out = new Float64Array(OUT_SIZE);
  const order: readonly Recompute[] =
    prep.hw.hostLinkBytesPerSecond > 0
      ? ["none", "selective", "offload", "full"]
      : ["none", "selective", "full"];
  for (const r of order) {
    if (planMemory(prep, { ...plan, recompute: r }, globalBatch, out) <= prep.hw.hbmBytes) return r;
  }
  return order[order.length - 1];
}
