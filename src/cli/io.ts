import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";

/** Reads a text file for a command; a missing or unreadable file is an InputError, not a crash. */
export async function readInputFile(path: string, field = "file"): Promise<string> {
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
