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
export function parseScenarioText(text: string, fileName?: string): unknown {
  const name = fileName ?? "input";
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
  try {
    return JSON.parse(text);
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
