import type { PlanConstraints } from "../plan/constraints.js";
import { constraintFlag, constraintText, TEXT_DIMENSIONS } from "../plan/constraintText.js";
import type { Framework } from "../plan/software.js";
import { type SearchScenario, searchScenario } from "../scenario/searchScenario.js";
import { readScenarioFile } from "./scenarioFile.js";
import type { CliIO } from "./types.js";

/**
 * `plan --scenario FILE` and `compare --scenario FILE`: the run and its constraints from a scenario
 * file, with the command line's flags over it. A flag that replaces what the file says wins, and a
 * note says so: the user sees which of two answers was taken.
 */

/** --scenario's file read as a search's input (undefined without --scenario), and what reading it assumed. */
export async function readSearchScenario(
  values: Record<string, unknown>,
  io: CliIO,
): Promise<SearchScenario | undefined> {
  if (typeof values.scenario !== "string") return undefined;
  const { raw, modelNotes } = await readScenarioFile(values.scenario, io, "--scenario");
  const scenario = searchScenario(raw);
  scenario.notes.unshift(...modelNotes);
  return scenario;
}

/** The note for a flag that replaces the scenario's value of a field. */
export function replacedNote(flag: string, flagValue: string, field: string, fileValue: string): string {
  return `${flag} ${flagValue} replaces the scenario's ${field} (${fileValue}): the command line wins`;
}

/** The scenario's constraints and stack under the flags': a dimension both give takes the flag's value. */
export function withFlagConstraints(
  file: Pick<SearchScenario, "constraints" | "framework"> | undefined,
  flags: { constraints: PlanConstraints | undefined; framework: Framework | undefined },
): { constraints: PlanConstraints | undefined; framework: Framework | undefined; notes: string[] } {
  const notes: string[] = [];
  for (const d of TEXT_DIMENSIONS) {
    const mine = file?.constraints?.[d];
    const theirs = flags.constraints?.[d];
    if (mine === undefined || theirs === undefined) continue;
    const [a, b] = [constraintText(theirs), constraintText(mine)];
    if (a !== b) notes.push(replacedNote(constraintFlag(d), a, `constraints.${d}`, b));
  }
  if (file?.framework && flags.framework && file.framework !== flags.framework) {
    notes.push(replacedNote("--framework", flags.framework, "stack", file.framework));
  }
  const merged = { ...file?.constraints, ...flags.constraints };
  return {
    constraints: Object.keys(merged).length > 0 ? merged : undefined,
    framework: flags.framework ?? file?.framework,
    notes,
  };
}
