import type { Parallelism } from "../plan/schema.js";
import { precisionCode, precisionOf, recomputeCode, recomputeOf, zeroCode, zeroOf } from "./codes.js";

/**
 * One parallel plan as the hot path reads it: sizes and the codes of codes.ts. The search keeps one
 * record and rewrites its fields for each configuration (no allocation per plan); simulate fills one
 * from a resolved Parallelism. Group order follows Megatron-LM's rank layout: tp innermost, then cp,
 * dp, pp; ep subdivides dp x cp.
 */
export interface PlanRecord {
  tp: number;
  pp: number;
  /** Virtual pipeline stages per rank (interleaved 1F1B when > 1). */
  vpp: number;
  dp: number;
  cp: number;
  ep: number;
  /** Sequences per micro-batch. */
  microBatch: number;
  /** Micro-batches per step on each data-parallel rank: globalBatch / (dp x microBatch). */
  microBatches: number;
  /** Sequences per optimizer step. */
  globalBatch: number;
  /** RECOMPUTE_* code. */
  recompute: number;
  /** ZeRO stage, 0-3. */
  zero: number;
  /** Sequence parallelism: 1 on, 0 off. */
  sp: number;
  /** PRECISION_* code (1 = fp8 matrices). */
  fp8: number;
}

export function newPlanRecord(): PlanRecord {
  return {
    tp: 1,
    pp: 1,
    vpp: 1,
    dp: 1,
    cp: 1,
    ep: 1,
    microBatch: 1,
    microBatches: 1,
    globalBatch: 1,
    recompute: 0,
    zero: 0,
    sp: 0,
    fp8: 0,
  };
}

/** Writes a resolved plan into `rec` (returned) for a step of `globalBatch` sequences. */
export function toPlanRecord(plan: Parallelism, globalBatch: number, rec = newPlanRecord()): PlanRecord {
  rec.tp = plan.tp;
  rec.pp = plan.pp;
  rec.vpp = plan.vpp;
  rec.dp = plan.dp;
  rec.cp = plan.cp;
  rec.ep = plan.ep;
  rec.microBatch = plan.microBatch;
  rec.microBatches = globalBatch / (plan.dp * plan.microBatch);
  rec.globalBatch = globalBatch;
  rec.recompute = recomputeCode(plan.recompute);
  rec.zero = zeroCode(plan.zero);
  rec.sp = plan.sequenceParallel ? 1 : 0;
  rec.fp8 = precisionCode(plan.precision);
  return rec;
}

/** The readable plan of a record. */
export function parallelismOf(rec: PlanRecord): Parallelism {
  return {
    tp: rec.tp,
    pp: rec.pp,
    vpp: rec.vpp,
    dp: rec.dp,
    cp: rec.cp,
    ep: rec.ep,
    microBatch: rec.microBatch,
    recompute: recomputeOf(rec.recompute),
    zero: zeroOf(rec.zero),
    sequenceParallel: rec.sp === 1,
    precision: precisionOf(rec.fp8),
  };
}

/** Expert tensor parallelism: Megatron-Core splits experts over tp only without expert parallelism. */
export function expertTp(rec: PlanRecord): number {
  return rec.ep > 1 ? 1 : rec.tp;
}

/**
 * A record from named fields (the rest default to a single rank, micro-batch 1, no recomputation,
 * ZeRO-0, bf16); micro-batches and global batch each follow from the other.
 */
export function planRecordOf(fields: Partial<PlanRecord>): PlanRecord {
  const rec = { ...newPlanRecord(), ...fields };
  const perStep = rec.dp * rec.microBatch;
  if (fields.microBatches === undefined) rec.microBatches = rec.globalBatch / perStep;
  if (fields.globalBatch === undefined) rec.globalBatch = rec.microBatches * perStep;
  return rec;
}
