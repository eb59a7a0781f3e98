/**
 * Every default of a run the user leaves unsaid, in one place: the CLI's commands, the library's
 * functions and the web app all read these, so the same question gets the same answer on every
 * face. The economic figures come from data/economics.json (each with its source); this module only
 * names them; the vocabularies' defaults (precision, checkpoint mode) are declared beside their
 * vocabularies and gathered here.
 */
import { defaultValue } from "../cost/assumptions.js";
import { DEFAULT_CHECKPOINT_MODE } from "../cost/checkpoint.js";
import { type DefaultBatch, defaultGlobalBatch } from "../workload/batch.js";
import type { Model } from "../workload/schema.js";
import { DEFAULT_PRECISION } from "./schema.js";

export const RUN_DEFAULTS = {
  /** Matrix precision: bf16, what published large runs used; "auto" (fp8 where the chip has it) is opt-in. */
  precision: DEFAULT_PRECISION,
  /** Synchronous checkpoint writes: what the plain frameworks do unless asked otherwise (the stricter figure). */
  checkpointMode: DEFAULT_CHECKPOINT_MODE,
  /** Interruptions per chip-hour (Llama 3 on H100). */
  failuresPerChipHour: defaultValue("failuresPerChipHour"),
  restartSeconds: defaultValue("restartSeconds"),
  pue: defaultValue("pue"),
  priceDeclinePctPerYear: defaultValue("priceDeclinePctPerYear"),
  pricing: "on-demand",
  /** Longest run a comparison considers when no deadline is given, in days. */
  maxDays: 120,
} as const;

/** The sequence length of a run that names none: the model's own. */
export function defaultSeqLen(model: Model): number {
  return model.seqLen;
}

/** The sequence and global batch of a run, each the user's where given, else the model's default (with its note). */
export function workloadDefaults(
  model: Model,
  given: { seqLen?: number; globalBatch?: number },
): { seqLen: number; globalBatch: number; batchDefault: DefaultBatch | null } {
  const seqLen = given.seqLen ?? defaultSeqLen(model);
  if (given.globalBatch !== undefined) return { seqLen, globalBatch: given.globalBatch, batchDefault: null };
  const d = defaultGlobalBatch(model, seqLen);
  return { seqLen, globalBatch: d.sequences, batchDefault: d };
}
