import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { findChip, withOverrides } from "../hardware/catalog.js";
import { searchPlans, simulatePlan, smallestFittingChips } from "../search/searchPlans.js";
import { findModelPreset } from "../workload/presets.js";
import { type SimulationInput, simulate } from "./simulate.js";

const h100 = findChip("h100-sxm")!;
const llama8 = findModelPreset("llama3-8b")!.model;

/** Llama 3 8B on 8 H100, tp 1, pp 1, dp 8: a valid run each test breaks in one field. */
function run(change: Partial<SimulationInput> = {}): SimulationInput {
  return {
    model: llama8,
    chip: h100,
    chipCount: 8,
    precision: "bf16",
    parallelism: { tp: 1, pp: 1, recompute: "full" },
    globalBatch: 64,
    microBatch: 1,
    ...change,
  };
}

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error("expected an InputError, got a result");
}

describe("simulate refuses what the CLI refuses, with the same InputError", () => {
  it("accepts the valid run", () => {
    expect(simulate(run()).fits).toBe(true);
  });

  it('refuses an unpublishedFill outside its vocabulary ("rulez" ran as neither fill)', () => {
    const e = refusal(() => simulate(run({ unpublishedFill: "rulez" as "rules", microBatch: null })));
    expect(e.message).toBe('Invalid unpublishedFill: got "rulez". One of search, rules.');
  });

  it("refuses seqLen NaN or negative (was a raw Error)", () => {
    expect(refusal(() => simulate(run({ seqLen: Number.NaN }))).field).toBe("seqLen");
    expect(refusal(() => simulate(run({ seqLen: -4096 }))).field).toBe("seqLen");
    expect(refusal(() => simulate(run({ seqLen: 2 ** 30 }))).message).toMatch(/<= 1,048,576/);
  });

  it("refuses a software block outside its schema (an expert capacity factor of NaN gave NaN throughput)", () => {
    for (const factor of [Number.NaN, -1, 0, 9]) {
      const e = refusal(() => simulate(run({ software: { expertCapacityFactor: factor } })));
      expect(e.field, String(factor)).toBe("software.expertCapacityFactor");
    }
    expect(refusal(() => simulate(run({ software: { cudaGraph: true } as never }))).message).toMatch(
      /cudaGraphs/,
    );
  });

  it("refuses a pipeline schedule the plan contradicts, or one the engine does not time (both ran as 1F1B)", () => {
    const pipelined = { tp: 1, pp: 4, recompute: "full" as const };
    const interleavedOn1F1B = refusal(() =>
      simulate(run({ parallelism: { ...pipelined, vpp: 2 }, software: { pipelineSchedule: "1f1b" } })),
    );
    expect(interleavedOn1F1B.field).toBe("software.pipelineSchedule");
    expect(interleavedOn1F1B.message).toMatch(/"interleaved" with parallelism.vpp 2/);
    const flatInterleaved = refusal(() =>
      simulate(run({ parallelism: { ...pipelined, vpp: 1 }, software: { pipelineSchedule: "interleaved" } })),
    );
    expect(flatInterleaved.message).toMatch(/"1f1b" with parallelism.vpp 1, or a vpp of 2 or more/);
    const noPipeline = refusal(() => simulate(run({ software: { pipelineSchedule: "interleaved" } })));
    expect(noPipeline.message).toMatch(/pp 1 has a single stage/);
    for (const schedule of ["gpipe", "zero-bubble"]) {
      const e = refusal(() => simulate(run({ software: { pipelineSchedule: schedule } as never })));
      expect(e.message, schedule).toBe(
        `Invalid software.pipelineSchedule: got "${schedule}". One of 1f1b, interleaved.`,
      );
    }
  });

  it("refuses unit neuroncore on a GPU (was NaN memory and a plan with dp 0 that fits)", () => {
    const e = refusal(() => simulate(run({ unit: "neuroncore" })));
    expect(e.field).toBe("unit");
    expect(e.message).toMatch(/h100-sxm, which has no NeuronCores/);
  });

  it("refuses a global batch smaller than dp, naming the smallest valid batch (was 0 micro-batches)", () => {
    const e = refusal(() => simulate(run({ globalBatch: 1, microBatch: null })));
    expect(e.field).toBe("globalBatch");
    expect(e.message).toMatch(/the smallest valid batch is 8; nearest 8\./);
    expect(refusal(() => simulate(run({ globalBatch: 60, microBatch: null }))).message).toMatch(
      /nearest 56 or 64/,
    );
  });

  it("refuses cp that does not split the sequence into 2·cp chunks, as the search does", () => {
    const model = { ...llama8, seqLen: 4098 };
    const e = refusal(() =>
      simulate(run({ model, parallelism: { tp: 1, pp: 1, cp: 2, recompute: "full" } })),
    );
    expect(e.field).toBe("parallelism.cp");
    expect(e.message).toMatch(/2 x cp must divide 4098/);
  });

  it("refuses interleaving whose micro-batches are not a multiple of pp, as the search does", () => {
    // pp 4, dp 2, batch 12: 6 micro-batches, not a multiple of 4.
    const e = refusal(() =>
      simulate(run({ globalBatch: 12, parallelism: { tp: 1, pp: 4, vpp: 2, recompute: "full" } })),
    );
    expect(e.field).toBe("parallelism.vpp");
    expect(
      simulate(run({ globalBatch: 16, parallelism: { tp: 1, pp: 4, vpp: 2, recompute: "full" } })).fits,
    ).toBe(true);
  });

  it("refuses a layout whose sizes do not multiply to the ranks", () => {
    expect(refusal(() => simulate(run({ parallelism: { tp: 2, pp: 1, dp: 8 } }))).field).toBe("parallelism");
  });

  it("refuses a hardware override outside physical bounds (hbmTBps 1e-320 made the step NaN)", () => {
    const e = refusal(() => withOverrides(h100, { hbmTBps: 1e-320 }));
    expect(e.message).toMatch(
      /^Invalid overrides for chip "h100-sxm"\.hbmTBps: got 1e-320\. A number >= 0\.01\./,
    );
    expect(refusal(() => simulate(run({ chip: { ...h100, hbmTBps: 1e-320 } }))).field).toBe("chip.hbmTBps");
  });
});

describe("the plan search refuses bad requests with the same InputError", () => {
  const req = { model: llama8, chip: h100, chips: 8, globalBatch: 64 };

  it("refuses a non-integer or huge top (was more plans than asked, or an invalid typed array length)", () => {
    expect(refusal(() => searchPlans({ ...req, top: 2.5 })).field).toBe("top");
    expect(refusal(() => searchPlans({ ...req, top: 1e9 })).message).toMatch(/<= 1000/);
  });

  it("caps the chips and the global batch (a batch of 1e20 gave a step of 254 billion years)", () => {
    expect(refusal(() => searchPlans({ ...req, chips: 1e9 })).field).toBe("chips");
    expect(refusal(() => searchPlans({ ...req, globalBatch: 1e20 })).field).toBe("globalBatch");
    expect(refusal(() => smallestFittingChips({ ...req, globalBatch: 0 }, 1)).field).toBe("globalBatch");
  });

  it("refuses a typed plan the search would not consider", () => {
    const best = searchPlans({ ...req, top: 1 }).plans[0].parallelism;
    expect(simulatePlan(req, best).fits).toBe(true);
    expect(
      refusal(() => simulatePlan({ ...req, globalBatch: 4 }, { ...best, dp: 8, tp: 1, pp: 1, cp: 1 })).field,
    ).toBe("globalBatch");
  });
});
