import { describe, expect, it } from "vitest";
import { type SimulationInput, simulate } from "../engine/simulate.js";
import { findChip } from "../hardware/catalog.js";
import { RECOMPUTE, type Recompute, ZERO_STAGES, type ZeroStage } from "../plan/schema.js";
import { findModelPreset } from "../workload/presets.js";

const h100 = findChip("h100-sxm")!;
const gb200 = findChip("gb200")!;
const llama70b = findModelPreset("llama3-70b")!.model;

/** Llama 3 70B on 64 H100 with only the layout published: micro-batch, recompute, ZeRO and sp left out. */
function question(overrides: Partial<SimulationInput> = {}): SimulationInput {
  return {
    model: llama70b,
    chip: h100,
    chipCount: 64,
    precision: "bf16",
    globalBatch: 128,
    parallelism: { tp: 4, pp: 4, vpp: 1 },
    ...overrides,
  };
}

const tokensPerChip = (input: SimulationInput) => simulate(input).throughput.tokensPerSecondPerChip;

describe("filling unpublished plan fields by search", () => {
  it("keeps every published field and states each field it chose", () => {
    const r = simulate(question({ unpublishedFill: "search", microBatch: 2 }));
    expect(r.parallelism).toMatchObject({ tp: 4, pp: 4, vpp: 1, dp: 4, cp: 1, ep: 1, microBatch: 2 });
    expect(r.parallelism.precision).toBe("bf16");
    const said = r.assumptions.join("\n");
    expect(said).toMatch(/activation recomputation: \w+ \(not published: the fastest plan that fits/);
    expect(said).toMatch(/ZeRO stage: zero\d \(not published: the fastest plan/);
    expect(said).toMatch(/sequence parallelism (on|off) \(not published: the fastest plan/);
    expect(said).not.toMatch(/micro-batch = \d+ sequences? \(not published/);
    expect(said).not.toMatch(/the lightest that fits/);
  });

  it("finds the fastest fitting plan over every value of the unpublished fields", () => {
    const searched = simulate(question({ unpublishedFill: "search" }));
    expect(searched.fits).toBe(true);
    // Brute force over the same fields, each plan simulated with everything published: the
    // recomputations Megatron-Core runs (no host link to offload over; torchtitan's selective-op is not
    // Megatron's, and no recompute module acts on a dense model without multi-latent attention).
    let best = 0;
    for (const microBatch of [1, 2, 4, 8]) {
      for (const recompute of RECOMPUTE.filter((r) => r !== "offload" && r !== "selective-op")) {
        for (const zero of ZERO_STAGES.filter((z) => z === "zero0" || z === "zero1")) {
          for (const sequenceParallel of [false, true]) {
            const r = simulate(
              question({
                microBatch,
                parallelism: { tp: 4, pp: 4, vpp: 1, recompute, zero, sequenceParallel },
              }),
            );
            if (r.fits) best = Math.max(best, r.throughput.tokensPerSecondPerChip);
          }
        }
      }
    }
    expect(searched.throughput.tokensPerSecondPerChip).toBeCloseTo(best, 6);
  });

  it("is never slower than the fixed rules, which pick from the same plans", () => {
    for (const chipCount of [32, 64, 128]) {
      const rules = tokensPerChip(question({ chipCount, unpublishedFill: "rules" }));
      expect(tokensPerChip(question({ chipCount, unpublishedFill: "search" }))).toBeGreaterThanOrEqual(rules);
    }
  });

  it("chooses the interleaving depth only when it is unpublished", () => {
    const free = simulate(question({ unpublishedFill: "search", parallelism: { tp: 4, pp: 4 } }));
    expect(free.assumptions.join("\n")).toMatch(/virtual pipeline stages = \d+ \(not published/);
    expect(80 % (4 * free.parallelism.vpp)).toBe(0);
    const pinned = simulate(question({ unpublishedFill: "search" }));
    expect(pinned.parallelism.vpp).toBe(1);
  });

  it("runs the pipeline schedule the software block names: 1F1B one stage per rank, interleaved two or more", () => {
    const unpublished = { tp: 4, pp: 4 };
    for (const unpublishedFill of ["search", "rules"] as const) {
      const oneF1B = simulate(
        question({ unpublishedFill, parallelism: unpublished, software: { pipelineSchedule: "1f1b" } }),
      );
      expect(oneF1B.parallelism.vpp, unpublishedFill).toBe(1);
      const interleaved = simulate(
        question({
          unpublishedFill,
          parallelism: unpublished,
          software: { pipelineSchedule: "interleaved" },
        }),
      );
      expect(interleaved.parallelism.vpp, unpublishedFill).toBeGreaterThanOrEqual(2);
      expect(80 % (4 * interleaved.parallelism.vpp), unpublishedFill).toBe(0);
      expect(interleaved.assumptions.join("\n")).toMatch(/virtual pipeline stages = \d+ \(/);
    }
    // The rules take the fewest virtual stages that split Llama 3 70B's 80 layers over pp 4: 2.
    const ruled = simulate(
      question({
        unpublishedFill: "rules",
        parallelism: unpublished,
        software: { pipelineSchedule: "interleaved" },
      }),
    );
    expect(ruled.parallelism.vpp).toBe(2);
  });

  it("keeps to what the run's stack runs: FSDP1 has no selective recomputation and no ZeRO-1", () => {
    // Megatron-Core, unrestricted, picks ZeRO-1 for the first run; FSDP1 runs neither it nor selective
    // recomputation (which, beside flash attention, would save no memory anyway: memory.ts).
    const runs = [
      { model: findModelPreset("llama3-8b")!.model, chipCount: 32 },
      { model: llama70b, chipCount: 256 },
    ];
    const picked = (framework: "pytorch-fsdp1" | "megatron-core") =>
      runs.map(({ model, chipCount }) => {
        const r = simulate(
          question({
            unpublishedFill: "search",
            model,
            chipCount,
            globalBatch: 512,
            parallelism: { tp: 2, pp: 1 },
            software: { framework },
          }),
        );
        expect(r.fits).toBe(true);
        return r.parallelism;
      });
    const [core8b] = picked("megatron-core");
    expect(core8b.zero).toBe("zero1");
    for (const plan of picked("pytorch-fsdp1")) {
      expect(["none", "full"]).toContain<Recompute>(plan.recompute);
      expect(["zero0", "zero2", "zero3"]).toContain<ZeroStage>(plan.zero);
      expect(plan.sequenceParallel).toBe(false);
    }
  });

  it("keeps optimizer states replicated on a Megatron-LM older than its distributed optimizer, and says why", () => {
    const on = (version: string) =>
      simulate(
        question({
          unpublishedFill: "search",
          model: findModelPreset("llama3-8b")!.model,
          chipCount: 32,
          globalBatch: 512,
          parallelism: { tp: 2, pp: 1 },
          software: { framework: "megatron-lm-legacy", version },
        }),
      );
    const before = on("2021-04");
    expect(before.parallelism.zero).toBe("zero0");
    expect(before.assumptions.join("\n")).toMatch(
      /ZeRO-0: optimizer states on every data-parallel rank \(.*2022-06/,
    );
    // The same run a release later shards them, as Megatron-Core does for this run.
    expect(on("2022-09").parallelism.zero).toBe("zero1");
  });

  it("refuses a published ZeRO stage above 0 on a stack without a distributed optimizer, naming the field", () => {
    const run = (software: SimulationInput["software"]) =>
      simulate(question({ parallelism: { tp: 2, pp: 1, zero: "zero1" }, software }));
    expect(() => run({ framework: "megatron-core", distributedOptimizer: false })).toThrow(
      /parallelism\.zero[\s\S]*zero1[\s\S]*zero0/,
    );
    expect(() => run({ framework: "megatron-lm-legacy", version: "2021-04" })).toThrow(/2022-06-08/);
    expect(run({ framework: "megatron-core" }).parallelism.zero).toBe("zero1");
  });

  it("offloads activations where the chip has a coherent host link, if that is fastest", () => {
    const r = simulate(question({ unpublishedFill: "search", chip: gb200 }));
    expect(r.fits).toBe(true);
    const rules = simulate(question({ unpublishedFill: "rules", chip: gb200 }));
    expect(r.throughput.tokensPerSecondPerChip).toBeGreaterThanOrEqual(
      rules.throughput.tokensPerSecondPerChip,
    );
  });

  it("falls back to the fixed rules, and says so, when no plan with the published fields fits", () => {
    const r = simulate(
      question({ unpublishedFill: "search", chipCount: 4, globalBatch: 16, parallelism: { tp: 4, pp: 1 } }),
    );
    expect(r.fits).toBe(false);
    const said = r.assumptions.join("\n");
    expect(said).toMatch(/no plan with the published fields fixed fits/);
    expect(said).toMatch(/activation recomputation: full/);
  });
});
