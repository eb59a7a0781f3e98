import type { Parallelism } from "../plan/schema.js";
import { checkResolvedPlan, checkSimulationInput } from "./inputChecks.js";
import { type PartialPlan, type PlanQuestion, resolvePlan } from "./resolvePlan.js";
import { type SimulationResult, simulationResult } from "./result.js";
import { type PreparedRun, type ProfileChoice, prepareRun, type RunSpec } from "./run.js";

export type { MemoryResult, SimulationResult } from "./result.js";
export { evaluatePlan } from "./result.js";

/** A run to simulate; null parallel fields are filled with what such a run most likely used. */
export interface SimulationInput extends RunSpec, PlanQuestion {
  chipCount: number;
  parallelism: PartialPlan;
  /** Assumptions already made while reading the scenario (reported with the result). */
  assumptions?: string[];
}

export type SimulationOptions = ProfileChoice;

/** A run made ready to evaluate: the prepared workload/hardware and the resolved plan. */
export interface ResolvedRun extends PreparedRun {
  plan: Parallelism;
}

/**
 * Prepares a run and resolves its plan (filling unpublished fields with stated assumptions). Bad
 * input, or a plan the search would not consider (plan/rules.ts), throws InputError.
 */
export function resolveRun(input: SimulationInput, options: SimulationOptions = {}): ResolvedRun {
  checkSimulationInput(input);
  const run = prepareRun(input, options);
  const assumptions = [...(input.assumptions ?? []), ...run.assumptions];
  const ranks = input.chipCount * run.prep.hw.ranksPerChip;
  const plan = resolvePlan(input, ranks, run.prep, assumptions);
  checkResolvedPlan(plan, ranks, run.prep.seqLen, input.globalBatch, run.prep.layers);
  return { ...run, assumptions, plan };
}

/** Simulates one training run: memory per chip, step time with its breakdown, throughput. */
export function simulate(input: SimulationInput, options: SimulationOptions = {}): SimulationResult {
  const run = resolveRun(input, options);
  return simulationResult(input, run.prep, run.plan, input.globalBatch, run, run.assumptions);
}
