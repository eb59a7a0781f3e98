import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SimulationInput, simulate } from "../../src/engine/simulate.js";
import { findChip, withOverrides } from "../../src/hardware/catalog.js";
import { interleavingFillsRounds } from "../../src/plan/rules.js";
import { scenarioToInput } from "../../src/scenario/fromScenario.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { checkResult, peakOf, orBad, rawModel, rawParallelism, rawScenario, refusedOr } from "./arbitraries.js";

// Property suite, simulate (counts in docs/testing.md): every input is simulated or refused with an
// InputError; every result is finite, deterministic, its breakdown sums to its step, its memory does
// not fall as the micro-batch grows, it does not fit when memory exceeds capacity, and its model
// FLOP/s stay under the chip's peak.

/** Generated inputs per property, per run. */
export const SIMULATE_RUNS = { scenarios: 15_000, library: 20_000 };

/** Simulates, then checks the result and, with the plan made explicit, its determinism and micro-batch monotonicity. */
function simulateAndCheck(input: SimulationInput): void {
  const r = refusedOr(() => simulate(input));
  if (r === undefined) return;
  checkResult(r, peakOf(input.chip, r.parallelism.precision));
  const explicit: SimulationInput = { ...input, parallelism: { ...r.parallelism }, microBatch: r.parallelism.microBatch };
  const again = simulate(explicit);
  expect(again.step.seconds).toBe(r.step.seconds);
  expect(again.memory).toEqual(r.memory);
  const { dp, pp, vpp, microBatch } = r.parallelism;
  const doubled = 2 * microBatch;
  if (input.globalBatch % (dp * doubled) === 0 && interleavingFillsRounds(input.globalBatch / (dp * doubled), pp, vpp)) {
    const bigger = simulate({ ...explicit, microBatch: doubled });
    checkResult(bigger, peakOf(input.chip, bigger.parallelism.precision));
    expect(bigger.memory.perRankBytes).toBeGreaterThanOrEqual(r.memory.perRankBytes);
  }
}

/** A chip from the catalog, sometimes with the user's figures in place (valid or not). */
const chipArb = fc
  .tuple(
    fc.constantFrom("h100-sxm", "a100-80gb-sxm", "b200", "gb200", "trn2", "tpu-v5p"),
    fc.option(
      fc.record(
        {
          hbmTBps: orBad(fc.double({ min: 0.01, max: 100, noNaN: true })),
          hbmGiB: orBad(fc.constantFrom(1, 16, 80, 1e4)),
          peakTflops: fc.record({ bf16: orBad(fc.constantFrom(1, 100, 1e5)) }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  )
  .map(([id, overrides]) => {
    const chip = findChip(id)!;
    // biome-ignore lint/suspicious/noExplicitAny: invalid overrides are the point
    return overrides === undefined ? chip : (refusedOr(() => withOverrides(chip, overrides as any)) ?? chip);
  });

/** The engine's own input, as a library user writes it: any field may be missing, extreme or wrong. */
const libraryInput = fc
  .record({
    model: rawModel,
    chip: chipArb,
    chipCount: orBad(fc.constantFrom(1, 2, 4, 8, 16, 64, 1024, 1 << 20)),
    precision: fc.constantFrom("bf16", "fp8", "fp16", "fp4"),
    parallelism: rawParallelism,
    globalBatch: orBad(fc.oneof(fc.integer({ min: 1, max: 2048 }), fc.constant(1 << 24))),
    microBatch: fc.option(orBad(fc.constantFrom(1, 2, 4)), { nil: null }),
    seqLen: fc.option(orBad(fc.constantFrom(128, 1024, 4096, 32_768)), { nil: undefined }),
  })
  .map((g) => {
    const { unit, ...parallelism } = g.parallelism as Record<string, unknown>;
    return { ...g, unit, parallelism } as unknown as SimulationInput;
  });

describe("simulate, on generated input", () => {
  it(`simulates or refuses ${SIMULATE_RUNS.scenarios.toLocaleString("en-US")} parsed scenarios`, () => {
    fc.assert(
      fc.property(rawScenario, (raw) => {
        const s = refusedOr(() => parseScenario(raw));
        if (s !== undefined) simulateAndCheck(scenarioToInput(s));
      }),
      { numRuns: SIMULATE_RUNS.scenarios },
    );
  });

  it(`simulates or refuses ${SIMULATE_RUNS.library.toLocaleString("en-US")} library inputs, valid to malformed`, () => {
    fc.assert(
      fc.property(libraryInput, (input) => simulateAndCheck(input)),
      { numRuns: SIMULATE_RUNS.library },
    );
  });
});
