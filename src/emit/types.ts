import { z } from "zod";
import type { Parallelism, RankUnit } from "../plan/schema.js";

/** The frameworks a plan can be written out for (`--emit`), each in its own format. */
export const EMIT_TARGETS = ["megatron", "megatron-bridge", "torchtitan", "neuronx"] as const;
export const EmitTargetSchema = z.enum(EMIT_TARGETS);
export type EmitTarget = z.infer<typeof EmitTargetSchema>;

/** A chosen plan with what its framework arguments need besides the plan itself. */
export interface EmitInput {
  plan: Parallelism;
  /** Sequences per optimizer step. */
  globalBatch: number;
  /** The model's transformer layers (virtual-stage sizes and uneven pipeline layouts need them). */
  layers: number;
  /** What the plan's sizes count: chips, or Trainium NeuronCores. */
  unit: RankUnit;
  /** Logical NeuronCores per chip, on Trainium (null elsewhere). */
  logicalCoresPerChip: number | null;
  /** Experts padded to this factor of their share, the excess dropped (software.expertCapacityFactor); null: dropless. */
  expertCapacityFactor: number | null;
}

/** The plan in the framework's own words, or why the framework cannot say it. */
export type Emitted =
  | { ok: true; target: EmitTarget; text: string; version: string; notes: string[] }
  | { ok: false; target: EmitTarget; reason: string };

export function cannot(target: EmitTarget, reason: string): Emitted {
  return { ok: false, target, reason };
}
