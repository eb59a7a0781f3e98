import type { PriceSource } from "../compare/economics.js";
import { InputError } from "../errors.js";
import { assertFinite, formatUsd } from "../report/format.js";
import { checkTarget, reportWritten, writeFileSafely } from "./safeWrite.js";
import type { CliIO } from "./types.js";

/** Prints a value as indented JSON after checking it holds no NaN/Infinity (JSON would hide them as null). */
export function writeJson(io: CliIO, value: unknown): void {
  assertFinite(value);
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Checks a chart path before anything is computed: it ends in .svg and is a new or regular file. */
export function checkChartPath(path: string, flag: string): void {
  if (!/\.svg$/i.test(path))
    throw new InputError({ field: flag, value: path, allowed: "a file name ending in .svg" });
  checkTarget(path, flag);
}

/** Writes an SVG chart to `path` whole (safeWrite.ts), naming `flag` when it cannot, and says what it wrote. */
export async function writeChart(io: CliIO, path: string, svg: string, flag: string): Promise<void> {
  checkChartPath(path, flag);
  reportWritten(io, "chart", path, await writeFileSafely(path, svg, flag));
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
