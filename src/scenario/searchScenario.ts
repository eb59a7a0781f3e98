/**
 * A scenario read as a plan search's input, for `plan --scenario`, `compare --scenario` and the
 * library's planScenario: the run (model, chip, count, batch, precision, stack) and its `constraints:`
 * block. The search chooses the plan, so a field that fixes one (parallelism's sizes, microBatch) is
 * refused with where it belongs instead; so are hardware figures beyond the catalog's, which the
 * search's worker threads do not carry.
 */
import { InputError, inputErrorFromZod } from "../errors.js";
import type { Chip } from "../hardware/schema.js";
import { type PlanConstraints, splitSearchConstraints } from "../plan/constraints.js";
import type { GradientReduce, Precision } from "../plan/schema.js";
import type { Framework, Software } from "../plan/software.js";
import type { Model } from "../workload/schema.js";
import { withCanonicalNames } from "./aliases.js";
import { huggingFaceModel } from "./parse.js";
import { resolveChip, resolveModel } from "./resolveNames.js";
import { ScenarioSchema } from "./schema.js";

/** The run a scenario describes, for a plan search; each optional field is undefined when unsaid. */
export interface SearchScenario {
  id: string;
  model: Model;
  /** Set when `model` was a preset name. */
  modelPresetId?: string;
  chip: Chip;
  /** hardware.count. */
  chips: number;
  seqLen: number;
  globalBatch?: number;
  precision?: Precision;
  /** The stack's knobs, the scenario's top-level attentionKernel and gradientReduce among them. */
  software?: Software;
  constraints?: PlanConstraints;
  /** constraints.framework, else software.framework: the stack the search keeps to. */
  framework?: Framework;
  /** What reading it assumed (a Hugging Face config's guesses). */
  notes: string[];
}

/** The parallelism fields that fix a plan, and the constraint each would be. */
const PLAN_FIELDS = ["tp", "pp", "vpp", "dp", "cp", "ep", "sequenceParallel", "zero", "recompute"] as const;
const CATALOG_ONLY = ["overrides", "chipsPerNode", "neuronCoresPerChip"] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const given = (o: Record<string, unknown> | undefined, key: string) =>
  o !== undefined && o[key] !== undefined && o[key] !== null;

/** A field the search cannot take, with where its meaning goes instead. */
function refuseFixedPlan(raw: Record<string, unknown>, f: (field: string) => string): void {
  const parallelism = isRecord(raw.parallelism) ? raw.parallelism : undefined;
  for (const key of PLAN_FIELDS) {
    if (!given(parallelism, key)) continue;
    throw new InputError({
      field: f(`parallelism.${key}`),
      value: parallelism?.[key],
      allowed: `nothing here: plan and compare search the parallelism; to fix or bound it, write constraints: { ${key}: ... } (simulate evaluates a given plan)`,
    });
  }
  if (given(raw, "microBatch")) {
    throw new InputError({
      field: f("microBatch"),
      value: raw.microBatch,
      allowed:
        "nothing here: plan and compare search the micro-batch; write constraints: { microBatch: ... }",
    });
  }
  if (parallelism?.unit === "neuroncore") {
    throw new InputError({
      field: f("parallelism.unit"),
      value: "neuroncore",
      allowed: "chip (the search counts chips)",
    });
  }
  const hardware = isRecord(raw.hardware) ? raw.hardware : undefined;
  for (const key of CATALOG_ONLY) {
    if (!given(hardware, key)) continue;
    throw new InputError({
      field: f(`hardware.${key}`),
      value: hardware?.[key],
      allowed:
        "nothing here: plan and compare search the catalog's chip as it is (simulate takes hardware overrides)",
    });
  }
}

/**
 * The top-level attentionKernel and gradientReduce are shorthands of the software knobs (as the engine
 * reads them, engine/run.ts): folded in, so one value reaches every search; two different values are refused.
 */
function withShorthands(
  software: Software | undefined,
  s: { attentionKernel?: Software["attentionKernel"] | null; gradientReduce?: GradientReduce | null },
  f: (field: string) => string,
): Software | undefined {
  let out = software;
  for (const key of ["attentionKernel", "gradientReduce"] as const) {
    const shorthand = s[key];
    if (shorthand == null) continue;
    if (out?.[key] != null && out[key] !== shorthand) {
      throw new InputError({
        field: f(key),
        value: shorthand,
        allowed: `the same value as software.${key} (${out[key]}), or only one of the two`,
      });
    }
    out = { ...out, [key]: shorthand };
  }
  return out;
}

/** Both a stack in `software` and one in `constraints` must name the same framework. */
function stackOf(
  constraint: Framework | undefined,
  software: Software | undefined,
  f: (field: string) => string,
): Framework | undefined {
  const named = software?.framework;
  if (constraint !== undefined && named !== undefined && constraint !== named) {
    throw new InputError({
      field: f("constraints.framework"),
      value: constraint,
      allowed: `the framework software.framework names (${named}), or only one of the two`,
    });
  }
  return constraint ?? named;
}

/** Reads a raw scenario (parsed YAML or JSON) as a search's input; throws InputError. */
export function searchScenario(input: unknown, prefix = ""): SearchScenario {
  const f = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const canonical = withCanonicalNames(input, prefix);
  if (!isRecord(canonical)) {
    throw new InputError({
      field: prefix || "scenario",
      value: canonical,
      allowed: "a scenario (a mapping)",
    });
  }
  refuseFixedPlan(canonical, f);
  const imported = huggingFaceModel(canonical, f("model"));
  const raw = (imported?.raw ?? canonical) as Record<string, unknown>;
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, raw, prefix, ScenarioSchema);
  const s = parsed.data;
  const { model, modelPresetId } = resolveModel(s.model, f("model"));
  const { constraints, framework } = splitSearchConstraints(s.constraints);
  const software = withShorthands(s.software ?? undefined, s, f);
  const out: SearchScenario = {
    id: s.id,
    model,
    chip: resolveChip(s.hardware.chip, f("hardware.chip")),
    chips: s.hardware.count,
    seqLen: model.seqLen,
    notes: [...(imported?.notes ?? [])],
  };
  if (modelPresetId) out.modelPresetId = modelPresetId;
  if (s.globalBatch != null) out.globalBatch = s.globalBatch;
  // precision has a default in the schema; only a precision the file states is the scenario's.
  if (given(raw, "precision")) out.precision = s.precision;
  if (software) out.software = software;
  if (constraints) out.constraints = constraints;
  const stack = stackOf(framework, software, f);
  if (stack) out.framework = stack;
  return out;
}

/**
 * The precision a search of a scenario asks for: the one given (a flag, else the file's), else what its
 * `constraints.precision` lists (several: auto), else undefined (the default applies). A given precision
 * the list excludes is refused: the search would keep to both and find nothing (plan, compare and
 * planScenario alike).
 */
export function searchPrecision<P extends Precision | "auto">(
  given: P | undefined,
  field: string,
  listed: readonly Precision[] | undefined,
): P | Precision | "auto" | undefined {
  if (!listed || listed.length === 0) return given;
  if (given === undefined) return listed.length > 1 ? "auto" : listed[0];
  if (given !== "auto" && !listed.includes(given as Precision)) {
    throw new InputError({
      field,
      value: given,
      allowed: `a precision constraints.precision lists (${listed.join(", ")}), or only one of the two: the search keeps to both and would find no plan`,
    });
  }
  return given;
}
