import type { Chip } from "../hardware/schema.js";
import type { Parallelism, RankUnit } from "../plan/schema.js";
import type { Software } from "../plan/software.js";
import type { Model } from "../workload/schema.js";
import { emitMegatron } from "./megatron.js";
import { emitMegatronBridge } from "./megatronBridge.js";
import { emitNeuronx } from "./neuronx.js";
import { emitTorchtitan } from "./torchtitan.js";
import type { EmitInput, EmitTarget, Emitted } from "./types.js";

/**
 * A chosen plan written as the target framework's own arguments or config, or the reason it cannot
 * be (a plan the framework has no way to say is never written approximately).
 */
const EMITTERS: Record<EmitTarget, (input: EmitInput) => Emitted> = {
  megatron: emitMegatron,
  "megatron-bridge": emitMegatronBridge,
  torchtitan: emitTorchtitan,
  neuronx: emitNeuronx,
};

export function emitPlan(target: EmitTarget, input: EmitInput): Emitted {
  return EMITTERS[target](input);
}

/**
 * Logical NeuronCores per Trainium chip: Trainium1 runs each of its 2 cores on its own (LNC=1);
 * Trainium2 and 3 default to LNC=2, pairing 8 physical cores into 4 logical ones (Neuron docs,
 * "Logical NeuronCore configuration"; NxD Training's trn2 configs set trainer.lnc: 2).
 */
export function logicalCoresPerChip(chip: Chip): number | null {
  const physical = chip.neuronCoresPerChip;
  if (physical == null) return null;
  return physical >= 8 ? physical / 2 : physical;
}

/** What an emitter needs from a plan of a run. */
export function emitInputOf(
  plan: Parallelism,
  run: {
    globalBatch: number;
    layers: number;
    chip: Chip;
    unit?: RankUnit;
    model?: Model;
    software?: Software | null;
  },
): EmitInput {
  return {
    plan,
    globalBatch: run.globalBatch,
    layers: run.layers,
    unit: run.unit ?? "chip",
    logicalCoresPerChip: logicalCoresPerChip(run.chip),
    // Only an MoE model has experts to pad (the knob does not apply to a dense one, as in the engine).
    expertCapacityFactor: run.model?.moe ? (run.software?.expertCapacityFactor ?? null) : null,
  };
}
