import { describe, expect, it } from "vitest";
import { runCaptured } from "../captured.js";

const cli = (argv: string[]) => runCaptured(argv);
const llama8bOn64 = [
  "plan",
  "--model",
  "llama3-8b",
  "--chip",
  "h100-sxm",
  "--chips",
  "64",
  "--global-batch",
  "256",
];

describe("trainplan plan --json", () => {
  it("--exhaustive checks every configuration and finds the same plans as the bounded default", async () => {
    const bounded = JSON.parse((await cli([...llama8bOn64, "--json"])).stdout);
    const exhaustive = JSON.parse((await cli([...llama8bOn64, "--json", "--exhaustive"])).stdout);
    expect(exhaustive.plans).toEqual(bounded.plans);
    expect(exhaustive.evaluated).toBe(bounded.evaluated);
    expect(exhaustive.rejected["cannot enter the top plans (step-time lower bound)"]).toBeUndefined();
    expect(bounded.rejected["cannot enter the top plans (step-time lower bound)"]).toBeGreaterThan(0);
    expect(exhaustive.feasible).toBeGreaterThan(bounded.feasible);
  });

  it("prints the shape issue 3 specifies, plans best first", async () => {
    const r = await cli([...llama8bOn64, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ["evaluated", "feasible", "rejected", "elapsedSeconds", "plans"])
      expect(out).toHaveProperty(key);
    expect(out.plans.length).toBe(5);
    const p = out.plans[0];
    for (const key of [
      "tp",
      "pp",
      "vpp",
      "dp",
      "cp",
      "ep",
      "microBatch",
      "recompute",
      "zero",
      "sequenceParallel",
      "precision",
    ]) {
      expect(p.parallelism).toHaveProperty(key);
    }
    expect(p.step.seconds).toBeGreaterThan(0);
    expect(p.throughput.tokensPerSecondPerChip).toBeGreaterThan(0);
    expect(p.memory.perChipBytes).toBeLessThanOrEqual(p.memory.capacityBytes);
    const tps = out.plans.map(
      (x: { throughput: { tokensPerSecondPerChip: number } }) => x.throughput.tokensPerSecondPerChip,
    );
    expect([...tps].sort((a, b) => b - a)).toEqual(tps);
  });

  it("shows each plan's tokens/s per chip with the 80% band that --json carries", async () => {
    const json = JSON.parse((await cli([...llama8bOn64, "--json", "--top", "1"])).stdout);
    const band = json.plans[0].band;
    expect(band.low).toBeLessThan(band.high);
    const text = (await cli([...llama8bOn64, "--top", "1"])).stdout;
    expect(text).toContain("tokens/s/chip (80% band)");
    expect(text).toContain(`(${Math.round(band.low)}-${Math.round(band.high)})`);
  });

  it("plans with bf16 gradient reduction when asked, and says so", async () => {
    const fp32 = JSON.parse((await cli([...llama8bOn64, "--json"])).stdout);
    const r = await cli([...llama8bOn64, "--grad-reduce", "bf16", "--json"]);
    expect(r.code).toBe(0);
    const bf16 = JSON.parse(r.stdout);
    const best = bf16.plans[0];
    expect(best.assumptions.join(" ")).toMatch(/reduced in bf16/);
    expect(best.throughput.tokensPerSecondPerChip).toBeGreaterThanOrEqual(
      fp32.plans[0].throughput.tokensPerSecondPerChip,
    );
  });

  it("rejects an unknown gradient precision with the allowed values", async () => {
    const r = await cli([...llama8bOn64, "--grad-reduce", "fp16"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--grad-reduce.*fp16.*fp32, bf16/);
  });

  it("prints a scaling table over a chip range", async () => {
    const r = await cli([
      "plan",
      "--model",
      "llama3-8b",
      "--chip",
      "h100-sxm",
      "--chips",
      "8..64",
      "--global-batch",
      "256",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scaling eff\./);
    for (const n of ["8", "16", "32", "64"]) expect(r.stdout).toMatch(new RegExp(`^\\s*${n}\\s`, "m"));
  });

  it("says why nothing fits and names the smallest chip count that does", async () => {
    const r = await cli(["plan", "--model", "llama3-405b", "--chip", "h100-sxm", "--chips", "8"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /no feasible plan: no plan for .* fits in h100-sxm memory on 8 chips; the smallest .* is \d+/,
    );
  });

  it("uses compare's precision (bf16) unless asked, and says so; --precision auto may pick fp8", async () => {
    const r = await cli([...llama8bOn64, "--json"]);
    const plain = JSON.parse(r.stdout);
    expect(
      plain.plans.every((p: { parallelism: { precision: string } }) => p.parallelism.precision === "bf16"),
    ).toBe(true);
    expect(plain.notes.join(" ")).toMatch(/precision bf16 .*--precision auto/);
    const auto = JSON.parse((await cli([...llama8bOn64, "--precision", "auto", "--json"])).stdout);
    expect(auto.plans[0].parallelism.precision).toBe("fp8");
    expect(auto.notes.join(" ")).not.toMatch(/precision bf16/);
  });

  it("heads the MFU column with the peak it is measured against", async () => {
    const r = await cli([...llama8bOn64, "--precision", "fp8"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("MFU (bf16 peak)");
  });

  it("says in its text output when the chip borrows another chip's fitted profile", async () => {
    const r = await cli([
      "plan",
      "--model",
      "llama3-8b",
      "--chip",
      "h200",
      "--chips",
      "64",
      "--global-batch",
      "256",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /note: performance profile: h200-sxm has no validation cases of its own: borrows the profile fitted for h100-sxm/,
    );
    const own = await cli(llama8bOn64);
    expect(own.stdout).not.toContain("performance profile");
  });
});
