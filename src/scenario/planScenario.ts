/**
 * The one call from scenario text to the best plans, for the library: the scenario read as a search's
 * input (searchScenario.ts, its `constraints:` block included), then searchPlans. `trainplan plan
 * --scenario` takes the same steps, with flags over the file and the searches on worker threads.
 */
import type { ProfileFile } from "../hardware/profile.js";
import { RUN_DEFAULTS, workloadDefaults } from "../plan/runDefaults.js";
import { searchPlans } from "../search/searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import { parseScenarioText } from "./readText.js";
import { type SearchScenario, searchPrecision, searchScenario } from "./searchScenario.js";

export interface PlanScenarioOptions {
  /** Names the text in error messages and picks the syntax by extension (.json, .yaml). */
  fileName?: string;
  profiles?: ProfileFile;
  /** Plans to return, best first (default 5, as `trainplan plan`). */
  top?: number;
}

/** The search a scenario asks for, every default applied and stated in `notes`. */
export function searchRequestOf(
  s: SearchScenario,
  options: Omit<PlanScenarioOptions, "fileName"> = {},
): { request: PlanSearchRequest; notes: string[] } {
  const { globalBatch, batchDefault } = workloadDefaults(s.model, {
    seqLen: s.seqLen,
    globalBatch: s.globalBatch,
  });
  const notes = [...s.notes];
  if (batchDefault) notes.push(batchDefault.note);
  const precision = searchPrecision(s.precision, "precision", s.constraints?.precision);
  if (precision === undefined) notes.push(`precision ${RUN_DEFAULTS.precision} (the default)`);
  const request: PlanSearchRequest = {
    model: s.model,
    chip: s.chip,
    chips: s.chips,
    seqLen: s.seqLen,
    globalBatch,
    precision: precision ?? RUN_DEFAULTS.precision,
    top: options.top ?? 5,
  };
  if (options.profiles) request.profiles = options.profiles;
  if (s.software) request.software = s.software;
  if (s.constraints) request.constraints = s.constraints;
  if (s.framework) request.framework = s.framework;
  return { request, notes };
}

/** A scenario (YAML or JSON text, or the parsed value) searched for its best plans; throws InputError. */
export function planScenario(
  scenario: string | object,
  options: PlanScenarioOptions = {},
): { scenario: SearchScenario; notes: string[]; result: PlanSearchResult } {
  const raw = typeof scenario === "string" ? parseScenarioText(scenario, options.fileName) : scenario;
  const read = searchScenario(raw);
  const { request, notes } = searchRequestOf(read, options);
  return { scenario: read, notes, result: searchPlans(request) };
}
