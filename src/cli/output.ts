import { assertFinite } from "../report/format.js";
import type { CliIO } from "./types.js";

/** Prints a value as indented JSON after checking it holds no NaN/Infinity (JSON would hide them as null). */
export function writeJson(io: CliIO, value: unknown): void {
  assertFinite(value);
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
