import { z } from "zod";
import { PrecisionSchema, RecomputeSchema, ZERO_STAGES, ZeroSchema } from "./schema.js";

/**
 * The ways a person may write each plan word, in a scenario file (its `parallelism:` and `constraints:`
 * blocks) and on the command line (`--zero 1`, `--sequence-parallel on`) alike: one schema per word,
 * read into the canonical vocabulary of schema.ts, so no face keeps a second list. Words are read
 * without regard to case or surrounding spaces ("Full", " zero1 ").
 */

/** A typed word as the vocabulary spells it: trimmed and lower-case (anything else passes as is). */
function folded(value: unknown): unknown {
  return typeof value === "string" ? value.trim().toLowerCase() : value;
}

/** What a ZeRO stage may be written as, for messages and help. */
export const ZERO_SPELLINGS = `0-3 or ${ZERO_STAGES.join(", ")}`;
/** What sequence parallelism may be written as. */
export const SEQUENCE_PARALLEL_SPELLINGS = "on or off (true or false)";

/** A ZeRO stage: zero0..zero3, or its number 0..3 (`zero: 1`, `--zero 1`). */
export const ZeroSpellingSchema = z.preprocess(
  (v) => {
    const w = folded(v);
    return typeof w === "string" && /^[0-3]$/.test(w) ? `zero${w}` : w;
  },
  z.union([ZeroSchema, z.literal([0, 1, 2, 3]).transform((n) => ZERO_STAGES[n])], {
    error: `one of ${ZERO_SPELLINGS}`,
  }),
);

const ON_OFF = { on: true, true: true, off: false, false: false } as const;

/** Sequence parallelism: true or false, or the words on, off, true, false. */
export const SequenceParallelSpellingSchema = z.preprocess(
  folded,
  z.union([z.boolean(), z.enum(["on", "off", "true", "false"]).transform((w) => ON_OFF[w])], {
    error: SEQUENCE_PARALLEL_SPELLINGS,
  }),
);

/** A recomputation word (schema.ts's vocabulary, layer forms included). */
export const RecomputeSpellingSchema = z.preprocess(folded, RecomputeSchema);

/** A matrix precision. */
export const PrecisionSpellingSchema = z.preprocess(folded, PrecisionSchema);

/** The precisions a command's `--precision` takes: one, or auto (fp8 where the chip has it). */
export const PRECISION_CHOICES = ["bf16", "fp8", "auto"] as const;
/** `--precision`, spelled as the scenario spells its precision (any case). */
export const PrecisionChoiceSchema = z.preprocess(folded, z.enum(PRECISION_CHOICES));
