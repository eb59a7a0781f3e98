/**
 * Scenario text -> raw value: JSON or YAML, with a syntax error turned into an InputError that names
 * the file, line and column and quotes the line. Nothing here knows the scenario's shape (parse.ts).
 */
import { parseDocument } from "yaml";
import { InputError } from "../errors.js";

/**
 * Parses scenario text as JSON or YAML: by extension (.json / .yaml / .yml) when a file name is
 * given, otherwise JSON if it starts with `{` or `[`, else YAML. Syntax errors become an
 * InputError naming the file, line and problem.
 */
export function parseScenarioText(given: string, fileName?: string): unknown {
  const name = fileName ?? "input";
  // A byte-order mark (Windows editors write one) is how the file is encoded, not what it says.
  const text = given.startsWith("\uFEFF") ? given.slice(1) : given;
  const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  const looksJson = /^\s*[[{]/.test(text);
  const asJson = ext === "json" || (ext !== "yaml" && ext !== "yml" && looksJson);
  if (text.length > MAX_SCENARIO_TEXT_CHARS) {
    throw new InputError({
      field: name,
      value: `${text.length.toLocaleString("en-US")} characters`,
      allowed: `a scenario of at most ${MAX_SCENARIO_TEXT_CHARS.toLocaleString("en-US")} characters (the largest validation set is about 250 kB)`,
    });
  }
  if (text.includes("\u0000")) {
    throw new InputError({
      field: name,
      value: "binary data",
      allowed: "a scenario in YAML or JSON text; this file holds NUL bytes, as a binary file does",
    });
  }
  if (text.trim() === "") {
    throw new InputError({
      field: name,
      value: "",
      allowed: "a scenario in YAML or JSON; the file is empty",
    });
  }
  return asJson ? parseJson(text, name) : parseYaml(text, name);
}

/** Longest scenario text read (characters): a size cap, so no input costs unbounded time or memory. */
export const MAX_SCENARIO_TEXT_CHARS = 4_000_000;

/** Aliases one YAML document may expand: a scenario needs few; an "alias bomb" needs millions. */
const MAX_YAML_ALIASES = 100;

function parseYaml(text: string, name: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const col = err.linePos?.[0]?.col;
    throw syntaxError(name, "YAML", text, firstLine(err.message), line, col);
  }
  if (doc.contents === null) {
    throw new InputError({
      field: name,
      value: text.trim().split("\n")[0],
      allowed: "a scenario in YAML or JSON; the file holds only comments",
    });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    // The yaml package resolves aliases here, not while parsing: an alias with no anchor before it,
    // or one that expands without bound, is bad input, not a crash.
    throw new InputError({
      field: name,
      value: firstLine((e as Error).message),
      allowed: `YAML whose aliases (*name) each follow their anchor (&name) and expand at most ${MAX_YAML_ALIASES} times in all`,
    });
  }
}

function parseJson(text: string, name: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const problem = firstLine((e as Error).message);
    const pos = /at position (\d+)/.exec(problem);
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(problem);
    let line: number | undefined;
    let col: number | undefined;
    if (lineCol) {
      line = Number(lineCol[1]);
      col = Number(lineCol[2]);
    } else if (pos) {
      const before = text.slice(0, Number(pos[1]));
      line = before.split("\n").length;
      col = Number(pos[1]) - before.lastIndexOf("\n");
    } else {
      // Older/newer V8 messages omit the position: let the YAML parser (a JSON superset) locate it.
      const located = parseDocument(text, { prettyErrors: true }).errors[0]?.linePos?.[0];
      line = located?.line;
      col = located?.col;
    }
    throw syntaxError(
      name,
      "JSON",
      text,
      problem.replace(/\s*(at position \d+|\(line \d+ column \d+\)).*$/, ""),
      line,
      col,
    );
  }
  const duplicate = duplicateJsonKey(text);
  if (duplicate) throw duplicateKeyError(name, text, duplicate);
  return value;
}

/**
 * The first key an object of valid JSON text gives twice, and where: JSON.parse keeps the last of the
 * two without a word, so `"model"` written twice would silently drop one (YAML's reader refuses it).
 */
function duplicateJsonKey(text: string): { key: string; offset: number } | undefined {
  const open: (Set<string> | null)[] = []; // per open bracket: an object's keys, or null for a list
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{") open.push(new Set());
    else if (ch === "[") open.push(null);
    else if (ch === "}" || ch === "]") open.pop();
    else if (ch === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
      const keys = open[open.length - 1];
      if (!keys) continue;
      let next = i + 1;
      while (" \t\r\n".includes(text[next])) next++;
      if (text[next] !== ":") continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (keys.has(key)) return { key, offset: start };
      keys.add(key);
    }
  }
  return undefined;
}

function duplicateKeyError(name: string, text: string, d: { key: string; offset: number }): InputError {
  const before = text.slice(0, d.offset);
  const line = before.split("\n").length;
  const col = d.offset - before.lastIndexOf("\n");
  return new InputError({
    field: `${name} line ${line}, column ${col}`,
    value: d.key,
    allowed: "each key once in an object: this one is given twice, and only one of the two values can hold",
  });
}

function firstLine(msg: string): string {
  return msg
    .split("\n")[0]
    .replace(/ at line \d+, column \d+:?$/, "")
    .trim();
}

function syntaxError(
  name: string,
  lang: string,
  text: string,
  problem: string,
  line?: number,
  col?: number,
): InputError {
  const where = line ? `${name} line ${line}${col ? `, column ${col}` : ""}` : name;
  const lineText = line ? text.split("\n")[line - 1]?.trim() : undefined;
  return new InputError({
    field: where,
    value: lineText ?? "unparseable text",
    allowed: `valid ${lang} is required (${problem.replace(/\.$/, "")})`,
  });
}
