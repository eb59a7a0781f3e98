import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseScenarioText } from "./readText.js";

/** The InputError `text` (named `fileName`) raises. */
function errorOf(text: string, fileName: string): InputError {
  try {
    parseScenarioText(text, fileName);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`expected ${fileName} to be rejected`);
}

describe("parseScenarioText", () => {
  it("refuses a key given twice in JSON, naming it and where (JSON.parse kept the last silently)", () => {
    const e = errorOf(
      '{"model": "llama3-8b",\n "hardware": {"chip": "h100", "count": 8},\n "model": "llama3-70b"}',
      "s.json",
    );
    expect(e.message).toBe(
      'Invalid s.json line 3, column 2: got "model". Each key once in an object: this one is given twice, and only one of the two values can hold.',
    );
    expect(errorOf('[{"a": {"b": 1, "b": 2}}]', "l.json").field).toBe("l.json line 1, column 17");
    // The same key in two objects, a key-like string as a value, and escapes are all ordinary JSON.
    expect(parseScenarioText('{"a": {"k": 1}, "b": {"k": "a\\":"}, "k": ["k", "k"]}', "ok.json")).toEqual({
      a: { k: 1 },
      b: { k: 'a":' },
      k: ["k", "k"],
    });
  });

  it("reads a file that starts with a byte-order mark, and refuses a binary file as such", () => {
    expect(parseScenarioText('\uFEFF{"a": 1}', "bom.json")).toEqual({ a: 1 });
    expect(parseScenarioText("\uFEFFa: 1\n", "bom.yaml")).toEqual({ a: 1 });
    expect(errorOf("ELF\u0002\u0000\u0000junk", "x.yaml").message).toBe(
      'Invalid x.yaml: got "binary data". A scenario in YAML or JSON text; this file holds NUL bytes, as a binary file does.',
    );
  });

  it("refuses a YAML file that holds only comments as empty", () => {
    expect(errorOf("# a scenario\n\n# to come\n", "c.yaml").message).toBe(
      'Invalid c.yaml: got "# a scenario". A scenario in YAML or JSON; the file holds only comments.',
    );
  });

  it("refuses an unresolved alias and an alias bomb as bad input, not an unexpected error", () => {
    expect(errorOf("model: *x\n", "a.yaml").message).toMatch(
      /^Invalid a\.yaml: got "Unresolved alias.*aliases \(\*name\) each follow their anchor/,
    );
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      bomb += `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
    }
    expect(errorOf(bomb, "bomb.yaml").field).toBe("bomb.yaml");
    // A few aliases are ordinary YAML and still read.
    expect(parseScenarioText("a: &n 8\nb: *n\n", "s.yaml")).toEqual({ a: 8, b: 8 });
  });

  it("refuses text past the size cap before parsing it", () => {
    const e = errorOf(`a: "${"x".repeat(4_000_001)}"\n`, "big.yaml");
    expect(e.message).toMatch(
      /^Invalid big\.yaml: got "4,000,00\d characters"\. A scenario of at most 4,000,000 characters/,
    );
  });

  it("reads YAML and JSON by extension and by content", () => {
    expect(parseScenarioText("a: 1\nb: [2, 3]\n", "s.yaml")).toEqual({ a: 1, b: [2, 3] });
    expect(parseScenarioText('{"a": 1}', "s.json")).toEqual({ a: 1 });
    expect(parseScenarioText('{"a": 1}')).toEqual({ a: 1 });
    expect(parseScenarioText("a: 1")).toEqual({ a: 1 });
  });

  it("names the file, line and problem for malformed YAML", () => {
    const e = errorOf("model: llama3-70b\nhardware: [h100, 8\nglobalBatch: 4\n", "run.yaml");
    expect(e.field).toMatch(/^run\.yaml line 3/);
    expect(e.message).toMatch(
      /^Invalid run\.yaml line 3, column \d+: got "globalBatch: 4"\. Valid YAML is required \(/,
    );
    expect(e.message).not.toContain("\n");
  });

  it("names the file and line for malformed JSON", () => {
    const e = errorOf('{\n  "model": "x"\n  "count": 3\n}', "run.json");
    expect(e.field).toMatch(/^run\.json line 3/);
    expect(e.message).toContain("Valid JSON is required");
  });

  it("rejects duplicate YAML keys and empty files", () => {
    expect(errorOf("a: 1\na: 2\n", "d.yml").field).toMatch(/^d\.yml line 2/);
    expect(errorOf("  \n", "e.yaml").message).toMatch(/empty/);
  });
});
