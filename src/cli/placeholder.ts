import type { CliIO, Command } from "./types.js";

/** A registered command whose implementation has not landed yet: says so and exits 1. */
export function notImplemented(name: string, summary: string): Command {
  return {
    name,
    summary,
    usage: `Usage: trainplan ${name} [options]\n\n${summary}\n\n(not implemented yet)`,
    async run(_args: string[], io: CliIO): Promise<number> {
      io.stderr.write(`trainplan ${name}: not implemented yet\n`);
      return 1;
    },
  };
}
