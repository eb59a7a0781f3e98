/**
 * Raw scenario value -> resolved scenario: validated by the schema, names resolved (resolveNames.ts),
 * checked (checks.ts), what is unsaid assumed and stated (defaults.ts). Text is read in readText.ts.
 */
import { checkRecomputeModules } from "../engine/inputChecks.js";
import { InputError, inputErrorFromZod } from "../errors.js";
import type { Chip } from "../hardware/schema.js";
import { isHuggingFaceConfig } from "../workload/huggingFace.js";
import type { Model } from "../workload/schema.js";
import { withCanonicalNames } from "./aliases.js";
import {
  checkHeads,
  checkLayout,
  checkMoe,
  checkNeuronCores,
  checkOffload,
  checkPrecision,
} from "./checks.js";
import { assumedGlobalBatch, scenarioDp, unreadFieldNotes, withWindowFromNotes } from "./defaults.js";
import { modelFromValue } from "./modelValue.js";
import { resolveChip, resolveModel } from "./resolveNames.js";
import { type Scenario, ScenarioSchema } from "./schema.js";
import { type LayoutField, searchedLayoutFields } from "./searchedLayout.js";

/** A validated scenario whose model is resolved (presets expanded) and whose chip exists. */
export type ResolvedScenarioInput = Omit<Scenario, "model" | "globalBatch"> & {
  model: Model;
  /** The catalog chip `hardware.chip` names (overrides not yet applied). */
  chip: Chip;
  globalBatch: number;
  /** What was assumed or adjusted while reading the scenario (shown with the prediction). */
  assumptions: string[];
  /** Set when `model` was given as a preset name. */
  modelPresetId?: string;
  /**
   * Layout sizes the scenario left out, for the plan search to choose (searchedLayout.ts); set only
   * when parsed with `searchOmittedLayout`, which also leaves the checks of those sizes to the search.
   */
  omittedLayout?: LayoutField[];
};

export interface ParseOptions {
  /**
   * Published runs sometimes print a layout that does not multiply out, or a batch that does not
   * divide: a validation case must still be predicted, so lenient parsing derives what it can,
   * states the adjustment, and only rejects what cannot be simulated at all.
   */
  lenient?: boolean;
  /**
   * `simulate`: layout sizes left out are chosen by the plan search, so they are not checked here at
   * the schema's defaults (tp 1, pp 1, ...), and an unpublished global batch is not rounded to a dp not
   * yet known. The resolved plan is checked after the search (engine/inputChecks.ts).
   */
  searchOmittedLayout?: boolean;
}

/**
 * Validates a raw scenario object (ScenarioSchema), resolves a preset model name, checks the chip
 * exists, and checks that the parallel layout fits the model and the hardware. Throws InputError.
 * `prefix` is prepended to field names (e.g. "cases[3]").
 */
export function parseScenario(
  given: unknown,
  prefix = "",
  options: ParseOptions = {},
): ResolvedScenarioInput {
  const f = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const canonical = withCanonicalNames(given, prefix);
  const imported = huggingFaceModel(canonical, f("model"));
  const parsed = ScenarioSchema.safeParse(imported?.raw ?? canonical);
  if (!parsed.success) {
    throw inputErrorFromZod(parsed.error, imported?.raw ?? canonical, prefix, ScenarioSchema);
  }
  const s = parsed.data;
  const assumptions: string[] = [...(imported?.notes ?? [])];

  const resolved = resolveModel(s.model, f("model"));
  const model = withWindowFromNotes(resolved.model, assumptions);
  const modelPresetId = resolved.modelPresetId;
  const chip = resolveChip(s.hardware.chip, f("hardware.chip"));
  const omitted = options.searchOmittedLayout ? searchedLayoutFields(canonical, model) : [];
  const searched = omitted.length > 0;
  const globalBatch =
    s.globalBatch ?? assumedGlobalBatch(s, model, chip, assumptions, searched ? null : undefined);
  const withBatch = { ...s, globalBatch };
  checkHeads(s.parallelism.tp, model, f);
  checkRecomputeModules(s.parallelism.recompute, model, f("parallelism.recompute"));
  const dp = searched
    ? (s.parallelism.dp ?? scenarioDp(withBatch, chip))
    : guarded(
        options,
        assumptions,
        () => checkLayout(withBatch, model, chip, f),
        () => scenarioDp(withBatch, chip),
      );
  if (!searched) {
    guarded(
      options,
      assumptions,
      () => checkMoe(s, model, dp, f),
      () => undefined,
    );
  }
  // Lenient: the engine runs such a case at the bf16 rate and says so (engine/resolvePlan.ts, precisionNotes).
  if (!options.lenient) {
    checkPrecision(s.precision, chip, f);
    checkNeuronCores(s.hardware.neuronCoresPerChip, chip, f);
    // A validation case records its source's fields; a user's scenario is told which ones do nothing.
    assumptions.push(...unreadFieldNotes(s, chip));
  }
  const recompute = guarded(
    options,
    assumptions,
    () => checkOffload(s.parallelism.recompute, chip, f),
    () => "full" as const,
  );

  const out: ResolvedScenarioInput = {
    ...s,
    model,
    globalBatch,
    assumptions,
    chip,
    hardware: { ...s.hardware, chip: chip.id },
    parallelism: { ...s.parallelism, dp, recompute },
  };
  if (modelPresetId) out.modelPresetId = modelPresetId;
  if (searched) out.omittedLayout = omitted;
  return out;
}

/** A scenario whose `model` is a Hugging Face config.json, with that model read as trainplan's. */
export function huggingFaceModel(raw: unknown, label: string): { raw: object; notes: string[] } | undefined {
  if (raw === null || typeof raw !== "object" || !("model" in raw)) return undefined;
  if (!isHuggingFaceConfig(raw.model)) return undefined;
  const reading = modelFromValue(raw.model, label);
  return { raw: { ...raw, model: reading.model }, notes: reading.notes };
}

/**
 * In lenient mode, a failed check becomes a stated adjustment and the fallback's value is used. Only
 * checks a published run may fail go through here; one no run fails (checkHeads) is called directly,
 * so it stays an error.
 */
function guarded<T>(options: ParseOptions, assumptions: string[], check: () => T, fallback: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!options.lenient || !(e instanceof InputError)) throw e;
    assumptions.push(`published layout adjusted: ${e.message}`);
    return fallback();
  }
}

// ---------------------------------------------------------------------------------------------
// Lists (validation files)

export type ScenarioListItem =
  | { ok: true; scenario: ResolvedScenarioInput }
  | { ok: false; id: string; error: InputError };

/**
 * Parses a list of scenarios (a validation file). Each case is checked on its own so one bad
 * case does not hide the others. A non-list input throws.
 */
export function parseScenarioList(raw: unknown, options: ParseOptions = {}): ScenarioListItem[] {
  if (!Array.isArray(raw)) {
    throw new InputError({
      field: "input",
      value: raw,
      allowed: "a list of scenarios (a JSON or YAML array)",
    });
  }
  if (raw.length === 0) {
    throw new InputError({
      field: "input",
      value: raw,
      allowed: "a list of at least one scenario: this one is empty",
    });
  }
  return raw.map((item, i): ScenarioListItem => {
    const id = caseId(item, i);
    try {
      return { ok: true, scenario: parseScenario(item, `[${i}]`, options) };
    } catch (e) {
      if (e instanceof InputError) return { ok: false, id, error: e };
      throw e;
    }
  });
}

function caseId(item: unknown, i: number): string {
  const id = item && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 ? id : `case ${i}`;
}
