/**
 * The one call from scenario text to a prediction, for the library: read (readText.ts), check and
 * resolve (parse.ts), what the source implies (softwareStack.ts), simulate. The CLI's `simulate` takes
 * the same steps, plus reading files.
 */

import { type SimulationOptions, type SimulationResult, simulate } from "../engine/simulate.js";
import { checkPlanConstraints } from "./checks.js";
import { scenarioToInput } from "./fromScenario.js";
import { parseScenario, type ResolvedScenarioInput } from "./parse.js";
import { parseScenarioText } from "./readText.js";
import { omittedLayoutFields, withSearchedLayout } from "./searchedLayout.js";
import { withSourceInference } from "./softwareStack.js";

export interface ScenarioOptions extends SimulationOptions {
  /** Names the text in error messages and picks the syntax by extension (.json, .yaml). */
  fileName?: string;
}

/** A scenario (YAML or JSON text, or the parsed value) simulated; throws InputError on bad input. */
export function simulateScenario(
  scenario: string | object,
  options: ScenarioOptions = {},
): { scenario: ResolvedScenarioInput; result: SimulationResult } {
  const raw = typeof scenario === "string" ? parseScenarioText(scenario, options.fileName) : scenario;
  const resolved = parseScenario(raw);
  const input = withSourceInference(resolved, scenarioToInput(resolved));
  const searched = withSearchedLayout(input, omittedLayoutFields(raw), options, resolved.constraints);
  const result = simulate(searched, options);
  checkPlanConstraints(result.parallelism, resolved.constraints);
  return { scenario: resolved, result };
}
