import { describe, expect, it } from "vitest";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import { planRecordOf as plan } from "./planRecord.js";
import { prepare } from "./prepare.js";
import { recordMemory } from "./result.js";
import { OUT_MEM_ACTIVATIONS, OUT_MEM_TOTAL, OUT_SIZE } from "./slots.js";
import { chip, model, prep } from "./testRun.js";

function memory(zero: number, recompute: number, tp = 8, pp = 4): number {
  const out = new Float64Array(OUT_SIZE);
  return recordMemory(prep, plan({ tp, pp, dp: 8, microBatches: 64, recompute, zero, sp: 1 }), out);
}

describe("evaluateMemory", () => {
  it("shrinks memory per rank with each ZeRO stage", () => {
    const m = [0, 1, 2, 3].map((z) => memory(z, 0, 8, 1));
    for (let i = 1; i < m.length; i++) expect(m[i]).toBeLessThan(m[i - 1]);
  });

  it("stores fewer activations with more recomputation; core_attn's only saving is an unfused kernel's scores", () => {
    const activations = (p: typeof prep) =>
      [0, 1, 2].map((rc) => {
        const out = new Float64Array(OUT_SIZE);
        recordMemory(p, plan({ tp: 8, pp: 4, dp: 8, microBatches: 64, recompute: rc, zero: 1, sp: 1 }), out);
        return out[OUT_MEM_ACTIVATIONS];
      });
    const flash = activations(prep);
    expect(flash[1]).toBe(flash[0]);
    expect(flash[2]).toBeLessThan(flash[1]);
    const unfused = activations({ ...prep, unfusedScoreBytes: 5 * 64 * prep.seqLen });
    expect(unfused[1]).toBeLessThan(unfused[0]);
    // Beside the working set of one layer rebuilding its scores, selective keeps what flash attention keeps.
    const scores = (prep.seqLen * 5 * 64 * prep.seqLen) / 8;
    expect(unfused[1] - flash[1]).toBeCloseTo(scores, 0);
    expect(unfused[2]).toBeLessThan(unfused[1]);
  });

  it("matches Korthikanti's 34·s·b·h/t per layer order of magnitude for GPT-3 175B", () => {
    // GPT-3 175B, tp 8 with sequence parallelism, no recomputation, one micro-batch in flight:
    // Korthikanti et al. 2022 eq. 2 without the attention-score term gives 34·s·b·h/t bytes per layer.
    const gpt3 = findModelPreset("gpt3-175b")!.model;
    const p = prepare(workloadOperators(gpt3), rankHardware(chip), profileForChip(chip).profile);
    const out = new Float64Array(OUT_SIZE);
    recordMemory(p, plan({ tp: 8, pp: 96, dp: 1, microBatches: 1, sp: 1 }), out);
    const perLayer = out[OUT_MEM_ACTIVATIONS];
    const korthikanti = (34 * 2048 * 12288) / 8;
    expect(perLayer / korthikanti).toBeGreaterThan(0.8);
    expect(perLayer / korthikanti).toBeLessThan(1.1);
  });

  it("reports the total as the sum of its parts plus the stated allowance", () => {
    const out = new Float64Array(OUT_SIZE);
    const total = recordMemory(prep, plan({ tp: 8, pp: 4, dp: 8, microBatches: 64, zero: 1, sp: 1 }), out);
    expect(out[OUT_MEM_TOTAL]).toBe(total);
  });
});

describe("fp8 activations", () => {
  it("keep GEMM inputs for backward as 1-byte copies: 2h + ffn bytes less per token and dense layer", () => {
    const bf16 = new Float64Array(OUT_SIZE);
    const fp8 = new Float64Array(OUT_SIZE);
    // Llama 3 70B, tp8 pp4 (20 layers a stage), sequence parallel, no recomputation, one micro-batch.
    recordMemory(prep, plan({ tp: 8, pp: 4, dp: 8, microBatches: 1, zero: 1, sp: 1 }), bf16);
    recordMemory(prep, plan({ tp: 8, pp: 4, dp: 8, microBatches: 1, zero: 1, sp: 1, fp8: 1 }), fp8);
    const tokens = model.seqLen;
    const perToken = (2 * model.hidden) / 8 + model.ffnHidden! / 8; // seq part split by sp, ffn by tp
    expect(bf16[OUT_MEM_ACTIVATIONS] - fp8[OUT_MEM_ACTIVATIONS]).toBeCloseTo(20 * tokens * perToken, -3);
  });
});
