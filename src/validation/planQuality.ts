import { simulate } from "../engine/simulate.js";
import { planLabel } from "../report/planLabel.js";
import { searchPlans } from "../search/searchPlans.js";
import type { ValidationCase } from "./validate.js";

export interface PlanQuality {
  id: string;
  chip: string;
  chips: number;
  /** Predicted tokens/s per chip of the configuration the run published. */
  publishedPredicted: number;
  publishedFits: boolean;
  /** Predicted tokens/s per chip of the best plan the search finds (same chips, batch, precision). */
  bestPredicted: number;
  bestPlan: string;
  /** 1 + the number of searched plans predicted faster than the published one. */
  publishedRank: number;
  searched: number;
  gainPct: number;
}

/**
 * For a published run: does the search find a plan at least as good as the one the authors used
 * (it is in the space), and where does theirs rank? Searches at the run's own precision and batch.
 */
export function planQuality(c: ValidationCase): PlanQuality {
  const published = simulate(c.input);
  const input = c.input;
  const result = searchPlans({
    model: input.model,
    chip: input.chip,
    chips: input.chipCount,
    unit: input.unit,
    neuronCoresPerChip: input.neuronCoresPerChip,
    attentionKernel: input.attentionKernel,
    gradientReduce: input.gradientReduce,
    software: input.software,
    seqLen: input.seqLen,
    globalBatch: input.globalBatch,
    precision: input.precision === "fp16" ? "bf16" : input.precision,
    top: 1,
    countBetterThan: published.throughput.tokensPerSecondPerChip * (1 + 1e-9),
    // `searched` counts every plan that fits: the bounded search times only those its bound keeps.
    exhaustive: true,
  });
  const best = result.plans[0];
  return {
    id: c.id,
    chip: input.chip.id,
    chips: input.chipCount,
    publishedPredicted: published.throughput.tokensPerSecondPerChip,
    publishedFits: published.fits,
    bestPredicted: best ? best.throughput.tokensPerSecondPerChip : 0,
    bestPlan: best ? planLabel(best.parallelism) : "none",
    publishedRank: 1 + (result.betterCount ?? 0),
    // The plans ranked are those timed (that fit); `evaluated` also counts those refused for memory.
    searched: result.feasible,
    gainPct: best
      ? (100 * (best.throughput.tokensPerSecondPerChip - published.throughput.tokensPerSecondPerChip)) /
        published.throughput.tokensPerSecondPerChip
      : 0,
  };
}
