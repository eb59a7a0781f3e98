import { describe, expect, it } from "vitest";
import { runCaptured } from "../captured.js";

// A scenario's constraints: block, read by plan and compare (--scenario), checked by simulate.
const scenario = (extra = "") => `model: llama3-8b
hardware: { chip: h100-sxm, count: 16 }
globalBatch: 64
constraints:
  tp: 4
  pp: { min: 1, max: 2 }
  recompute: none
  zero: [zero1]
${extra}`;
const fromStdin = (argv: string[], text = scenario()) => runCaptured(argv, { stdin: text });

describe("a scenario's constraints in plan, compare and simulate", () => {
  it("plan --scenario searches the file's run within its constraints", async () => {
    const r = await fromStdin(["plan", "--scenario", "-", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.chips).toBe(16);
    expect(out.globalBatch).toBe(64);
    expect(out.constraints).toEqual({ tp: 4, pp: { min: 1, max: 2 }, recompute: ["none"], zero: ["zero1"] });
    expect(out.plans.length).toBeGreaterThan(0);
    for (const p of out.plans) {
      expect(p.parallelism).toMatchObject({ tp: 4, recompute: "none", zero: "zero1" });
      expect(p.parallelism.pp).toBeLessThanOrEqual(2);
    }
    expect(out.rejected["outside the constraint on tp"]).toBeGreaterThan(0);
  });

  it("searches the precisions the file's constraints list (was cut to bf16: 0 plans for fp8)", async () => {
    const only = await fromStdin(["plan", "--scenario", "-", "--json"], scenario("  precision: fp8\n"));
    expect(only.code).toBe(0);
    const plans = JSON.parse(only.stdout).plans;
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p.parallelism.precision).toBe("fp8");
    const both = await fromStdin(
      ["plan", "--scenario", "-", "--json"],
      scenario("  precision: [bf16, fp8]\n"),
    );
    expect(JSON.parse(both.stdout).plans[0].parallelism.precision).toBe("fp8");
  });

  it("names the file's field when its precision is refused, and searches fp16 as bf16", async () => {
    const a100 = scenario().replace("h100-sxm", "a100-80gb-sxm") + "precision: fp8\n";
    const r = await fromStdin(["plan", "--scenario", "-"], a100);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid precision: got "fp8"/);
    const fp16 = await fromStdin(["plan", "--scenario", "-"], `${scenario()}precision: fp16\n`);
    expect(fp16.code).toBe(0);
    expect(fp16.stdout).toContain("fp16 is searched as bf16");
  });

  it("lets a flag replace the file's constraint, and says so", async () => {
    const r = await fromStdin(["plan", "--scenario", "-", "--tp", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /constraints: tp 2, pp 1\.\.2, recompute none, zero zero1; [\d,]+ plans removed/,
    );
    expect(r.stdout).toContain(
      "note: --tp 2 replaces the scenario's constraints.tp (4): the command line wins",
    );
    expect(r.stdout).toMatch(/^1 +tp2 /m);
    const json = JSON.parse((await fromStdin(["plan", "--scenario", "-", "--tp", "2", "--json"])).stdout);
    expect(json.notes).toContain("--tp 2 replaces the scenario's constraints.tp (4): the command line wins");
    // The same value on both sides replaces nothing.
    expect((await fromStdin(["plan", "--scenario", "-", "--tp", "4"])).stdout).not.toMatch(/replaces/);
  });

  it("lets --chips and --framework replace the file's count and stack, with a note each", async () => {
    const r = await fromStdin(
      ["plan", "--scenario", "-", "--chips", "32", "--framework", "torchtitan"],
      scenario("  framework: megatron-core").replace("  zero: [zero1]\n", ""),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("32 x h100-sxm");
    expect(r.stdout).toContain("note: --chips 32 replaces the scenario's hardware.count (16)");
    expect(r.stdout).toContain("note: --framework torchtitan replaces the scenario's stack (megatron-core)");
    expect(r.stdout).toMatch(/stack: torchtitan/);
  });

  it("reads the flags' spellings in the file's block (zero: 1, sequenceParallel: on, pp: 1..2)", async () => {
    const spelled = scenario("  sequenceParallel: on\n")
      .replace("  zero: [zero1]\n", "  zero: 1\n")
      .replace("{ min: 1, max: 2 }", "1..2");
    const r = await fromStdin(["plan", "--scenario", "-", "--json"], spelled);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.constraints).toMatchObject({
      pp: { min: 1, max: 2 },
      zero: ["zero1"],
      sequenceParallel: [true],
    });
    for (const p of out.plans) expect(p.parallelism).toMatchObject({ zero: "zero1", sequenceParallel: true });
    const flags = await fromStdin(
      ["plan", "--scenario", "-", "--json", "--zero", "1", "--sequence-parallel", "on", "--pp", "1..2"],
      scenario(),
    );
    expect(JSON.parse(flags.stdout).plans).toEqual(out.plans);
  });

  it("refuses a spelling neither takes with exit 2, naming the field, value and what is allowed", async () => {
    const r = await fromStdin(["plan", "--scenario", "-"], scenario("  sequenceParallel: yes\n"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: Invalid constraints.sequenceParallel: got "yes". On or off (true or false); several as a list or separated by commas.\n',
    );
  });

  it("refuses an unknown constraint with the nearest known one", async () => {
    const r = await fromStdin(["plan", "--scenario", "-"], scenario("  precison: [bf16]"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/constraints key: got "precison"/);
    expect(r.stderr).toMatch(/Did you mean precision\?/);
  });

  it("refuses a fixed plan in a scenario for the search, pointing to constraints", async () => {
    const r = await fromStdin(["plan", "--scenario", "-"], `${scenario()}parallelism: { tp: 8 }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/parallelism\.tp: got 8/);
    expect(r.stderr).toMatch(/constraints: \{ tp: \.\.\. \}/);
  });

  it("compare --scenario keeps every chip's plan to the file's constraints, flags over them noted", async () => {
    const r = await fromStdin(["compare", "--scenario", "-", "--tokens", "100B", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows.map((row: { chip: string }) => row.chip)).toEqual(["h100-sxm"]);
    expect(out.rows[0].chips).toBe(16);
    expect(out.rows[0].plan.parallelism).toMatchObject({ tp: 4, recompute: "none", zero: "zero1" });
    const over = await fromStdin(["compare", "--scenario", "-", "--tokens", "100B", "--tp", "2", "--json"]);
    expect(JSON.parse(over.stdout).rows[0].plan.parallelism.tp).toBe(2);
    expect(over.stderr).toContain("note: --tp 2 replaces the scenario's constraints.tp (4)");
  });

  it("simulate refuses constraints that the scenario's own plan breaks", async () => {
    const base = `model: llama3-8b
hardware: { chip: h100-sxm, count: 16 }
globalBatch: 64
parallelism: { tp: 2, pp: 1 }
`;
    const ok = await fromStdin(["simulate", "-", "--json"], `${base}constraints: { tp: [2, 4] }\n`);
    expect(ok.code).toBe(0);
    const bad = await fromStdin(["simulate", "-"], `${base}constraints: { tp: 4 }\n`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/constraints\.tp: got "4".*its tp is 2/);
  });
});

describe("a scenario's precision and its constraints.precision", () => {
  const run = "model: llama3-8b\nhardware: { chip: h100-sxm, count: 8 }\nglobalBatch: 64\n";

  it("compare searches the precision the block lists (it searched bf16 against fp8: no plan)", async () => {
    const r = await fromStdin(
      ["compare", "--scenario", "-", "--tokens", "100B", "--json"],
      `${run}constraints: { precision: fp8 }\n`,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].plan.parallelism.precision).toBe("fp8");
  });

  it("planScenario does too", async () => {
    const { planScenario } = await import("../../scenario/planScenario.js");
    const { result } = planScenario(`${run}constraints: { precision: fp8 }\n`, { top: 1 });
    expect(result.plans[0].parallelism.precision).toBe("fp8");
  });

  it("refuses a precision the block excludes, in the file or as a flag, in plan and compare", async () => {
    const message =
      "a precision constraints.precision lists (bf16), or only one of the two: the search keeps to both and would find no plan";
    const file = `${run}precision: fp8\nconstraints: { precision: bf16 }\n`;
    for (const argv of [
      ["plan", "--scenario", "-"],
      ["compare", "--scenario", "-", "--tokens", "100B"],
    ]) {
      const r = await fromStdin(argv, file);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: Invalid precision: got "fp8". A${message.slice(1)}.\n`);
      const flag = await fromStdin(
        [...argv, "--precision", "fp8"],
        `${run}constraints: { precision: bf16 }\n`,
      );
      expect(flag.code).toBe(2);
      expect(flag.stderr).toBe(`error: Invalid --precision: got "fp8". A${message.slice(1)}.\n`);
    }
  });
});
