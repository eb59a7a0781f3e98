import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { InputError } from "../errors.js";
import { MAX_SCENARIO_TEXT_CHARS } from "../scenario/readText.js";

/** Largest input file read, bytes: the scenario text cap (a character is at least one byte). */
const MAX_INPUT_BYTES = MAX_SCENARIO_TEXT_CHARS;

/**
 * Everything piped into standard input; a terminal there (nothing piped) is an InputError, not a hang.
 * Reading stops past MAX_INPUT_BYTES, as it does for a file.
 */
export async function readProcessStdin(field = "file"): Promise<string> {
  if (process.stdin.isTTY) {
    throw new InputError({
      field,
      value: "-",
      allowed:
        "a scenario piped into standard input (`cat run.yaml | trainplan simulate -`); stdin is a terminal",
    });
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.from(chunk);
    bytes += buffer.length;
    if (bytes > MAX_INPUT_BYTES) {
      throw new InputError({
        field,
        value: "-",
        allowed: `standard input of at most ${MAX_INPUT_BYTES.toLocaleString("en-US")} bytes`,
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads a text file for a command; a missing or unreadable file is an InputError, not a crash.
 * `-` reads standard input (through `stdin` when given, as tests do). Only a regular file is read,
 * and only up to MAX_INPUT_BYTES: a FIFO or a device would block or never end.
 * The file is opened non-blocking (a FIFO without a writer would otherwise hang the open itself) and
 * checked on the open handle, so what is checked is what is read.
 */
export async function readInputFile(
  path: string,
  field = "file",
  stdin: (field: string) => Promise<string> = readProcessStdin,
): Promise<string> {
  if (path === "-") return stdin(field);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = await handle.stat();
    if (!stat.isFile()) {
      const kind = stat.isDirectory()
        ? "a directory"
        : stat.isFIFO()
          ? "a pipe (FIFO)"
          : "not a regular file";
      throw new InputError({ field, value: path, allowed: `a regular YAML or JSON file (this is ${kind})` });
    }
    if (stat.size > MAX_INPUT_BYTES) {
      throw new InputError({
        field,
        value: path,
        allowed: `a file of at most ${MAX_INPUT_BYTES.toLocaleString("en-US")} bytes (this one has ${stat.size.toLocaleString("en-US")})`,
      });
    }
    return await handle.readFile("utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({ field, value: path, allowed: unreadable(e) });
  } finally {
    await handle?.close();
  }
}

function unreadable(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "a path to an existing YAML or JSON file (no such file)";
  if (code === "EISDIR") return "a file, not a directory";
  if (code === "EACCES") return "a readable file (permission denied)";
  return `a readable file (${(e as Error).message})`;
}
