import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { chips } from "../hardware/catalog.js";
import { modelPresets } from "../workload/presets.js";
import { runCaptured } from "./captured.js";
import { parseHost } from "./commands/web.js";
import { readInputFile } from "./io.js";
import { commands } from "./registry.js";
import type { Command } from "./types.js";

const exec = promisify(execFile);

const cli = (argv: string[], env: Record<string, string> = {}) => runCaptured(argv, { env });

describe("trainplan CLI (in process)", () => {
  it("lists every model preset as a table", async () => {
    const r = await cli(["models"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^id\s+params\s+active\s+layers\s+hidden\s+seq\s+source$/);
    for (const p of modelPresets) expect(r.stdout).toContain(p.id);
    expect(r.stdout).toMatch(/llama3-70b\s+70\.6B\s+70\.6B\s+80\s+8192\s+8192/);
  });

  it("prints presets as JSON with --json", async () => {
    const r = await cli(["models", "--json"]);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.map((p: { id: string }) => p.id)).toEqual(modelPresets.map((p) => p.id));
  });

  it("lists every chip with its peak and memory", async () => {
    const r = await cli(["chips"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/h100-sxm\s+989\s+1979\s+80\s/);
    for (const c of chips) expect(r.stdout).toContain(c.id);
    const json = await cli(["chips", "--json"]);
    expect(JSON.parse(json.stdout)).toHaveLength(chips.length);
  });

  it("prints the command list for --help and each command's usage", async () => {
    const top = await cli(["--help"]);
    expect(top.code).toBe(0);
    for (const c of commands) expect(top.stdout).toContain(c.name);
    const models = await cli(["models", "--help"]);
    expect(models.code).toBe(0);
    expect(models.stdout).toMatch(/^Usage: trainplan models/);
    expect((await cli(["help", "chips"])).stdout).toMatch(/^Usage: trainplan chips/);
  });

  it("suggests a command for a typo and exits 2 without a stack trace", async () => {
    const r = await cli(["chps"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: Invalid command: got "chps". One of ${commands.map((c) => c.name).join(", ")} (run trainplan --help). Did you mean chips?\n`,
    );
    expect(r.stdout).toBe("");
  });

  it("names a bad flag, suggests the right one and exits 2", async () => {
    const r = await cli(["models", "--jsno"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid option of models: got "--jsno"\. .*Did you mean --json\?\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const pos = await cli(["chips", "extra"]);
    expect(pos.code).toBe(2);
    expect(pos.stderr).toContain('got "extra"');
  });

  it("exits 2 with usage when no command is given", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("Usage: trainplan <command>");
  });

  it("reports unexpected errors briefly and shows the stack only with TRAINPLAN_DEBUG=1", async () => {
    const boom: Command = {
      name: "boom",
      summary: "",
      usage: "",
      run: async () => {
        throw new Error("kaput");
      },
    };
    (commands as Command[]).push(boom);
    try {
      const quiet = await cli(["boom"]);
      expect(quiet.code).toBe(1);
      expect(quiet.stderr).toContain("unexpected error: kaput");
      expect(quiet.stderr).not.toMatch(/\n\s+at /);
      const loud = await cli(["boom"], { TRAINPLAN_DEBUG: "1" });
      expect(loud.code).toBe(1);
      expect(loud.stderr).toMatch(/\n\s+at /);
    } finally {
      (commands as Command[]).pop();
    }
  });
});

describe("input checks of plan and web", () => {
  it("rejects fp8 on a chip with no fp8 path, naming --precision, the chip and what is allowed", async () => {
    const args = ["plan", "--model", "llama3-8b", "--chip", "a100-80gb-sxm", "--chips", "8"];
    const r = await cli([...args, "--precision", "fp8"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: Invalid --precision: got "fp8". Bf16 or auto on a100-80gb-sxm, which has no fp8 tensor path.\n',
    );
    expect(r.stdout).toBe("");
  });

  it("rejects more than one chip for plan instead of using the first", async () => {
    const r = await cli(["plan", "--model", "llama3-8b", "--chip", "h100,h200", "--chips", "8"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid --chip: got "h100,h200"\. Exactly one chip id/);
  });

  it("caps --chips at 2^20 and a sweep at 1024 sizes before searching", async () => {
    const base = ["plan", "--model", "llama3-8b", "--chip", "h100"];
    const huge = await cli([...base, "--chips", "1..1e9"]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/Invalid --chips: got "1\.\.1e9"\. A chip count of at most 1,048,576/);
    const many = await cli([...base, "--chips", "8..1048576", "--sizes", "all"]);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/at most 1024 sizes to search \(this one has 131,072\)/);
  });

  it.each([
    [["plan", "--model", "llama3-8b", "--chip", "h100", "--chips", "8", "--top", "-1"], "--top", "-1"],
    [["compare", "--model", "llama3-8b", "--tokens", "-5"], "--tokens", "-5"],
    [["compare", "--model", "llama3-8b", "--tokens", "1T", "--deadline-days", "-1"], "--deadline-days", "-1"],
    [["web", "--port", "-1"], "option --port of web", "-1"],
  ])("reports a negative value as the value, not a missing one: %j", async (argv, field, value) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Invalid ${field}: got "${value}".`);
    expect(r.stderr).not.toContain("needs a value");
  });

  it("rejects an empty or malformed --host for web with exit 2", async () => {
    for (const host of ["", "bad host", "http://x"]) {
      const r = await cli(["web", "--host", host, "--no-open"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: Invalid option --host of web: got .*An IP address/);
    }
    expect(parseHost("0.0.0.0")).toBe("0.0.0.0");
    expect(parseHost("[::1]")).toBe("::1");
    expect(parseHost("my-box.local")).toBe("my-box.local");
    expect(parseHost(undefined)).toBe("127.0.0.1");
  });
});

describe("one published case, two commands", () => {
  it("simulate and validate predict the same, software-stack inferences included", async () => {
    const dev = JSON.parse(readFileSync(new URL("../../data/validation/dev.json", import.meta.url), "utf8"));
    const dir = mkdtempSync(join(tmpdir(), "trainplan-"));
    for (const id of ["megatron-sc21-a100-gpt-1.7b", "mbridge-2511-dgx-h100-llama-3-70b-fp8-cs-64g"]) {
      const one = dev.find((c: { id: string }) => c.id === id);
      const scenario = join(dir, `${id}.json`);
      const list = join(dir, `${id}-list.json`);
      writeFileSync(scenario, JSON.stringify(one));
      writeFileSync(list, JSON.stringify([one]));
      const sim = JSON.parse((await cli(["simulate", scenario, "--json"])).stdout);
      const val = JSON.parse((await cli(["validate", list, "--json"])).stdout);
      expect(sim.throughput.tokensPerSecondPerChip, id).toBeCloseTo(val.cases[0].predicted, 6);
    }
  });
});

describe("validate's band coverage", () => {
  it("counts the runs inside their 80% band, and says so when the runs are those the bands came from", async () => {
    const heldout = new URL("../../data/validation/heldout-neuron-2.24.json", import.meta.url).pathname;
    const out = await cli(["validate", heldout]);
    const json = JSON.parse((await cli(["validate", heldout, "--json"])).stdout);
    const { covered, cases } = json.summary.bandCoverage;
    expect(cases).toBe(2);
    expect(json.inSample).toBe(false);
    expect(out.stdout).toContain(`measured inside the prediction's 80% band: ${covered} of 2 runs`);
    expect(out.stdout).not.toContain("in sample");
    // Dev runs, in the bundled file or copied out of it, are in sample wherever the file lies.
    const dev = JSON.parse(readFileSync(new URL("../../data/validation/dev.json", import.meta.url), "utf8"));
    const three = join(mkdtempSync(join(tmpdir(), "trainplan-")), "three.json");
    writeFileSync(three, JSON.stringify(dev.slice(0, 3)));
    expect(JSON.parse((await cli(["validate", three, "--json"])).stdout).inSample).toBe(true);
    expect((await cli(["validate"])).stdout).toMatch(/80% band: \d+ of 104 runs \(\d+%\); in sample/);
  });
});

describe("unpublished plan fields, filled one way for simulate and validate", () => {
  it("--fill-unpublished search and rules each give simulate's figure to validate, and they differ", async () => {
    const dev = JSON.parse(readFileSync(new URL("../../data/validation/dev.json", import.meta.url), "utf8"));
    const dir = mkdtempSync(join(tmpdir(), "trainplan-"));
    // SC21 publishes its layout but not its micro-batch: rules take 1, the search a larger one.
    const one = dev.find((c: { id: string }) => c.id === "megatron-sc21-a100-gpt-18b");
    const scenario = join(dir, "case.json");
    const list = join(dir, "list.json");
    writeFileSync(scenario, JSON.stringify(one));
    writeFileSync(list, JSON.stringify([one]));
    const predicted: Record<string, number> = {};
    for (const fill of ["search", "rules"]) {
      const sim = JSON.parse(
        (await cli(["simulate", scenario, "--json", "--fill-unpublished", fill])).stdout,
      );
      const val = JSON.parse((await cli(["validate", list, "--json", "--fill-unpublished", fill])).stdout);
      expect(sim.throughput.tokensPerSecondPerChip, fill).toBeCloseTo(val.cases[0].predicted, 6);
      predicted[fill] = sim.throughput.tokensPerSecondPerChip;
      const said = sim.assumptions.join("\n");
      if (fill === "search")
        expect(said).toMatch(/micro-batch = \d+ sequences? \(not published: the fastest plan/);
      else expect(said).toMatch(/micro-batch = 1 sequence \(not published\)/);
    }
    expect(predicted.search).toBeGreaterThan(predicted.rules);
  });
});

describe("readInputFile", () => {
  it("reads a file and turns a missing one into an InputError naming the path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainplan-"));
    const path = join(dir, "s.yaml");
    writeFileSync(path, "a: 1\n");
    expect(await readInputFile(path)).toBe("a: 1\n");
    const missing = join(dir, "nope.yaml");
    await expect(readInputFile(missing, "scenario file")).rejects.toThrow(InputError);
    await expect(readInputFile(missing, "scenario file")).rejects.toThrow(
      `Invalid scenario file: got ${JSON.stringify(missing)}. A path to an existing`,
    );
  });

  it("refuses a FIFO and a directory instead of blocking on them (reads only regular files)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainplan-"));
    const fifo = join(dir, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    await expect(readInputFile(fifo, "scenario file")).rejects.toThrow(/a pipe \(FIFO\)/);
    await expect(readInputFile(dir, "scenario file")).rejects.toThrow(/this is a directory/);
    const r = await cli(["simulate", fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid FILE: got .*pipe\.yaml"\. A regular YAML or JSON file/);
  });
});

describe("bin/trainplan.js (built)", () => {
  // `npm test` builds first; a rebuild here would empty dist/ under the package test running beside it.
  beforeAll(async () => {
    if (!existsSync("dist/cli.js")) await exec(process.execPath, ["scripts/build.mjs"]);
  });

  it("prints the presets as JSON from the bundled binary", async () => {
    const { stdout } = await exec(process.execPath, ["bin/trainplan.js", "models", "--json"]);
    const data = JSON.parse(stdout);
    expect(data.map((p: { id: string }) => p.id)).toEqual(modelPresets.map((p) => p.id));
  });

  it("sweeps chip counts on worker threads and returns every size", async () => {
    const args = ["plan", "--model", "llama3-8b", "--chip", "h100", "--chips", "8..16", "--json"];
    const { stdout } = await exec(process.execPath, ["bin/trainplan.js", ...args]);
    const sizes = JSON.parse(stdout).sizes.map((s: { chips: number; plans: unknown[] }) => s.chips);
    expect(sizes).toEqual([8, 16]);
  });

  it("exits 2 with a one-line message for bad input", async () => {
    const err = await exec(process.execPath, ["bin/trainplan.js", "chipz"]).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/^error: Invalid command: got "chipz"\..*Did you mean chips\?\n$/);
  });
});
