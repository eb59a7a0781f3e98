import { InputError } from "../errors.js";
import type { Chip } from "../hardware/schema.js";
import { derivedDp } from "../plan/derivedDp.js";
import type { Parallelism, Precision, Recompute, ZeroStage } from "../plan/schema.js";
import { DEFAULT_UNPUBLISHED_FILL, type UnpublishedFill } from "../plan/unpublishedFill.js";
import { FILLABLE_FIELDS, type FillableField, fastestFill } from "../search/fillUnpublished.js";
import { MAX_VPP, pipelineChunksRule } from "../search/layouts.js";
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
  /** How the unpublished fields are filled (default DEFAULT_UNPUBLISHED_FILL). */
  unpublishedFill?: UnpublishedFill;
}

/**
 * Fills a partial plan with what such a run most likely used, each choice pushed to `assumptions`.
 * dp follows from the ranks. The other unpublished fields are filled as `q.unpublishedFill` says: "rules" takes
 * sequence parallelism with tp (NVIDIA's recipes), ZeRO-1 with dp, micro-batch 1, interleaving off and
 * the lightest recomputation that fits; "search" takes the fastest plan that fits with every
 * published field fixed (src/search/fillUnpublished.ts), and the rules where none does.
 */
export function resolvePlan(
  q: PlanQuestion,
  ranks: number,
  prep: Prepared,
  assumptions: string[],
): Parallelism {
  const fill = q.unpublishedFill ?? DEFAULT_UNPUBLISHED_FILL;
  const p = q.parallelism;
  const dp = p.dp ?? derivedDp(ranks, p.tp, p.pp, p.cp ?? 1);
  if (p.dp == null) assumptions.push(`dp = ${dp} (ranks / (tp x pp x cp))`);
  const ruled: RuleNote[] = [];
  const plan = ruledPlan(q, dp, prep, ruled);
  const free = unpublishedFields(q, plan, prep);
  const searched = fill === "search" && free.size > 0 ? fastestFill(prep, plan, q.globalBatch, free) : null;
  if (searched === null) {
    if (fill === "search" && free.size > 0) {
      assumptions.push(
        "no plan with the published fields fixed fits or keeps the search's rules: the fixed rules fill the rest",
      );
    }
    assumptions.push(...ruled.map((n) => n.text));
    return plan;
  }
  assumptions.push(...ruled.filter((n) => n.field === null || !free.has(n.field)).map((n) => n.text));
  for (const field of FILLABLE_FIELDS) {
    if (free.has(field)) assumptions.push(`${searchedNote(field, searched)} (${SEARCHED})`);
  }
  return searched;
}

/** A rule's assumption and the field it filled (null: not a field the search may choose). */
interface RuleNote {
  field: FillableField | null;
  text: string;
}

const SEARCHED = "not published: the fastest plan that fits with the published fields fixed";

function searchedNote(field: FillableField, plan: Parallelism): string {
  switch (field) {
    case "vpp":
      return `virtual pipeline stages = ${plan.vpp}`;
    case "microBatch":
      return `micro-batch = ${plan.microBatch} sequence${plan.microBatch === 1 ? "" : "s"}`;
    case "recompute":
      return `activation recomputation: ${plan.recompute}`;
    case "zero":
      return `ZeRO stage: ${plan.zero}`;
    case "sequenceParallel":
      return `sequence parallelism ${plan.sequenceParallel ? "on" : "off"}`;
  }
}

/**
 * The fields the run left unsaid that a plan search may choose. Sequence parallelism only where the
 * stack runs it and the run's software block does not say (the stack's default is a fact about
 * the stack when it has none: Megatron-LM before 2022-05, DeepSpeed, FSDP1).
 */
function unpublishedFields(q: PlanQuestion, plan: Parallelism, prep: Prepared): Set<FillableField> {
  const p = q.parallelism;
  const free = new Set<FillableField>();
  if (p.vpp == null && plan.pp > 1 && prep.software.pipelineSchedule !== "1f1b") free.add("vpp");
  if (q.microBatch == null) free.add("microBatch");
  if (p.recompute == null) free.add("recompute");
  const software = prep.software;
  if (p.zero == null && plan.dp * plan.cp > 1 && software.distributedOptimizer) free.add("zero");
  const stackChooses = software.sequenceParallelWithTp && software.reasons.sequenceParallelWithTp != null;
  if (p.sequenceParallel == null && plan.tp > 1 && stackChooses) free.add("sequenceParallel");
  return free;
}

/** The plan by the fixed rules, each rule's choice pushed to `assumptions`. */
function ruledPlan(q: PlanQuestion, dp: number, prep: Prepared, notes: RuleNote[]): Parallelism {
  const p = q.parallelism;
  const tp = p.tp;
  const pp = p.pp;
  const cp = p.cp ?? 1;
  const ep = p.ep ?? 1;
  const vpp = scheduledVpp(p, prep, notes);
  const software = prep.software;
  let sequenceParallel = p.sequenceParallel ?? (tp > 1 && software.sequenceParallelWithTp);
  if (p.sequenceParallel == null && tp > 1) {
    const why = software.reasons.sequenceParallelWithTp ?? `${software.framework} software setting`;
    notes.push({
      field: "sequenceParallel",
      text: `sequence parallelism ${sequenceParallel ? "on" : "off"} (${why})`,
    });
  }
  if (tp === 1) sequenceParallel = false;
  const sharded = software.distributedOptimizer;
  const why = software.reasons.distributedOptimizer ?? "software.distributedOptimizer is false";
  if (!sharded && p.zero != null && p.zero !== "zero0") {
    throw new InputError({
      field: "parallelism.zero",
      value: p.zero,
      allowed: `"zero0" on this stack: every ZeRO stage above 0 shards the optimizer states, which it cannot (${why})`,
    });
  }
  const zero: ZeroStage = p.zero ?? (dp > 1 && sharded ? "zero1" : "zero0");
  if (p.zero == null && dp > 1) {
    notes.push({
      field: sharded ? "zero" : null,
      text: sharded
        ? "ZeRO-1 (distributed optimizer: optimizer states sharded over data parallel ranks)"
        : `ZeRO-0: optimizer states on every data-parallel rank (${why})`,
    });
  }
  let microBatch = q.microBatch ?? 1;
  if (q.microBatch == null)
    notes.push({ field: "microBatch", text: "micro-batch = 1 sequence (not published)" });
  if (q.globalBatch % (dp * microBatch) !== 0) {
    notes.push({
      field: null,
      text: `micro-batch ${microBatch} does not divide the per-rank batch ${q.globalBatch}/${dp}; using 1`,
    });
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
  for (const text of precisionNotes(q.chip, q.precision)) notes.push({ field: null, text });
  if (p.recompute == null) {
    plan.recompute = lightestRecomputeThatFits(prep, plan, q.globalBatch);
    notes.push({
      field: "recompute",
      text: `activation recomputation: ${plan.recompute} (the lightest that fits; not published)`,
    });
  }
  return plan;
}

/**
 * Virtual pipeline stages under the run's pipeline schedule (software.pipelineSchedule): a published
 * vpp must agree with the schedule; an unpublished one is 1 unless the schedule is interleaved, which
 * takes the fewest virtual stages (2 or more) that split the layers as the search does (layouts.ts).
 */
function scheduledVpp(p: PartialPlan, prep: Prepared, notes: RuleNote[]): number {
  const schedule = prep.software.pipelineSchedule;
  if (schedule === "interleaved" && p.pp === 1) {
    throw scheduleRefusal(
      schedule,
      '"1f1b" or none with parallelism.pp 1: the interleaved schedule splits pipeline stages into virtual stages, and pp 1 has a single stage',
    );
  }
  if (p.vpp != null) {
    if (schedule === "1f1b" && p.vpp > 1) {
      throw scheduleRefusal(
        schedule,
        `"interleaved" with parallelism.vpp ${p.vpp} (1F1B runs one stage per rank), or vpp 1`,
      );
    }
    if (schedule === "interleaved" && p.vpp === 1) {
      throw scheduleRefusal(
        schedule,
        '"1f1b" with parallelism.vpp 1, or a vpp of 2 or more (the interleaved schedule runs several virtual stages per rank)',
      );
    }
    return p.vpp;
  }
  if (schedule !== "interleaved") return 1;
  for (let vpp = 2; vpp <= MAX_VPP; vpp++) {
    if (pipelineChunksRule(prep.layers, p.pp, vpp) !== null) continue;
    notes.push({
      field: "vpp",
      text: `virtual pipeline stages = ${vpp} (software.pipelineSchedule interleaved: the fewest that split the ${prep.layers} layers; not published)`,
    });
    return vpp;
  }
  throw scheduleRefusal(
    schedule,
    `"1f1b": no virtual-stage count of 2 or more splits ${prep.layers} layers over pp ${p.pp}`,
  );
}

function scheduleRefusal(schedule: string, allowed: string): InputError {
  return new InputError({ field: "software.pipelineSchedule", value: schedule, allowed });
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
