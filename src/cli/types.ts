/** Where a command writes; process streams in the binary, string buffers in tests. */
export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** True when stdout is a terminal (commands may then add colour or width-aware layout). */
  isTTY: boolean;
  /** Environment variables (TRAINPLAN_DEBUG); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** What `-` reads as a file (standard input); defaults to process.stdin. */
  readStdin?: (field: string) => Promise<string>;
}

/**
 * One subcommand. Each lives in src/cli/commands/<name>.ts (beside the helpers it alone uses, such as planInput.ts)
 * and is listed in registry.ts.
 * `run` gets the arguments after the command name and returns the exit code; it throws
 * InputError for bad input (the dispatcher prints it and exits 2).
 */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text printed by `trainplan <name> --help`. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}
