import { describe, expect, it } from "vitest";
import { parseConstraintFlags } from "../cli/constraintFlags.js";
import { InputError } from "../errors.js";
import { parseScenario } from "../scenario/parse.js";
import { parseScenarioText } from "../scenario/readText.js";
import { searchScenario } from "../scenario/searchScenario.js";

// One vocabulary: what `--zero 1` or `--pp 1..4` means on the command line, the same text means in a
// scenario's constraints: block, and a plan word means the same in its parallelism: block.
const run = "model: llama3-8b\nhardware: { chip: h100-sxm, count: 16 }\nglobalBatch: 64\n";
/** A scenario whose constraints: block holds `key: value` lines (block style, so a value may hold commas). */
const blockOf = (lines: string) =>
  searchScenario(parseScenarioText(`${run}constraints:\n  ${lines.replaceAll("\n", "\n  ")}\n`, "s.yaml"));
const refusalOf = (yaml: string): InputError => {
  try {
    blockOf(yaml);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`accepted: ${yaml}`);
};

/** Flag, its text, and the same constraint as a scenario writes it in YAML (several spellings each). */
const SAME: [string, string, string[]][] = [
  ["tp", "8", ["8", '"8"']],
  ["pp", "1..4", ["1..4", "{ min: 1, max: 4 }"]],
  ["ep", "1,8", ["[1, 8]", '"1,8"']],
  ["vpp", "2", ["2"]],
  ["dp", "2..8", ["2..8"]],
  ["cp", "1,2", ["[1, 2]"]],
  ["micro-batch", "1..2", ["1..2", "{ min: 1, max: 2 }"]],
  ["zero", "1", ["1", "zero1", "[1]", '"1"', "ZERO1"]],
  ["zero", "0,zero3", ["[0, zero3]", "0,zero3", "[zero0, 3]"]],
  ["sequence-parallel", "on", ["on", "true", "[true]", "On"]],
  ["sequence-parallel", "off", ["off", "false"]],
  ["sequence-parallel", "on,off", ["[on, off]", "on,off", "[true, false]"]],
  ["recompute", "none,full-block-4", ["[none, full-block-4]", "none,full-block-4", "[None, Full-Block-4]"]],
];

const KEY: Record<string, string> = { "micro-batch": "microBatch", "sequence-parallel": "sequenceParallel" };

describe("one spelling of each plan word, in the constraints: block, the parallelism: block and the flags", () => {
  it("reads every spelling the plan flags take in a scenario's constraints: block, to the same constraint", () => {
    for (const [flag, text, yamls] of SAME) {
      const key = KEY[flag] ?? flag;
      const fromFlag = parseConstraintFlags({ [flag]: text })?.[key as "tp"];
      expect(fromFlag).toBeDefined();
      for (const yaml of yamls) {
        expect(blockOf(`${key}: ${yaml}`).constraints?.[key as "tp"], `${key}: ${yaml}`).toEqual(fromFlag);
      }
    }
  });

  it("reads precision and framework in the block as the vocabulary spells them", () => {
    expect(blockOf("precision: [BF16, fp8]").constraints?.precision).toEqual(["bf16", "fp8"]);
    expect(blockOf("precision: bf16,fp8").constraints?.precision).toEqual(["bf16", "fp8"]);
    expect(blockOf("framework: torchtitan").framework).toBe("torchtitan");
  });

  it("reads a constraint left blank (null) as no constraint, as null means unsaid in the whole format", () => {
    expect(blockOf("tp:\nzero: null\npp: 2").constraints).toEqual({ pp: 2 });
  });

  it("reads zero and sequenceParallel in the parallelism: block as the constraints: block does", () => {
    const s = parseScenario(
      parseScenarioText(
        `${run}parallelism: { tp: 2, zero: 1, sequenceParallel: on, recompute: Selective }\n`,
      ),
    );
    expect(s.parallelism).toMatchObject({ zero: "zero1", sequenceParallel: true, recompute: "selective" });
    const off = parseScenario(
      parseScenarioText(`${run}parallelism: { tp: 2, zero: zero3, sequenceParallel: off }\n`),
    );
    expect(off.parallelism).toMatchObject({ zero: "zero3", sequenceParallel: false });
  });

  it("refuses anything else with one message naming the field, the value and what is allowed", () => {
    const cases: [string, RegExp][] = [
      ["tp: 0", /^Invalid constraints\.tp: got 0\. A positive number \(> 0\)/],
      ["pp: 4..2", /^Invalid constraints\.pp: got "4\.\.2"\. A range MIN\.\.MAX with MIN not above MAX/],
      ["pp: { min: 4, max: 2 }", /^Invalid constraints\.pp\.max: got 2\. A max not below min/],
      ["cp: [1, 0]", /^Invalid constraints\.cp\[1\]: got 0\. A positive number/],
      ["ep: lots", /^Invalid constraints\.ep: got "lots"\. A number such as 2048.*the text N, A\.\.B/],
      ["vpp: 2.5", /^Invalid constraints\.vpp: got 2\.5\. A whole number from 1/],
      ["dp: true", /^Invalid constraints\.dp: got true\. A whole number from 1/],
      ["microBatch: 4M", /^Invalid constraints\.microBatch: got "4M"\. A number <= 1,048,576/],
      [
        "zero: 4",
        /^Invalid constraints\.zero: got 4\. One of 0-3 or zero0, zero1, zero2, zero3; several as a list or separated by commas/,
      ],
      ["zero: [1, zero9]", /^Invalid constraints\.zero\[1\]: got "zero9"\. One of 0-3 or zero0/],
      ["zero: []", /^Invalid constraints\.zero: got a list of 0 items\. A list with at least 1 item/],
      [
        "sequenceParallel: maybe",
        /^Invalid constraints\.sequenceParallel: got "maybe"\. On or off \(true or false\)/,
      ],
      ["sequenceParallel: 1", /^Invalid constraints\.sequenceParallel: got 1\. On or off/],
      ["recompute: partial", /^Invalid constraints\.recompute: got "partial"\. One of none, selective, full/],
      [
        "recompute: none,full-every-1",
        /^Invalid constraints\.recompute\[1\]: got "full-every-1"\. One of none/,
      ],
      ["precision: fp4", /^Invalid constraints\.precision: got "fp4"\. One of bf16, fp16, fp8/],
      [
        "framework: torchtitn",
        /^Invalid constraints\.framework: got "torchtitn"\. One of megatron-core, .*torchtitan/,
      ],
      ["tpp: 2", /^Invalid constraints key: got "tpp"\. A known field \(tp, pp,.*Did you mean tp, pp, vpp\?/],
    ];
    for (const [yaml, message] of cases) expect(refusalOf(yaml).message, yaml).toMatch(message);
  });

  it("refuses a bad word on the command line naming the flag and the one bad item", () => {
    expect(() => parseConstraintFlags({ zero: "1,9" })).toThrow(
      /^Invalid --zero: got "9"\. One of 0-3 or zero0/,
    );
    expect(() => parseConstraintFlags({ "sequence-parallel": "yes" })).toThrow(
      /^Invalid --sequence-parallel: got "yes"\. On or off \(true or false\)/,
    );
    expect(() => parseConstraintFlags({ tp: "0" })).toThrow(
      /^Invalid --tp: got "0"\. A positive whole number/,
    );
  });
});
