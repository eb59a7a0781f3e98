/**
 * The checks a scenario must pass beyond its schema: a parallel layout that fits the model and the
 * chip count, a precision and an activation offload the chip supports, an expert layout the model
 * allows. Each throws an InputError naming the field, with valid choices where there are few.
 */
import { InputError } from "../errors.js";
import type { Chip } from "../hardware/schema.js";
import {
  brokenConstraint,
  type ConstrainedDimension,
  type PlanConstraints,
  type SearchConstraints,
  splitSearchConstraints,
} from "../plan/constraints.js";
import { constraintText } from "../plan/constraintText.js";
import { pipelineChunksAllowed, pipelineChunksFit } from "../plan/rules.js";
import { type Parallelism, recomputeFormOf } from "../plan/schema.js";
import type { Framework } from "../plan/software.js";
import { inStackWords } from "../plan/softwareDefaults.js";
import { STACK_CAPABILITIES } from "../plan/stackCapabilities.js";
import { divisors } from "../search/candidates.js";
import type { Model } from "../workload/schema.js";
import type { Scenario } from "./schema.js";

/** Turns a field of the scenario into its name in messages (prefixed with the case, e.g. "[3].parallelism.tp"). */
export type FieldName = (field: string) => string;

/** Activation offloading needs a chip with a coherent link to host memory (hostLink in the catalog). */
export function checkOffload(recompute: Scenario["parallelism"]["recompute"], chip: Chip, f: FieldName) {
  if (recompute === "offload" && !chip.hostLink) {
    throw new InputError({
      field: f("parallelism.recompute"),
      value: recompute,
      allowed: `none, selective or full on ${chip.id}, which has no coherent host link to offload activations over`,
    });
  }
  return recompute;
}

/** NeuronCores per chip speak of a Trainium chip only: on a GPU the count would be ignored. */
export function checkNeuronCores(given: number | null | undefined, chip: Chip, f: FieldName): void {
  if (given == null || chip.neuronCoresPerChip !== null) return;
  throw new InputError({
    field: f("hardware.neuronCoresPerChip"),
    value: given,
    allowed: `nothing on ${chip.id}, which has no NeuronCores (the count is for AWS Trainium chips)`,
  });
}

/** Ranks available to the parallel layout: chips, or NeuronCores when unit is "neuroncore". */
function rankCount(s: Scenario, chip: Chip, f: FieldName): { ranks: number; unitWord: string } {
  if (s.parallelism.unit !== "neuroncore") return { ranks: s.hardware.count, unitWord: "chips" };
  const cores = neuronCoresPerChip(s.hardware.neuronCoresPerChip, chip, f);
  return { ranks: s.hardware.count * cores, unitWord: `NeuronCores (${s.hardware.count} chips x ${cores})` };
}

/**
 * NeuronCores per chip of a NeuronCore-unit run: the catalog's logical count (Neuron's default LNC)
 * or the scenario's, which must group the chip's physical cores evenly (LNC=1 or 2 on Trn2/Trn3).
 * A chip without NeuronCores (a GPU) refuses the unit.
 */
function neuronCoresPerChip(given: number | null | undefined, chip: Chip, f: FieldName): number {
  if (chip.neuronCoresPerChip === null) {
    throw new InputError({
      field: f("parallelism.unit"),
      value: "neuroncore",
      allowed: `"chip" on ${chip.id}, which has no NeuronCores (the "neuroncore" unit counts AWS Trainium cores)`,
    });
  }
  const physical = chip.physicalNeuronCoresPerChip ?? chip.neuronCoresPerChip;
  if (given == null) return chip.neuronCoresPerChip;
  if (physical % given !== 0) {
    throw new InputError({
      field: f("hardware.neuronCoresPerChip"),
      value: given,
      allowed: `a count that groups ${chip.id}'s ${physical} physical NeuronCores evenly: ${divisors(physical)
        .sort((a, b) => a - b)
        .join(", ")} (default ${chip.neuronCoresPerChip}, Neuron's logical cores)`,
    });
  }
  return given;
}

/**
 * Attention heads split evenly across tensor-parallel ranks: Megatron-LM asserts it, so no published
 * run breaks it, and a rank holding part of a head cannot be simulated. Unlike the layout checks
 * below, lenient parsing has nothing to adjust here (parse.ts calls this outside `guarded`).
 */
export function checkHeads(tp: number, model: Model, f: FieldName): void {
  if (model.heads % tp === 0) return;
  throw new InputError({
    field: f("parallelism.tp"),
    value: tp,
    allowed: `a divisor of the model's ${model.heads} attention heads (tp splits heads evenly), e.g. ${someDivisors(model.heads)}`,
  });
}

/**
 * Checks the rank layout of a model whose heads tp splits (checkHeads) and returns dp (derived
 * when absent). Megatron-LM requires tp x pp x dp x cp to equal the world size; pipeline stages
 * may hold uneven layer counts but each virtual stage needs a layer.
 */
export function checkLayout(
  s: Scenario & { globalBatch: number },
  model: Model,
  chip: Chip,
  f: FieldName,
): number {
  const p = s.parallelism;
  checkKvHeads(p.tp, model, f);
  const { ranks, unitWord } = rankCount(s, chip, f);
  const tpppcp = p.tp * p.pp * p.cp;
  let dp = p.dp ?? undefined;
  if (dp === undefined) {
    if (ranks % tpppcp !== 0) {
      throw new InputError({
        field: f("hardware.count"),
        value: s.hardware.count,
        allowed: `a count whose ${ranks} ${unitWord} are a multiple of tp x pp x cp = ${tpppcp}, so dp can be derived`,
      });
    }
    dp = ranks / tpppcp;
  } else if (tpppcp * dp !== ranks) {
    throw new InputError({
      field: f("parallelism"),
      value: `tp ${p.tp} x pp ${p.pp} x dp ${dp} x cp ${p.cp} = ${tpppcp * dp}`,
      allowed: `a layout whose tp x pp x dp x cp equals the ${ranks} ${unitWord}; omit dp to derive it`,
    });
  }
  if (!pipelineChunksFit(model.layers, p.pp, p.vpp)) {
    throw new InputError({
      field: f("parallelism.pp"),
      value: `pp ${p.pp} x vpp ${p.vpp} = ${p.pp * p.vpp}`,
      allowed: pipelineChunksAllowed(model.layers),
    });
  }
  if (s.microBatch != null && s.globalBatch % (dp * s.microBatch) !== 0) {
    throw new InputError({
      field: f("globalBatch"),
      value: s.globalBatch,
      allowed: `a multiple of dp x microBatch = ${dp} x ${s.microBatch} = ${dp * s.microBatch}`,
    });
  }
  return dp;
}

/**
 * Key-value heads under tensor parallelism. Megatron-LM asserts num_query_groups % tp == 0; NeuronX
 * Distributed (and the engine, layerCosts.ts) also run tp above the key-value head count by giving
 * each group of tp / kvHeads ranks a copy of one head (the published trn1 Llama 2 70B run: tp 32 over
 * 8 heads). So tp must divide kvHeads, or be a multiple of it; anything else leaves a rank with part
 * of a head. Multi-head latent attention (model.mla) has no shared key-value heads to split.
 */
function checkKvHeads(tp: number, model: Model, f: FieldName): void {
  if (model.mla) return;
  const kv = model.kvHeads ?? model.heads;
  if (kv % tp === 0 || tp % kv === 0) return;
  const multiples: number[] = [];
  for (let m = 2 * kv; m <= model.heads; m += kv) if (model.heads % m === 0) multiples.push(m);
  throw new InputError({
    field: f("parallelism.tp"),
    value: tp,
    allowed: `a divisor of the model's ${kv} key-value heads (tp splits them evenly; Megatron-LM requires this), or a multiple of ${kv} that replicates them (NeuronX Distributed), e.g. ${[...divisors(kv), ...multiples].slice(0, EXAMPLES).join(", ")}`,
  });
}

/** fp8 needs an fp8 tensor path; the A100 and the TPUs listed have none (peakTflops.fp8 null). */
export function checkPrecision(precision: Scenario["precision"], chip: Chip, f: FieldName): void {
  if (precision !== "fp8" || chip.peakTflops.fp8 != null) return;
  throw new InputError({
    field: f("precision"),
    value: precision,
    allowed: `bf16 or fp16 on ${chip.id}, which has no fp8 tensor path (no fp8 peak in the catalog)`,
  });
}

/**
 * Expert parallelism. With Megatron-Core "MoE parallel folding" (arXiv 2504.14960) the expert
 * layers re-fold the tp x cp x dp ranks, so ep must divide tp x cp x dp (not only dp x cp:
 * published Qwen3-235B recipes run tp 2, dp 16, ep 32), and every rank must hold whole experts.
 */
export function checkMoe(s: Scenario, model: Model, dp: number, f: FieldName): void {
  const { ep, tp, cp } = s.parallelism;
  if (ep === 1) return;
  if (!model.moe) {
    throw new InputError({
      field: f("parallelism.ep"),
      value: ep,
      allowed: "1 for a dense model; expert parallelism needs a mixture-of-experts model (model.moe)",
    });
  }
  const folded = tp * cp * dp;
  if (folded % ep !== 0) {
    throw new InputError({
      field: f("parallelism.ep"),
      value: ep,
      allowed: `a divisor of tp x cp x dp = ${folded} (expert layers re-fold those ranks), e.g. ${someDivisors(folded)}`,
    });
  }
  if (model.moe.experts % ep !== 0) {
    throw new InputError({
      field: f("parallelism.ep"),
      value: ep,
      allowed: `a divisor of the model's ${model.moe.experts} experts, e.g. ${someDivisors(model.moe.experts)}`,
    });
  }
}

/** Valid choices a message lists, at most: enough to show the pattern, short enough for one line. */
const EXAMPLES = 8;

/** The smallest divisors of n, to show valid choices in messages. */
function someDivisors(n: number): string {
  return divisors(n).slice(0, EXAMPLES).join(", ");
}

/**
 * A scenario's plan constraints in the words of the stack that runs the plan (the one its constraints
 * name, else the run's): "selective" read as that stack's own recomputation. Undefined when it has none.
 */
export function planConstraintsInStackWords(
  constraints: SearchConstraints | null | undefined,
  runFramework?: Framework | null,
): PlanConstraints | undefined {
  const { constraints: given, framework } = splitSearchConstraints(constraints);
  const stackName = framework ?? runFramework ?? undefined;
  return given && stackName ? inStackWords(given, stackName) : given;
}

/**
 * simulate evaluates the plan a scenario gives; its `constraints:` (what plan and compare search
 * within) must then hold that plan, the stack named there included, or the file says two things.
 */
export function checkPlanConstraints(
  plan: Parallelism,
  constraints: SearchConstraints | null | undefined,
  f: FieldName = (field) => field,
  runFramework?: Framework | null,
): void {
  if (!constraints) return;
  const { constraints: given, framework } = splitSearchConstraints(constraints);
  const c = planConstraintsInStackWords(constraints, runFramework);
  const mine = c ? brokenConstraint(plan, c) : null;
  if (mine) {
    throw new InputError({
      field: f(`constraints.${mine}`),
      value: constraintText(given?.[mine]),
      allowed: `constraints that hold the plan simulated (its ${mine} is ${constraintText(planValue(plan, mine))}); simulate evaluates the plan under parallelism, plan and compare search within the constraints`,
    });
  }
  const stack = framework ? brokenConstraint(plan, runnable(framework, plan)) : null;
  if (framework && stack) {
    throw new InputError({
      field: f("constraints.framework"),
      value: framework,
      allowed: `a stack that runs the plan simulated (${framework} does not run its ${stack}, ${constraintText(planValue(plan, stack))})`,
    });
  }
}

/** What a stack runs, with the plan's recompute allowed when it is a layer form the stack runs at any count. */
function runnable(framework: Framework, plan: Parallelism): PlanConstraints {
  const caps = STACK_CAPABILITIES[framework];
  const form = recomputeFormOf(plan.recompute);
  if (form && caps.recomputeForms?.includes(form)) return { ...caps.constraints, recompute: undefined };
  return caps.constraints;
}

/** A plan's value of a dimension in the constraints' form, for constraintText. */
function planValue(plan: Parallelism, d: ConstrainedDimension): PlanConstraints[ConstrainedDimension] {
  const v = plan[d];
  return (typeof v === "number" ? v : [v]) as PlanConstraints[ConstrainedDimension];
}
