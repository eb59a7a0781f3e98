import { writeFile } from "node:fs/promises";
import type { PriceSource } from "../compare/economics.js";
import { InputError } from "../errors.js";
import { assertFinite, formatUsd } from "../report/format.js";
import type { CliIO } from "./types.js";

/** Prints a value as indented JSON after checking it holds no NaN/Infinity (JSON would hide them as null). */
export function writeJson(io: CliIO, value: unknown): void {
  assertFinite(value);
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes an SVG chart to `path` (which must end in .svg), naming `flag` when it cannot. */
export async function writeChart(path: string, svg: string, flag: string): Promise<void> {
  if (!/\.svg$/i.test(path))
    throw new InputError({ field: flag, value: path, allowed: "a file name ending in .svg" });
  try {
    await writeFile(path, svg, "utf8");
  } catch (e) {
    throw new InputError({ field: flag, value: path, allowed: `a writable path (${(e as Error).message})` });
  }
}

/** Progress on stderr for a terminal: one line rewritten in place. */
export function progressLine(io: CliIO, label: string): ((done: number, total: number) => void) | undefined {
  if (!io.isTTY) return undefined;
  return (done, total) => {
    io.stderr.write(`\r${label}: ${done}/${total} plan searches`);
    if (done === total) io.stderr.write("\n");
  };
}

/** One line saying where a chip's price came from (catalog instance and source, the user's, or missing). */
export function describePrice(chip: string, s: PriceSource | null): string {
  if (s === null) return `${chip}: no plan, no price needed`;
  if (s.kind === "missing") return `${chip}: ${s.reason}`;
  if (s.kind === "override") return `${chip}: ${s.note} (your price)`;
  return `${chip}: ${formatUsd(s.usdPerInstanceHour)}/h ${s.instance} ${s.pricing} ${s.region} (${s.period}); ${s.title}, ${s.url}, seen ${s.dateSeen}`;
}
