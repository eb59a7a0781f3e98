import { describe, expect, it } from "vitest";
import { runCaptured } from "../captured.js";

const cli = (argv: string[]) => runCaptured(argv);

describe("trainplan plan --json", () => {
  it("prints the shape issue 3 specifies, plans best first", async () => {
    const r = await cli([
      "plan",
      "--model",
      "llama3-8b",
      "--chip",
      "h100-sxm",
      "--chips",
      "64",
      "--global-batch",
      "256",
      "--json",
    ]);
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
});
