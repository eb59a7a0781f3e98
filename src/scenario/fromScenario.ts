import type { SimulationInput } from "../engine/simulate.js";
import { withOverrides } from "../hardware/catalog.js";
import type { ResolvedScenarioInput } from "./parse.js";

/** Turns a parsed scenario (case format) into the engine's input. */
export function scenarioToInput(s: ResolvedScenarioInput): SimulationInput {
  const overrides = s.hardware.overrides;
  const chip = overrides ? withOverrides(s.chip, overrides) : s.chip;
  const notes = overrides
    ? [`hardware figures overridden by the scenario: ${JSON.stringify(overrides)}`]
    : [];
  const p = s.parallelism;
  return {
    model: s.model,
    chip,
    chipCount: s.hardware.count,
    unit: p.unit,
    neuronCoresPerChip: s.hardware.neuronCoresPerChip ?? chip.neuronCoresPerChip,
    precision: s.precision,
    parallelism: {
      tp: p.tp,
      pp: p.pp,
      vpp: p.vpp,
      dp: p.dp,
      cp: p.cp,
      ep: p.ep,
      sequenceParallel: p.sequenceParallel,
      zero: p.zero,
      recompute: p.recompute,
    },
    globalBatch: s.globalBatch,
    microBatch: s.microBatch,
    seqLen: s.model.seqLen,
    attentionKernel: s.attentionKernel ?? undefined,
    gradientReduce: s.gradientReduce ?? undefined,
    software: s.software ?? undefined,
    assumptions: [...s.assumptions, ...notes],
  };
}
