import { InputError } from "../errors.js";
import type { Parallelism, Precision, ZeroStage } from "../plan/schema.js";
import { recomputeFromMegatron } from "./megatronRecompute.js";

/**
 * A Megatron-LM command line read back into a plan: the flags megatron.ts writes (core_v0.14.0
 * names), so an emitted plan parses to itself. Other flags (the model's, the data's) are skipped and
 * listed. Data parallelism is what the world size leaves; it and the layer count (for virtual
 * stages given in layers) come from the options when the line does not hold --num-layers.
 */
export interface ParsedMegatron {
  plan: Parallelism;
  globalBatch: number | null;
  /** Flags read but not part of a plan. */
  skipped: string[];
}

/** Switches: flags that take no value. */
const SWITCHES = new Set([
  "--sequence-parallel",
  "--use-distributed-optimizer",
  "--use-megatron-fsdp",
  "--account-for-embedding-in-pipeline-split",
  "--account-for-loss-in-pipeline-split",
  "--bf16",
  "--fp16",
]);

/** Flags that take a list of words (argparse nargs='*'), kept as one space-separated value. */
const LISTS = new Set(["--recompute-modules"]);

/** Splits a shell line into words, keeping single- or double-quoted words whole (no escapes). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The flags of a line as name -> value (null for a switch). */
function flagMap(line: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const w = words(line.replace(/\\\n/g, " "));
  for (let i = 0; i < w.length; i++) {
    if (!w[i].startsWith("--")) continue;
    const [name, inline] = w[i].split(/=(.*)/s, 2);
    if (inline !== undefined) out.set(name, inline);
    else if (LISTS.has(name)) {
      const values: string[] = [];
      while (w[i + 1] !== undefined && !w[i + 1].startsWith("--")) values.push(w[++i]);
      out.set(name, values.join(" "));
    } else if (SWITCHES.has(name) || w[i + 1] === undefined || w[i + 1].startsWith("--")) out.set(name, null);
    else out.set(name, w[++i]);
  }
  return out;
}

const PLAN_FLAGS = new Set([
  ...SWITCHES,
  "--tensor-model-parallel-size",
  "--pipeline-model-parallel-size",
  "--num-layers-per-virtual-pipeline-stage",
  "--num-virtual-stages-per-pipeline-rank",
  "--pipeline-model-parallel-layout",
  "--context-parallel-size",
  "--expert-model-parallel-size",
  "--expert-tensor-parallel-size",
  "--recompute-granularity",
  "--recompute-method",
  "--recompute-num-layers",
  "--recompute-modules",
  "--data-parallel-sharding-strategy",
  "--micro-batch-size",
  "--global-batch-size",
  "--fp8-format",
  "--fp8-recipe",
  "--num-layers",
]);

export function parseMegatronArgs(
  line: string,
  options: { worldSize: number; layers?: number },
): ParsedMegatron {
  const flags = flagMap(line);
  const int = (name: string, fallback: number): number => {
    const v = flags.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v === null || !Number.isInteger(n) || n < 1) {
      throw new InputError({ field: name, value: v, allowed: "a whole number >= 1" });
    }
    return n;
  };
  const tp = int("--tensor-model-parallel-size", 1);
  const pp = int("--pipeline-model-parallel-size", 1);
  const cp = int("--context-parallel-size", 1);
  const layers = int("--num-layers", options.layers ?? 0);
  const dp = options.worldSize / (tp * pp * cp);
  if (!Number.isInteger(dp)) {
    throw new InputError({
      field: "world size",
      value: options.worldSize,
      allowed: `a multiple of tp x pp x cp = ${tp * pp * cp}`,
    });
  }
  const plan: Parallelism = {
    tp,
    pp,
    vpp: virtualStages(flags, pp, layers),
    dp,
    cp,
    ep: int("--expert-model-parallel-size", 1),
    microBatch: int("--micro-batch-size", 1),
    recompute: recomputeFromMegatron(
      flags.get("--recompute-granularity"),
      flags.get("--recompute-method"),
      flags.get("--recompute-num-layers"),
      flags.get("--recompute-modules"),
    ),
    zero: zeroOf(flags),
    sequenceParallel: flags.has("--sequence-parallel"),
    precision: precisionOf(flags),
  };
  const globalBatch = flags.has("--global-batch-size") ? int("--global-batch-size", 1) : null;
  const skipped = [...flags.keys()].filter((f) => !PLAN_FLAGS.has(f));
  return { plan, globalBatch, skipped };
}

function virtualStages(flags: Map<string, string | null>, pp: number, layers: number): number {
  const perRank = flags.get("--num-virtual-stages-per-pipeline-rank");
  if (perRank != null) return wholeStages("--num-virtual-stages-per-pipeline-rank", perRank, Number(perRank));
  const layout = flags.get("--pipeline-model-parallel-layout");
  if (layout) return wholeStages("--pipeline-model-parallel-layout", layout, layout.split("|").length / pp);
  const perStage = flags.get("--num-layers-per-virtual-pipeline-stage");
  if (!perStage) return 1;
  if (layers < 1) {
    throw new InputError({
      field: "--num-layers-per-virtual-pipeline-stage",
      value: perStage,
      allowed: "given with --num-layers (or the model's layer count), to count the virtual stages",
    });
  }
  // The embedding and the loss each take a layer's slot when Megatron is told to account for them.
  const slots =
    layers +
    (flags.has("--account-for-embedding-in-pipeline-split") ? 1 : 0) +
    (flags.has("--account-for-loss-in-pipeline-split") ? 1 : 0);
  return wholeStages("--num-layers-per-virtual-pipeline-stage", perStage, slots / (pp * Number(perStage)));
}

/** A virtual-stage count read from a flag, refused unless it is a whole number >= 1. */
function wholeStages(field: string, value: string, stages: number): number {
  if (!Number.isInteger(stages) || stages < 1) {
    throw new InputError({
      field,
      value,
      allowed: "a setting that gives each pipeline rank a whole number (>= 1) of virtual stages",
    });
  }
  return stages;
}

function zeroOf(flags: Map<string, string | null>): ZeroStage {
  if (flags.has("--use-megatron-fsdp")) {
    const strategy = flags.get("--data-parallel-sharding-strategy") ?? "no_shard";
    const stages: Record<string, ZeroStage> = {
      no_shard: "zero0",
      optim: "zero1",
      optim_grads: "zero2",
      optim_grads_params: "zero3",
    };
    const stage = stages[strategy];
    if (!stage) {
      throw new InputError({
        field: "--data-parallel-sharding-strategy",
        value: strategy,
        allowed: Object.keys(stages).join(", "),
      });
    }
    return stage;
  }
  return flags.has("--use-distributed-optimizer") ? "zero1" : "zero0";
}

function precisionOf(flags: Map<string, string | null>): Precision {
  if (flags.has("--fp8-format")) return "fp8";
  return flags.has("--fp16") ? "fp16" : "bf16";
}
