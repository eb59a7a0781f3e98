import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCaptured } from "./captured.js";

// Issue 12, "every bad input gets a clear refusal": one message naming the flag, the value and what is
// allowed, exit 2; nothing silently changed or ignored.

const cli = (argv: string[]) => runCaptured(argv);
const plan8b = ["plan", "--model", "llama3-8b", "--chip", "h100", "--chips"];
const capacity = ["capacity", "--budget", "1B", "--years", "2", "--run", "llama3-8b:1T"];

describe("plan: sizes, batches and exit codes", () => {
  it("rounds --global-batch-tokens to a batch the layouts divide, and says so (1,953 let only dp 1 divide)", async () => {
    const r = await cli([...plan8b, "64", "--global-batch-tokens", "16M", "--json", "--top", "1"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.globalBatch).toBe(1984);
    expect(out.notes[0]).toMatch(
      /16M is 1,953\.1 sequences of 8192 tokens; rounded to 1,984 .* a multiple of 64/,
    );
    expect(out.plans[0].parallelism.dp).toBeGreaterThan(1);
  });

  it("caps --top, --global-batch and --seq (was 'Invalid typed array length', a step of 254 billion years)", async () => {
    for (const [flag, value, allowed] of [
      ["--top", "1e9", "Plans from 1 to 1,000"],
      ["--global-batch", "1e9", "Sequences from 1 to 16,777,216"],
      ["--seq", "1e9", "Tokens per sequence from 1 to 1,048,576"],
    ]) {
      const r = await cli([...plan8b, "8", flag, value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: Invalid ${flag}: got "${value}". ${allowed}.\n`);
    }
  });

  it("refuses a constraint flag given empty (--tp= was skipped silently)", async () => {
    for (const flag of ["--tp=", "--recompute="]) {
      const r = await cli([...plan8b, "8", flag]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: Invalid ${flag.slice(0, -1)}: got ""`));
    }
  });

  it("refuses --recompute offload on a chip with no host link, naming it (said no count fits)", async () => {
    const r = await cli([...plan8b, "8", "--recompute", "offload"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid --recompute: got "offload".*no coherent host link/);
  });

  it("refuses a whole number above 2^53 instead of reading it inexactly", async () => {
    const r = await cli([...plan8b, "8", "--global-batch", "9007199254740993"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/A whole number up to 2\^53 - 1/);
  });

  it("exits 1 for no feasible plan in text and --json alike (--json exited 0)", async () => {
    const args = ["plan", "--model", "llama3-405b", "--chip", "h100", "--chips", "8"];
    expect((await cli(args)).code).toBe(1);
    const json = await cli([...args, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).infeasible.reason).toBe("memory");
  });

  it("counts in `evaluated` every configuration examined, not only those that fit", async () => {
    const out = JSON.parse((await cli([...plan8b, "8", "--json", "--global-batch", "64"])).stdout);
    const bounded = out.rejected["cannot enter the top plans (step-time lower bound)"] ?? 0;
    expect(out.evaluated).toBe(out.feasible + (out.rejected["does not fit in memory"] ?? 0) + bounded);
    expect(out.evaluated).toBeGreaterThan(out.feasible);
  });
});

describe("compare and capacity: chips and prices", () => {
  it("caps compare --chips at 2^20 as plan does", async () => {
    const r = await cli([
      "compare",
      "--model",
      "llama3-8b",
      "--tokens",
      "1T",
      "--chip",
      "h100",
      "--chips",
      "1e9",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid --chips: got "1e9"\. A chip count of at most 1,048,576/);
  });

  it("reports a --price for a chip not in the comparison instead of ignoring it", async () => {
    const r = await cli([
      "compare",
      "--model",
      "llama3-8b",
      "--tokens",
      "1T",
      "--chip",
      "h100",
      "--price",
      "b200=3",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: Invalid --price: got "b200=3"\. Prices for the chips compared \(h100-sxm\); b200 is not among --chip/,
    );
    const cap = await cli([...capacity, "--chip", "h100", "--price", "instance:p5.48xlarge=55,trn2=1"]);
    expect(cap.stderr).toMatch(/got "trn2=1"/);
  });

  it("says a chip has no public price and how to give one (was 'got a list of 0 items')", async () => {
    const r = await cli([...capacity, "--chip", "gb200"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: Invalid --chip: got "gb200". A chip with a price; gb200: no public price for gb200; pass --price gb200=<USD per chip-hour>.\n',
    );
  });

  it("names the real problem with --start-year 1990: no chip on offer is available yet", async () => {
    const r = await cli([...capacity, "--chip", "h100", "--start-year", "1990"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: Invalid --start-year: got 1990\. A whole year from 2022 \(the first year a chip on offer is available: h100-sxm\) to 2100\./,
    );
  });

  it("collapses a chip given twice in --chip (capacity refused h100,h100)", async () => {
    const once = await cli([...capacity, "--chip", "h100", "--json", "--start-year", "2026"]);
    const twice = await cli([...capacity, "--chip", "h100,H100,h100-sxm", "--json", "--start-year", "2026"]);
    expect(twice.code).toBe(0);
    expect(JSON.parse(twice.stdout)).toEqual(JSON.parse(once.stdout));
  });
});

describe("--fill-unpublished", () => {
  it("names the flag, the value and the two fills when the value is neither", async () => {
    for (const command of ["simulate", "validate"]) {
      const r = await cli([command, "data/validation/dev.json", "--fill-unpublished", "best"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Invalid --fill-unpublished: got "best"\. One of search, rules/);
    }
  });
});

describe("simulate: a plan that does not fit", () => {
  it("prints the report and exits 1, in text and JSON", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "trainplan-")), "big.yaml");
    writeFileSync(
      file,
      "model: llama3-405b\nhardware: { chip: h100-sxm, count: 8 }\nglobalBatch: 64\nparallelism: { tp: 8, pp: 1 }\n",
    );
    const text = await cli(["simulate", file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("DOES NOT FIT");
    const json = await cli(["simulate", file, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).fits).toBe(false);
  });
});

describe("simulate: layout sizes left out", () => {
  it("under --fill-unpublished rules, searches within the rules' micro-batch and ZeRO, so the plan fits", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "trainplan-")), "moe.yaml");
    writeFileSync(file, "model: mixtral-8x7b\nhardware: { chip: h100-sxm, count: 64 }\nglobalBatch: 256\n");
    const r = await cli(["simulate", file, "--fill-unpublished", "rules", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.fits).toBe(true);
    expect(out.parallelism.microBatch).toBe(1);
    expect(["zero0", "zero1"]).toContain(out.parallelism.zero);
  });
});

describe("a new user's odd inputs: refused, never silently taken another way", () => {
  it("refuses a flag given twice with different values (the last one was searched alone)", async () => {
    const r = await cli([...plan8b, "8", "--chips", "16"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: Invalid --chips: got "8 and then 16". One value: the option is given twice, and only one of the two can hold.\n',
    );
    const tokens = await cli(["compare", "--model", "llama3-8b", "--tokens", "1T", "--tokens", "2T"]);
    expect(tokens.code).toBe(2);
    expect(tokens.stderr).toMatch(/^error: Invalid --tokens: got "1T and then 2T"/);
  });

  it("refuses --sizes and --objective with one chip count, where they change nothing", async () => {
    for (const [flag, value] of [
      ["--sizes", "all"],
      ["--objective", "cost"],
    ]) {
      const r = await cli([...plan8b, "8", flag, value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: Invalid ${flag}: got "${value}". ${flag} only with a range of chip counts (--chips A..B); with one count (8) it would change nothing.\n`,
      );
    }
    expect((await cli([...plan8b, "8..16", "--sizes", "all", "--json"])).code).toBe(0);
  });

  it("names --chip when it lists no chip (was 'Invalid chips: got a list of 0 items')", async () => {
    const r = await cli(["compare", "--model", "llama3-8b", "--tokens", "1T", "--chip", ","]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid --chip: got ","\. One or more chip ids separated by commas: /);
  });

  it("refuses an empty case list in validate (it printed an empty table, exit 0)", async () => {
    const r = await runCaptured(["validate", "-"], { stdin: "[]\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: Invalid input: got a list of 0 items. A list of at least one scenario: this one is empty.\n",
    );
  });

  it("refuses a second FILE to validate or calibrate (it was left unread)", async () => {
    for (const command of ["validate", "calibrate"]) {
      const r = await cli([command, "a.json", "b.json"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: Invalid FILE: got "a.json b.json". At most one file (a list of cases in YAML or JSON); see trainplan ${command} --help.\n`,
      );
    }
  });

  it("says a command without options takes no arguments (it listed 'options are .')", async () => {
    const r = await cli(["schema", "extra"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: Invalid arguments of schema: got "extra". No arguments.\n');
  });

  it("reads --precision in any case, as a scenario's precision is read (BF16 was refused)", async () => {
    const r = await cli([...plan8b, "8", "--precision", "FP8", "--json", "--top", "1"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).plans[0].parallelism.precision).toBe("fp8");
    const bad = await cli([...plan8b, "8", "--precision", "fp4"]);
    expect(bad.stderr).toBe('error: Invalid --precision: got "fp4". One of bf16, fp8, auto.\n');
  });
});

describe("profile files", () => {
  it("refuses a --profiles file fitted for a retired parameter, naming the chip and the key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainplan-profiles-"));
    const file = join(dir, "old.json");
    const chip = { gemmEfficiency: 0.7, dispatchSyncSeconds: 0.0043 };
    writeFileSync(
      file,
      JSON.stringify({ generatedBy: "x", fittedOn: "x", default: chip, chips: { "h100-sxm": chip } }),
    );
    const r = await cli([...plan8b, "8", "--profiles", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: Invalid --profiles old\.json\.default\.dispatchSyncSeconds: got 0\.0043\. No longer read/,
    );
  });
});
