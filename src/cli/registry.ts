import { command as calibrate } from "./commands/calibrate.js";
import { command as capacity } from "./commands/capacity.js";
import { command as chips } from "./commands/chips.js";
import { command as compare } from "./commands/compare.js";
import { command as models } from "./commands/models.js";
import { command as plan } from "./commands/plan.js";
import { command as schema } from "./commands/schema.js";
import { command as simulate } from "./commands/simulate.js";
import { command as validate } from "./commands/validate.js";
import { command as web } from "./commands/web.js";
import type { Command } from "./types.js";

/**
 * Every subcommand, in the order `trainplan --help` lists them. To add one: create
 * src/cli/commands/<name>.ts exporting `command: Command`, import it here, add it to the list.
 */
export const commands: readonly Command[] = [
  simulate,
  plan,
  compare,
  capacity,
  validate,
  calibrate,
  models,
  chips,
  schema,
  web,
];

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}

export function commandNames(): string[] {
  return commands.map((c) => c.name);
}
