import { SCENARIO_SCHEMA_URL, scenarioJsonSchema } from "../../scenario/jsonSchema.js";
import { parseCommandArgs } from "../args.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan schema

Prints the JSON Schema of a scenario file (generated from trainplan's zod schema), for editors that
check YAML or JSON as it is typed. The package ships it as trainplan/scenario.schema.json
(node_modules/trainplan/dist/scenario.schema.json); with the YAML language server, start a scenario with

  # yaml-language-server: $schema=${SCENARIO_SCHEMA_URL}

or save the output (trainplan schema > scenario.schema.json) and point $schema at that file.

Options:
  -h, --help  show this help`;

async function run(args: string[], io: CliIO): Promise<number> {
  parseCommandArgs("schema", args, {});
  writeJson(io, scenarioJsonSchema());
  return 0;
}

export const command: Command = {
  name: "schema",
  summary: "print the JSON Schema of scenario files (for editor validation)",
  usage,
  run,
};
