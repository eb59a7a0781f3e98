import { z } from "zod";
import { ChipOverridesSchema } from "../hardware/schema.js";
import { SearchConstraintsSchema } from "../plan/constraints.js";
import { MAX_CHIPS, MAX_GLOBAL_BATCH } from "../plan/limits.js";
import {
  AttentionKernelSchema,
  DEFAULT_PRECISION,
  DEFAULT_RANK_UNIT,
  GradientReduceSchema,
  RankUnitSchema,
} from "../plan/schema.js";
import { SoftwareSchema } from "../plan/software.js";
import {
  PrecisionSpellingSchema,
  RecomputeSpellingSchema,
  SequenceParallelSpellingSchema,
  ZeroSpellingSchema,
} from "../plan/spelling.js";
import { orDefault, orDefaultObject } from "../util/schema.js";
import { ModelSchema } from "../workload/schema.js";

const positiveInt = z.number().int().positive();

/**
 * A block whose null fields are dropped: null means "not given" throughout the format (YAML writes a
 * field left blank, `tp:`, as null), so a constraint set to null constrains nothing.
 */
function withoutUnsaid(block: unknown): unknown {
  if (block === null || typeof block !== "object" || Array.isArray(block)) return block;
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== null));
}

/**
 * A training scenario in the validation case format (data/validation/FORMAT.md).
 * `measured` is optional (present in validation cases). Null fields mean "not published":
 * the engine assumes what such a run would most likely use and says so.
 * `model` may also be a preset name such as "llama3-70b". A key the format does not define is refused
 * (strict objects), so a misspelling cannot leave a default silently in force.
 */
export const ScenarioSchema = z.strictObject({
  id: orDefault(z.string(), "scenario"),
  source: z
    .strictObject({ title: z.string(), url: z.string(), location: z.string().optional() })
    .partial()
    .nullable()
    .optional(),
  model: z.union([z.string().min(1), ModelSchema]),
  hardware: z.strictObject({
    chip: z.string().min(1),
    // Bounded here, as the flags are, so the message names hardware.count rather than the engine's field.
    count: positiveInt.max(MAX_CHIPS),
    chipsPerNode: positiveInt.nullable().optional(),
    interconnect: z.string().nullable().optional(),
    /** The chip's name as the source printed it ("NVIDIA A100 80GB SXM"); not read by the engine. */
    asPublished: z.string().optional(),
    neuronCoresPerChip: positiveInt.nullable().optional(),
    /** Replace catalog figures for this run (e.g. a cluster with 8 x 400 Gb/s per node); reported as overrides. */
    overrides: ChipOverridesSchema.nullable().optional(),
  }),
  precision: orDefault(PrecisionSpellingSchema, DEFAULT_PRECISION),
  fp8Recipe: z.enum(["tensorwise", "blockwise", "mx"]).nullable().optional(),
  /**
   * Attention kernel generation: "fused" (cuDNN / FlashAttention-3 class, the default), "flash2"
   * (FlashAttention-2, which does not use Hopper/Blackwell tensor-memory features) or "unfused" (scores
   * materialized, as before FlashAttention). Null = infer.
   */
  attentionKernel: AttentionKernelSchema.nullable().optional(),
  /**
   * Precision of the data-parallel gradient buffers and their reduction: "fp32" (Megatron-LM's default
   * for bf16 training) or "bf16" (NVIDIA's Megatron-Bridge performance recipes). Null = infer.
   */
  gradientReduce: GradientReduceSchema.nullable().optional(),
  /**
   * The training stack (framework, release) and the knobs that change the physics; what is left out
   * takes the framework's default, stated. Null = infer from the source, else the chip's usual stack.
   */
  software: SoftwareSchema.nullable().optional(),
  // Unsaid (or null), every size takes its default, as `parallelism: {}`; plan and compare search it.
  parallelism: orDefaultObject(
    z.strictObject({
      tp: orDefault(positiveInt, 1),
      pp: orDefault(positiveInt, 1),
      dp: positiveInt.nullable().optional(),
      cp: orDefault(positiveInt, 1),
      ep: orDefault(positiveInt, 1),
      vpp: orDefault(positiveInt, 1),
      // Spelled as the constraints: block and the plan flags spell them (`zero: 1`, `sequenceParallel: on`).
      sequenceParallel: SequenceParallelSpellingSchema.nullable().optional(),
      zero: ZeroSpellingSchema.nullable().optional(),
      recompute: RecomputeSpellingSchema.nullable().optional(),
      /** "neuroncore": tp/pp/dp count Trainium NeuronCores rather than chips. */
      unit: orDefault(RankUnitSchema, DEFAULT_RANK_UNIT),
      notes: z.string().nullable().optional(),
    }),
  ),
  /**
   * What `plan` and `compare` keep their search to, in the vocabulary of their flags (`--tp 8`,
   * `--pp 1..4`, `--recompute none`, `--framework torchtitan`): `tp: 8`, `pp: { min: 1, max: 4 }`,
   * `recompute: none`, `framework: torchtitan` (src/plan/constraints.ts). A flag given too wins, and
   * the output says so. `simulate` checks that the plan under `parallelism` keeps to them.
   */
  constraints: z.preprocess(withoutUnsaid, SearchConstraintsSchema).nullable().optional(),
  /** Sequences per optimizer step; null = not published (a likely value is assumed and stated). */
  globalBatch: positiveInt.max(MAX_GLOBAL_BATCH).nullable().optional(),
  microBatch: positiveInt.max(MAX_GLOBAL_BATCH).nullable().optional(),
  measured: z
    .strictObject({
      tokensPerSecondPerChip: z.number().positive(),
      /** Measured seconds per optimizer step, where the measurement gives it (data/validation/measured-h200.json). */
      stepSeconds: z.number().positive().optional(),
      /** Peak memory allocated per chip by the framework (torch.cuda.max_memory_allocated), bytes. */
      peakMemoryBytes: z.number().positive().nullable().optional(),
      derivation: z.string().optional(),
      asPublished: z.string().optional(),
    })
    .nullable()
    .optional(),
  provenance: z.object({ confidence: z.string().optional() }).passthrough().nullable().optional(),
});
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Scenario = z.infer<typeof ScenarioSchema>;
export const ScenarioListSchema = z.array(ScenarioSchema);
