import { describe, expect, it } from "vitest";
import mbridge2509 from "../../data/validation/heldout-mbridge-2509.json" with { type: "json" };
import heldout from "../../data/validation/heldout-mbridge-2602.json" with { type: "json" };
import mbridge2606 from "../../data/validation/heldout-mbridge-2606.json" with { type: "json" };
import mbridge2608 from "../../data/validation/heldout-mbridge-2608.json" with { type: "json" };
import cards from "../../data/validation/heldout-mbridge-cards.json" with { type: "json" };
import nemo2024 from "../../data/validation/heldout-nemo-2024.json" with { type: "json" };
import neuron from "../../data/validation/heldout-neuron-2.24.json" with { type: "json" };
import torchtitan from "../../data/validation/heldout-torchtitan-a100.json" with { type: "json" };
import torchtitanH100 from "../../data/validation/heldout-torchtitan-h100.json" with { type: "json" };
import { prepareRun, runSoftware } from "../engine/run.js";
import { loadCases } from "./cases.js";
import { validateCases } from "./validate.js";

/** Every case of the file was read, none refused. */
function expectEveryCaseRead(loaded: ReturnType<typeof loadCases>, file: readonly unknown[]): void {
  expect(loaded.rejected).toEqual([]);
  expect(loaded.cases.length).toBe(file.length);
}

/** The engine's median error below the naive baseline's, that baseline's MFU fitted to the same cases. */
function expectBelowNaive(report: ReturnType<typeof validateCases>): void {
  expect(report.summary.overall.medianAbsErrorPct).toBeLessThan(
    report.summary.baseline.overall.medianAbsErrorPct,
  );
}

// Megatron-Bridge 26.02.01 rows collected after the fit (README, "held out"): never used to fit or tune.
// These tests guard the file's format and that the engine keeps beating the naive baseline on it,
// even with the baseline's MFU fitted to these very cases.
describe("validation on the held-out Megatron-Bridge 26.02.01 rows", () => {
  const loaded = loadCases(heldout);
  const report = validateCases(loaded.cases);

  it("reads every case (bf16 gradient reduction inferred from the source)", () => {
    expectEveryCaseRead(loaded, heldout);
    for (const c of loaded.cases) expect(runSoftware(c.input).gradientReduce, c.id).toBe("bf16");
  });

  it("has a lower median error than the naive 6N-at-one-MFU baseline fitted to the same cases", () => {
    expectBelowNaive(report);
  });
});

// Megatron-Bridge model verification cards (pretrain_performance entries, recipe knobs read at each
// entry's bridge_commit), collected after the fit and never used to fit or tune.
describe("validation on the held-out Megatron-Bridge verification-card rows", () => {
  const loaded = loadCases(cards);
  const report = validateCases(loaded.cases);

  it("reads every case as a Megatron-Bridge run with bf16 gradient reduction", () => {
    expectEveryCaseRead(loaded, cards);
    for (const c of loaded.cases) {
      const stack = runSoftware(c.input);
      expect(stack.framework, c.id).toBe("megatron-bridge");
      expect(stack.gradientReduce, c.id).toBe("bf16");
    }
  });

  it("has a lower median error than the naive 6N-at-one-MFU baseline fitted to the same cases", () => {
    expectBelowNaive(report);
  });
});

describe("the held-out Neuron 2.24 Trn1 rows", () => {
  it("read as NeuronCore layouts on trn1 and are predicted better than the naive baseline", () => {
    const loaded = loadCases(neuron);
    expectEveryCaseRead(loaded, neuron);
    for (const c of loaded.cases) expect(c.input.unit, c.id).toBe("neuroncore");
    expectBelowNaive(validateCases(loaded.cases));
  });
});

describe("the held-out torchtitan A100 rows (docs/performance.md of 2024-04)", () => {
  it("read as torchtitan runs: eager element-wise kernels by default, the norm as each config names it", () => {
    const loaded = loadCases(torchtitan);
    expectEveryCaseRead(loaded, torchtitan);
    for (const c of loaded.cases) {
      const stack = runSoftware(c.input);
      expect(stack.framework, c.id).toBe("torchtitan");
      expect(stack.fusedElementwise, c.id).toBe(false);
      expect(stack.fusedNorm, c.id).toBe(!/70b/.test(c.id));
    }
  });
});

// Blind files (README, "held out"): collected 2026-12-02 after every change here and predicted before
// anyone looked. The tests guard their format and what each run's stack reads as, not their errors.
describe("the blind torchtitan H100 and H200 rows (benchmarks/ of 2024-12 and 2025-06)", () => {
  const loaded = loadCases(torchtitanH100);

  it("read as torchtitan runs, Grand Teton's H100s with their 2.4 TB/s HBM2e and 96 GB", () => {
    expectEveryCaseRead(loaded, torchtitanH100);
    for (const c of loaded.cases) {
      expect(runSoftware(c.input).framework, c.id).toBe("torchtitan");
      if (c.input.chip.id !== "h100-sxm") continue;
      expect(c.input.chip.hbmTBps, c.id).toBe(2.4);
      expect(c.input.chip.hbmGiB, c.id).toBe(96);
    }
  });

  it("time asynchronous tensor parallelism as overlapped, vanilla tensor parallelism as not", () => {
    for (const c of loaded.cases) {
      if (c.input.parallelism.tp === 1) continue;
      // Ids name async runs "-asynctp-compile-" and vanilla ones "-vanilla-tp-compile-" or no TP word.
      expect(runSoftware(c.input).tpCommOverlap, c.id).toBe(c.id.includes("-asynctp-compile-"));
    }
  });

  it("has a lower median error than the naive 6N-at-one-MFU baseline fitted to the same cases", () => {
    expectBelowNaive(validateCases(loaded.cases));
  });
});

describe("the blind Megatron-Bridge 26.06, 26.06.01 and 26.08 rows", () => {
  it("read as Megatron-Bridge runs whose MoE layers dispatch on HybridEP", () => {
    for (const file of [mbridge2606, mbridge2608]) {
      const loaded = loadCases(file);
      expectEveryCaseRead(loaded, file);
      for (const c of loaded.cases) {
        const stack = runSoftware(c.input);
        expect(stack.framework, c.id).toBe("megatron-bridge");
        if (c.input.model.moe) expect(stack.moeDispatcher, c.id).toBe("hybridep");
      }
    }
  });
});

// Megatron-Bridge 25.09 rows (not blind: collected after the token-drop knob was written). Their MoE
// runs drop tokens and pad to capacity (apply_moe_token_drop), which the engine times without the
// dispatcher's sync.
describe("the held-out Megatron-Bridge 25.09 rows", () => {
  const loaded = loadCases(mbridge2509);

  it("read every run, the token-drop ones padded to capacity 1.0 on the alltoall dispatcher with no sync", () => {
    expectEveryCaseRead(loaded, mbridge2509);
    const tokenDrop = loaded.cases.filter((c) => runSoftware(c.input).expertCapacityFactor != null);
    expect(tokenDrop.length).toBe(13);
    for (const c of tokenDrop) {
      expect(c.input.model.moe, c.id).toBeTruthy();
      const stack = runSoftware(c.input);
      expect(stack.expertCapacityFactor, c.id).toBe(1);
      expect(stack.moeDispatcher, c.id).toBe("alltoall");
      expect(prepareRun(c.input).prep.dispatcherSyncs, c.id).toBe(false);
    }
  });

  it("has a lower median error than the naive 6N-at-one-MFU baseline fitted to the same cases", () => {
    expectBelowNaive(validateCases(loaded.cases));
  });
});

describe("the blind NeMo 24.07 and 24.03.01 H100 rows (Megatron-Core under NeMo 1.x, fp8 delayed scaling)", () => {
  const loaded = loadCases(nemo2024);

  it("read every run as Megatron-Core on H100", () => {
    expectEveryCaseRead(loaded, nemo2024);
    for (const c of loaded.cases) {
      expect(runSoftware(c.input).framework, c.id).toBe("megatron-core");
      expect(c.input.chip.id, c.id).toBe("h100-sxm");
    }
  });

  it("has a lower median error than the naive 6N-at-one-MFU baseline fitted to the same cases", () => {
    expectBelowNaive(validateCases(loaded.cases));
  });
});
