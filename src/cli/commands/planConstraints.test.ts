import { describe, expect, it } from "vitest";
import { runCaptured } from "../captured.js";

const cli = (argv: string[]) => runCaptured(argv);
const llama8bOn16 = [
  "plan",
  "--model",
  "llama3-8b",
  "--chip",
  "h100-sxm",
  "--chips",
  "16",
  "--global-batch",
  "64",
];

describe("trainplan plan with constraints", () => {
  it("keeps every plan to the fixed and bounded dimensions and prints what they removed", async () => {
    const r = await cli([
      ...llama8bOn16,
      "--tp",
      "4",
      "--pp",
      "1..2",
      "--recompute",
      "none",
      "--zero",
      "1",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.constraints).toEqual({ tp: 4, pp: { min: 1, max: 2 }, recompute: ["none"], zero: ["zero1"] });
    for (const p of out.plans) {
      expect(p.parallelism.tp).toBe(4);
      expect(p.parallelism.pp).toBeLessThanOrEqual(2);
      expect(p.parallelism.recompute).toBe("none");
      expect(p.parallelism.zero).toBe("zero1");
    }
    expect(out.rejected["outside the constraint on tp"]).toBeGreaterThan(0);
    const text = await cli([...llama8bOn16, "--tp", "4"]);
    expect(text.stdout).toMatch(/constraints: tp 4; [\d,]+ plans removed/);
  });

  it("says on Trainium that the default Neuron stack held the search", async () => {
    const r = await cli([
      "plan",
      "--model",
      "llama3-8b",
      "--chip",
      "trn2",
      "--chips",
      "16",
      "--global-batch",
      "64",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stack: neuronx-distributed, the default on Trainium/);
    expect(r.stdout).not.toMatch(/zero[23] /);
  });

  it("writes every plan that fits as CSV with --all --csv", async () => {
    // The exhaustive search's `feasible` counts every plan that fits (the bounded one, those it checked).
    const json = JSON.parse((await cli([...llama8bOn16, "--tp", "8", "--json", "--exhaustive"])).stdout);
    const r = await cli([...llama8bOn16, "--tp", "8", "--all", "--csv"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\r\n");
    expect(lines[0]).toBe(
      "plan,tp,pp,vpp,dp,cp,ep,micro_batch,recompute,zero,sequence_parallel,precision,step_seconds,tokens_per_second_per_chip,tokens_per_second_per_chip_band_low,tokens_per_second_per_chip_band_high,mfu,memory_per_chip_bytes",
    );
    const [tps, low, high] = lines[1].split(",").slice(13, 16).map(Number);
    expect(low).toBeLessThan(high);
    expect(low / tps).toBeCloseTo(
      json.plans[0].band.low / json.plans[0].throughput.tokensPerSecondPerChip,
      9,
    );
    expect(lines.length - 1).toBe(json.feasible);
    expect(lines.slice(1).every((l) => l.split(",")[1] === "8")).toBe(true);
  });

  it("rejects a bad constraint or framework with exit 2, naming the flag", async () => {
    for (const [args, flag] of [
      [["--tp", "0"], "--tp"],
      [["--pp", "4..2"], "--pp"],
      [["--zero", "5"], "--zero"],
      [["--recompute", "some"], "--recompute"],
      [["--sequence-parallel", "maybe"], "--sequence-parallel"],
      [["--framework", "torchtitn"], "--framework"],
      [["--all"], "--all"],
    ] as const) {
      const r = await cli([...llama8bOn16, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(flag);
    }
  });

  it("exits 1 and says the constraints removed every plan when none is left", async () => {
    const r = await cli([...llama8bOn16, "--tp", "64"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the constraints \(and the stack\) remove every layout/);
  });
});

describe("trainplan compare with constraints and a stack", () => {
  it("holds every chip's plan to the constraints and states the stack", async () => {
    const r = await cli([
      "compare",
      "--model",
      "llama3-8b",
      "--tokens",
      "100B",
      "--chip",
      "h100,trn2",
      "--chips",
      "16",
      "--tp",
      "2",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const row of out.rows) expect(row.plan.parallelism.tp).toBe(2);
    expect(out.assumptions.join("\n")).toMatch(/plans on trn2: only what neuronx-distributed runs/);
  });
});
