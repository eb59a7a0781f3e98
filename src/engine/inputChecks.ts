/**
 * The library's front door: simulate, the plan search and the comparisons check what they are given
 * with the same schemas, limits and plan rules as the CLI, and refuse with the same InputError, so no
 * face can compute with an input another refuses (NaN memory, a "plan" with dp 0, pp 0).
 */
import { z } from "zod";
import { InputError, inputErrorFromZod } from "../errors.js";
import { ChipSchema } from "../hardware/schema.js";
import { MAX_CHIPS, MAX_GLOBAL_BATCH, MAX_SEQ_LEN, MAX_TOP } from "../plan/limits.js";
import {
  batchSplits,
  cpSplitsSequence,
  interleavingFillsRounds,
  pipelineChunksAllowed,
  pipelineChunksFit,
} from "../plan/rules.js";
import {
  AttentionKernelSchema,
  GradientReduceSchema,
  type Parallelism,
  PrecisionSchema,
  RankUnitSchema,
  RecomputeSchema,
  recomputeModulesOf,
  ZeroSchema,
} from "../plan/schema.js";
import { SoftwareSchema } from "../plan/software.js";
import { UnpublishedFillSchema } from "../plan/unpublishedFill.js";
import { type Model, ModelSchema } from "../workload/schema.js";

const positiveInt = z.number().int().positive();

/** What every run states apart from its plan (RunSpec in run.ts). */
const runSpecShape = {
  model: ModelSchema,
  chip: ChipSchema,
  unit: RankUnitSchema.optional(),
  neuronCoresPerChip: positiveInt.max(64).nullable().optional(),
  seqLen: positiveInt.max(MAX_SEQ_LEN).optional(),
  attentionKernel: AttentionKernelSchema.optional(),
  gradientReduce: GradientReduceSchema.optional(),
  software: SoftwareSchema.nullable().optional(),
};

const chipCount = positiveInt.max(MAX_CHIPS);
const globalBatch = positiveInt.max(MAX_GLOBAL_BATCH);

/** A plan search request (search/types.ts PlanSearchRequest). */
export const PlanSearchRequestSchema = z.object({
  ...runSpecShape,
  chips: chipCount,
  globalBatch,
  precision: z.union([PrecisionSchema, z.literal("auto")]).optional(),
  top: positiveInt.max(MAX_TOP).optional(),
  profiles: z.unknown().optional(),
  countBetterThan: z.number().nonnegative().optional(),
});

/** A run to simulate (simulate.ts SimulationInput); null plan fields are filled by resolvePlan. */
export const SimulationInputSchema = z.object({
  ...runSpecShape,
  chipCount,
  precision: PrecisionSchema,
  globalBatch,
  microBatch: positiveInt.nullable().optional(),
  parallelism: z.object({
    tp: positiveInt,
    pp: positiveInt,
    vpp: positiveInt.optional(),
    dp: positiveInt.nullable().optional(),
    cp: positiveInt.optional(),
    ep: positiveInt.optional(),
    sequenceParallel: z.boolean().nullable().optional(),
    zero: ZeroSchema.nullable().optional(),
    recompute: RecomputeSchema.nullable().optional(),
  }),
  assumptions: z.array(z.string()).optional(),
  // Checked, not only typed: a misspelt fill ("rulez") ran as neither fill, without a word.
  unpublishedFill: UnpublishedFillSchema.optional(),
});

type RunSpecLike = {
  chip: z.infer<typeof ChipSchema>;
  unit?: string;
  neuronCoresPerChip?: number | null;
  model: Model;
};

/**
 * Megatron refuses recompute modules the model has no module for (transformer_config.py, core_v0.14.0:
 * mla_up_proj needs multi-latent attention, moe_act grouped-GEMM experts); so does every path in.
 */
export function checkRecomputeModules(
  recompute: string | null | undefined,
  model: Model,
  field: string,
): void {
  const modules = recompute ? recomputeModulesOf(recompute) : null;
  if (!modules) return;
  const missing =
    modules.includes("mla_up_proj") && !model.mla
      ? "mla_up_proj needs multi-latent attention (model.mla)"
      : modules.includes("moe_act") && !model.moe
        ? "moe_act needs a mixture-of-experts model (model.moe)"
        : null;
  if (missing) {
    throw new InputError({ field, value: recompute, allowed: `modules that act on this model (${missing})` });
  }
}

/** Throws the InputError a schema finds in `input` (the first issue), naming the field. */
function parseWith(schema: z.ZodType, input: unknown): void {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, input, "", schema);
}

/** NeuronCore ranks need a chip made of NeuronCores (Trainium) or a stated count of them. */
function checkUnit(spec: RunSpecLike): void {
  if (spec.unit !== "neuroncore" || spec.neuronCoresPerChip || spec.chip.neuronCoresPerChip) return;
  throw new InputError({
    field: "unit",
    value: spec.unit,
    allowed: `"chip" on ${spec.chip.id}, which has no NeuronCores; "neuroncore" needs a Trainium chip or neuronCoresPerChip`,
  });
}

/** Checks a plan search request; throws InputError. */
export function checkSearchRequest(req: unknown): void {
  parseWith(PlanSearchRequestSchema, req);
  checkUnit(req as RunSpecLike);
  const { model, constraints } = req as RunSpecLike & { constraints?: { recompute?: string[] } };
  for (const r of constraints?.recompute ?? []) checkRecomputeModules(r, model, "constraints.recompute");
}

/** Checks a simulation input before its plan is resolved; throws InputError. */
export function checkSimulationInput(input: unknown): void {
  parseWith(SimulationInputSchema, input);
  checkUnit(input as RunSpecLike);
  const { model, parallelism } = input as RunSpecLike & { parallelism: { recompute?: string | null } };
  checkRecomputeModules(parallelism.recompute, model, "parallelism.recompute");
}

/** Multiples of `step` nearest to `n` (below and above), for messages. */
function nearestMultiples(n: number, step: number): string {
  const below = Math.floor(n / step) * step;
  const above = below + step;
  return below >= step ? `${below} or ${above}` : `${above}`;
}

/**
 * The resolved plan keeps the rules the search enumerates by (plan/rules.ts) and divides the ranks
 * and the batch; otherwise simulate would time a plan the search can never return (fractional
 * micro-batches, a throughput above any valid one).
 */
export function checkResolvedPlan(
  plan: Parallelism,
  ranks: number,
  seqLen: number,
  batch: number,
  layers: number,
): void {
  const { tp, pp, dp, cp, vpp, microBatch } = plan;
  if (!pipelineChunksFit(layers, pp, vpp)) {
    throw new InputError({
      field: "parallelism.pp",
      value: `pp ${pp} x vpp ${vpp} = ${pp * vpp}`,
      allowed: pipelineChunksAllowed(layers),
    });
  }
  if (tp * pp * dp * cp !== ranks) {
    throw new InputError({
      field: "parallelism",
      value: `tp ${tp} x pp ${pp} x dp ${dp} x cp ${cp} = ${tp * pp * dp * cp}`,
      allowed: `a layout whose tp x pp x dp x cp equals the ${ranks} ranks; omit dp to derive it`,
    });
  }
  if (!batchSplits(batch, dp, 1)) {
    throw new InputError({
      field: "globalBatch",
      value: batch,
      allowed: `a multiple of dp (${dp}), so each data-parallel rank takes whole sequences: the smallest valid batch is ${dp}; nearest ${nearestMultiples(batch, dp)}`,
    });
  }
  if (!cpSplitsSequence(seqLen, cp)) {
    throw new InputError({
      field: "parallelism.cp",
      value: cp,
      allowed: `a context-parallel size that splits the ${seqLen}-token sequence into 2 x cp equal chunks (2 x cp must divide ${seqLen})`,
    });
  }
  const microBatches = batch / (dp * microBatch);
  if (!interleavingFillsRounds(microBatches, pp, vpp)) {
    throw new InputError({
      field: "parallelism.vpp",
      value: vpp,
      allowed: `1, or a batch whose micro-batches per step (${microBatches}) are a multiple of pp (${pp}): interleaved 1F1B runs them in rounds of pp`,
    });
  }
}
