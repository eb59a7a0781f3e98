import { randomBytes } from "node:crypto";
import { lstatSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";

/**
 * Writes `text` to `path` as a whole or not at all: into a new temporary file beside the target
 * (created exclusively, so it follows no link), then renamed over it. A target that is a symbolic
 * link or not a regular file (a directory, a FIFO, a device) is refused rather than followed or
 * overwritten. Returns the bytes written, for the line that says what was written.
 */
export async function writeFileSafely(path: string, text: string, flag: string): Promise<number> {
  checkTarget(path, flag);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const body = Buffer.from(text, "utf8");
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(body);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new InputError({ field: flag, value: path, allowed: `a writable path (${(e as Error).message})` });
  }
  return body.length;
}

/**
 * The target may be missing (it is created) or a regular file (it is replaced); nothing else. Called
 * again when writing; commands call it first too, so a bad path fails before a long computation.
 */
export function checkTarget(path: string, flag: string): void {
  let stat: ReturnType<typeof lstatSync> | undefined;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) {
    throw new InputError({
      field: flag,
      value: path,
      allowed: "a path that is not a symbolic link (a link is not followed: give the file it points to)",
    });
  }
  if (!stat.isFile()) {
    throw new InputError({
      field: flag,
      value: path,
      allowed: `a regular file or a new file name (this is ${stat.isDirectory() ? "a directory" : "not a regular file"})`,
    });
  }
}

/**
 * Output paths given to one command must differ: a chart written twice to one file keeps only the
 * last, without notice. `given` maps each flag to its path (undefined when not given).
 */
export function checkDistinctOutputs(given: Record<string, string | undefined>): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of Object.entries(given)) {
    if (path === undefined) continue;
    const key = resolve(path);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new InputError({
        field: flag,
        value: path,
        allowed: `a different path from ${other} (both would write the same file)`,
      });
    }
    seen.set(key, flag);
  }
}

/** "wrote FILE (N bytes)" on stderr, so stdout stays the command's output (--json stays JSON). */
export function reportWritten(
  io: { stderr: { write(s: string): unknown } },
  what: string,
  path: string,
  bytes: number,
): void {
  io.stderr.write(`wrote ${what} ${path} (${bytes.toLocaleString("en-US")} bytes)\n`);
}
