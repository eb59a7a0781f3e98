/** CLI entry (bundled to dist/cli.js; bin/trainplan.js calls main). */

export { parseCommandArgs } from "./args.js";
export { readInputFile } from "./io.js";
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main, VERSION } from "./main.js";
export { writeJson } from "./output.js";
export { commands, findCommand } from "./registry.js";
export type { CliIO, Command } from "./types.js";
