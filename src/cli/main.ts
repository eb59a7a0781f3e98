import pkg from "../../package.json" with { type: "json" };
import { InputError, suggest } from "../errors.js";

import { commandNames, commands, findCommand } from "./registry.js";
import type { CliIO } from "./types.js";

export const VERSION: string = pkg.version;

/** Exit codes: 0 ok, 1 unexpected failure (a bug or environment problem), 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function topUsage(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join("\n");
  return `trainplan ${VERSION}: plan LLM training runs on NVIDIA GPUs and AWS Trainium

Usage: trainplan <command> [options]

Commands:
${list}

Run "trainplan <command> --help" for a command's options.
Set TRAINPLAN_DEBUG=1 to print stack traces of unexpected errors.
`;
}

function defaultIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}

/**
 * Runs one CLI invocation and returns its exit code; never calls process.exit, so tests can run
 * it in-process. Input errors print one paragraph (no stack trace) and exit 2.
 */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const target = name === "help" && rest[0] ? rest[0] : undefined;
      if (!target) {
        io.stdout.write(topUsage());
        return name === undefined ? EXIT_USAGE : EXIT_OK;
      }
      return printHelp(target, io);
    }
    if (name === "--version" || name === "-V" || name === "-v") {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    const command = findCommand(name);
    if (!command) throw unknownCommand(name);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(`${command.usage.trimEnd()}\n`);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (e) {
    return reportError(e, io);
  }
}

function printHelp(target: string, io: CliIO): number {
  const command = findCommand(target);
  if (!command) throw unknownCommand(target);
  io.stdout.write(`${command.usage.trimEnd()}\n`);
  return EXIT_OK;
}

function unknownCommand(name: string): InputError {
  return new InputError({
    field: "command",
    value: name,
    allowed: `one of ${commandNames().join(", ")} (run trainplan --help)`,
    suggestion: suggest(name, commandNames()),
  });
}

function reportError(e: unknown, io: CliIO): number {
  if (e instanceof InputError) {
    io.stderr.write(`error: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const debug = (io.env ?? process.env).TRAINPLAN_DEBUG === "1";
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`trainplan: unexpected error: ${err.message}\n`);
  if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
  else io.stderr.write("(set TRAINPLAN_DEBUG=1 for a stack trace; please report it)\n");
  return EXIT_FAILURE;
}
