/**
 * The one call from scenario text to a prediction, for the library: read (readText.ts), check and
 * resolve (parse.ts), fill what it leaves unsaid (simulationInput.ts), simulate. The CLI's `simulate`
 * takes the same steps (simulateResolved), plus reading files.
 */

import { type SimulationResult, simulate } from "../engine/simulate.js";
import { checkPlanConstraints } from "./checks.js";
import { parseScenario, type ResolvedScenarioInput } from "./parse.js";
import { parseScenarioText } from "./readText.js";
import { type SimulationInputOptions, simulationInputOf } from "./simulationInput.js";

export interface ScenarioOptions extends SimulationInputOptions {
  /** Names the text in error messages and picks the syntax by extension (.json, .yaml). */
  fileName?: string;
}

/** A scenario (YAML or JSON text, or the parsed value) simulated; throws InputError on bad input. */
export function simulateScenario(
  scenario: string | object,
  options: ScenarioOptions = {},
): { scenario: ResolvedScenarioInput; result: SimulationResult } {
  const raw = typeof scenario === "string" ? parseScenarioText(scenario, options.fileName) : scenario;
  const resolved = parseScenario(raw, "", { searchOmittedLayout: true });
  return { scenario: resolved, result: simulateResolved(resolved, options) };
}

/**
 * A resolved scenario simulated (simulationInputOf), its plan checked against its constraints: what
 * `trainplan simulate` and simulateScenario answer. Throws InputError.
 */
export function simulateResolved(
  resolved: ResolvedScenarioInput,
  options: SimulationInputOptions = {},
): SimulationResult {
  const { input } = simulationInputOf(resolved, options);
  const result = simulate(input, options);
  checkPlanConstraints(result.parallelism, resolved.constraints, undefined, input.software?.framework);
  return result;
}
