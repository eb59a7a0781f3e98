import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scenarioToInput } from "../../src/scenario/fromScenario.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { parseScenarioText } from "../../src/scenario/readText.js";
import { parseCount } from "../../src/util/units.js";
import { rawScenario, refusedOr } from "./arbitraries.js";

// Property suite, parsing (counts in docs/testing.md): whatever the text or value, parsing either
// returns a scenario the engine can take or refuses with one InputError; never another exception,
// and never a number it cannot hold.

/** Generated inputs per property, per run. */
export const PARSING_RUNS = { scenarios: 30_000, texts: 20_000, counts: 20_000 };

describe("parsing, on generated input", () => {
  it(`reads or refuses ${PARSING_RUNS.scenarios.toLocaleString("en-US")} scenario values, valid to malformed`, () => {
    fc.assert(
      fc.property(rawScenario, (raw) => {
        const s = refusedOr(() => parseScenario(raw));
        if (s === undefined) return;
        expect(Number.isSafeInteger(s.globalBatch)).toBe(true);
        expect(s.parallelism.dp).toBeGreaterThanOrEqual(1);
        // A scenario that parses is one the engine takes or refuses, the same way.
        expect(() => scenarioToInput(s)).not.toThrow();
      }),
      { numRuns: PARSING_RUNS.scenarios },
    );
  });

  it(`reads or refuses ${PARSING_RUNS.texts.toLocaleString("en-US")} YAML and JSON texts`, () => {
    const yamlish = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .array(fc.constantFrom("a: &x [1, 2]\n", "b: *x\n", "c: *y\n", "- [\n", "{", "model: llama3-8b\n", "  - 1\n", "d: !!binary x\n", "e: 1e999\n"), { maxLength: 12 })
        .map((lines) => lines.join("")),
    );
    fc.assert(
      fc.property(yamlish, fc.constantFrom("s.yaml", "s.json", undefined), (text, name) => {
        refusedOr(() => parseScenarioText(text, name));
      }),
      { numRuns: PARSING_RUNS.texts },
    );
  });

  it(`parses ${PARSING_RUNS.counts.toLocaleString("en-US")} human counts exactly or refuses them`, () => {
    const countText = fc.oneof(
      fc.string({ maxLength: 24 }),
      fc
        .tuple(fc.double({ noNaN: false }), fc.constantFrom("", "k", "M", "B", "T", "e3", "_000"))
        .map(([x, s]) => `${x}${s}`),
      fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
    );
    fc.assert(
      fc.property(countText, fc.boolean(), (text, integer) => {
        const n = refusedOr(() => parseCount(text, { field: "--x", integer }));
        if (n === undefined) return;
        expect(Number.isFinite(n)).toBe(true);
        expect(n).toBeGreaterThan(0);
        if (integer) expect(Number.isSafeInteger(n)).toBe(true);
      }),
      { numRuns: PARSING_RUNS.counts },
    );
  });
});
