import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";

/** Everything piped into standard input; a terminal there (nothing piped) is an InputError, not a hang. */
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
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads a text file for a command; a missing or unreadable file is an InputError, not a crash.
 * `-` reads standard input (through `stdin` when given, as tests do).
 */
export async function readInputFile(
  path: string,
  field = "file",
  stdin: (field: string) => Promise<string> = readProcessStdin,
): Promise<string> {
  if (path === "-") return stdin(field);
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    const allowed =
      code === "ENOENT"
        ? "a path to an existing YAML or JSON file (no such file)"
        : code === "EISDIR"
          ? "a file, not a directory"
          : code === "EACCES"
            ? "a readable file (permission denied)"
            : `a readable file (${(e as Error).message})`;
    throw new InputError({ field, value: path, allowed });
  }
}
