/**
 * A resolved scenario as the engine's input, every field it leaves unsaid filled and stated: the stack
 * its source implies (softwareStack.ts), the layout sizes it leaves out from the plan search
 * (searchedLayout.ts), and under `--fill-unpublished rules` the rules kept to its constraints
 * (rulesWithinConstraints.ts). The one path of `simulate` (CLI and library) and `validate`, so the
 * same case gets the same prediction from each.
 */
import type { SimulationInput, SimulationOptions } from "../engine/simulate.js";
import type { UnpublishedFill } from "../plan/unpublishedFill.js";
import { scenarioToInput } from "./fromScenario.js";
import type { ResolvedScenarioInput } from "./parse.js";
import { withRulesWithinConstraints } from "./rulesWithinConstraints.js";
import { withSearchedLayout } from "./searchedLayout.js";
import { withSourceInference } from "./softwareStack.js";

export interface SimulationInputOptions extends SimulationOptions {
  /** How the unpublished plan fields are filled (default DEFAULT_UNPUBLISHED_FILL). */
  unpublishedFill?: UnpublishedFill;
}

/** The engine's input, and what filling it added to the assumptions (the layout and rules' choices). */
export function simulationInputOf(
  scenario: ResolvedScenarioInput,
  options: SimulationInputOptions = {},
): { input: SimulationInput; filled: string[] } {
  const input = withSourceInference(scenario, scenarioToInput(scenario));
  if (options.unpublishedFill !== undefined) input.unpublishedFill = options.unpublishedFill;
  const before = input.assumptions?.length ?? 0;
  const searched = withSearchedLayout(input, scenario.omittedLayout ?? [], options, scenario.constraints);
  const filled = withRulesWithinConstraints(searched, scenario.constraints, options);
  return { input: filled, filled: (filled.assumptions ?? []).slice(before) };
}
