import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../scenario/simulateScenario.js";
import { runCaptured } from "../captured.js";

// Issue 12's leftover: validate ran a case whose layout sizes are left out at the schema's defaults
// (tp 8 pp 1 here) while simulate searched them; both now fill them the one way (simulationInputOf).
const run = {
  id: "big",
  model: "llama3-70b",
  hardware: { chip: "h100-sxm", count: 64 },
  globalBatch: 256,
  parallelism: { tp: 8 },
  measured: { tokensPerSecondPerChip: 1000 },
};

describe("validate fills omitted layout sizes as simulate does", () => {
  it("predicts what simulate predicts for the same case, and lists every filled field", async () => {
    const r = await runCaptured(["validate", "-", "--json"], { stdin: JSON.stringify([run]) });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const { result } = simulateScenario(run);
    expect(result.parallelism.pp).toBeGreaterThan(1); // the defaults (pp 1) were what validate used
    expect(out.cases[0].predicted).toBe(result.throughput.tokensPerSecondPerChip);
    expect(out.cases[0].fits).toBe(true);
    const p = result.parallelism;
    expect(out.filled).toEqual([
      {
        id: "big",
        notes: [
          `pp ${p.pp}, cp 1, vpp ${p.vpp}, dp ${p.dp}, micro-batch ${p.microBatch}, recompute ${p.recompute}, ${p.zero}, sequence parallelism on: not given; the fastest plan that fits with the given fields fixed (the plan search)`,
        ],
      },
    ]);
    const text = await runCaptured(["validate", "-"], { stdin: JSON.stringify([run]) });
    expect(text.stdout).toContain("filled where a case leaves it out (as trainplan simulate fills it):");
    expect(text.stdout).toContain(`  big: pp ${p.pp}, cp 1, vpp ${p.vpp}, dp ${p.dp},`);
  });

  it("fills them under --fill-unpublished rules as simulate does too", async () => {
    const r = await runCaptured(["validate", "-", "--json", "--fill-unpublished", "rules"], {
      stdin: JSON.stringify([run]),
    });
    const { result } = simulateScenario(run, { unpublishedFill: "rules" });
    expect(JSON.parse(r.stdout).cases[0].predicted).toBe(result.throughput.tokensPerSecondPerChip);
  });
});
