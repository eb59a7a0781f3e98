import type { SimulationInput } from "../engine/simulate.js";
import type { Software } from "../plan/software.js";
import { selectiveRecomputeOf } from "../plan/softwareDefaults.js";
import type { ResolvedScenarioInput } from "./parse.js";

/** A stack read from a publication: the framework and release it ran, and why trainplan reads it so. */
export interface InferredStack {
  software: Software;
  because: string;
}

/**
 * The software stack a published run used, when its case does not say: read from the publication,
 * since the stack is part of what was measured. The framework's defaults (src/plan/softwareDefaults.ts)
 * then decide every knob the case leaves unsaid; nothing here is keyed to a case.
 */
export function inferStack(sourceTitle: string | undefined): InferredStack | null {
  const t = (sourceTitle ?? "").toLowerCase();
  const bridge = /megatron-bridge performance summary, (\d\d\.\d\d)/.exec(t);
  if (bridge) {
    return {
      software: { framework: "megatron-bridge", version: bridge[1] },
      because: `NVIDIA's Megatron-Bridge performance tables, NeMo ${bridge[1]} container`,
    };
  }
  if (t.includes("llm-foundry") || t.includes("mosaicml")) {
    return {
      software: { framework: "pytorch-fsdp1" },
      because: "MosaicML llm-foundry trains with Composer on PyTorch FSDP",
    };
  }
  if (t.includes("efficient large-scale language model training on gpu clusters")) {
    return {
      software: { framework: "megatron-lm-legacy", version: "2021-04" },
      because: "Narayanan et al. (SC21) ran Megatron-LM of 2021",
    };
  }
  if (t.includes("reducing activation recomputation")) {
    return {
      software: { framework: "megatron-lm-legacy", version: "2022-05" },
      because: "Korthikanti et al. ran Megatron-LM of 2022 with sequence parallelism",
    };
  }
  if (t.includes("megatron-lm readme")) {
    return {
      // The README's benchmark configuration: "Fine-grained overlapping with DP (--overlap-grad-reduce,
      // --overlap-param-gather), TP (--tp-comm-overlap), and PP (enabled by default)".
      software: { framework: "megatron-core", tpCommOverlap: true },
      because:
        "Megatron-LM's README table runs Megatron-Core with --tp-comm-overlap (its benchmark configuration)",
    };
  }
  if (t.includes("torchtitan")) {
    return { software: { framework: "torchtitan" }, because: "torchtitan's performance page" };
  }
  const neuron = /aws neuron .*\(neuron sdk ([\d.]+)\)/.exec(t);
  if (neuron) {
    return {
      software: { framework: "neuronx-distributed", version: neuron[1] },
      because: `AWS Neuron's tables, NeuronX Distributed in Neuron SDK ${neuron[1]}`,
    };
  }
  return null;
}

/**
 * Fills the stack a published run's source implies where the scenario names no framework, then reads
 * the run's "selective" recomputation as that stack's (selectiveRecomputeOf: per-operator on
 * torchtitan), stated. `simulate` and `validate` both apply it, so one case file gets one prediction;
 * the engine states each knob.
 */
export function withSourceInference(s: ResolvedScenarioInput, input: SimulationInput): SimulationInput {
  const inferred = s.software?.framework != null ? null : inferStack(s.source?.title);
  const withStack: SimulationInput = inferred
    ? {
        ...input,
        software: { ...inferred.software, ...input.software },
        assumptions: [...(input.assumptions ?? []), `software stack: ${inferred.because}`],
      }
    : input;
  return withStackSelective(withStack);
}

/** A run's "selective" recomputation in its framework's meaning, stated where it is not Megatron's. */
function withStackSelective(input: SimulationInput): SimulationInput {
  const framework = input.software?.framework;
  if (input.parallelism.recompute !== "selective" || framework == null) return input;
  const meaning = selectiveRecomputeOf(framework);
  if (meaning.recompute === "selective") return input;
  return {
    ...input,
    parallelism: { ...input.parallelism, recompute: meaning.recompute },
    assumptions: [
      ...(input.assumptions ?? []),
      `recompute "selective" read as ${meaning.recompute} on ${framework} (${meaning.because})`,
    ],
  };
}
