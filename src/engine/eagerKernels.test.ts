import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import type { Software } from "../plan/software.js";
import { resolveSoftware } from "../plan/softwareDefaults.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import { ZERO_3 } from "./codes.js";
import { layerForward } from "./layerCosts.js";
import { planRecordOf as plan } from "./planRecord.js";
import { prepare } from "./prepare.js";
import { recordTime } from "./result.js";
import { OUT_ELEMENTWISE, OUT_GEMM, OUT_SIZE } from "./slots.js";

const a100 = findChip("a100-80gb-sxm")!;
const fsdp64 = plan({ tp: 1, pp: 1, dp: 64, zero: ZERO_3, microBatches: 1 });

function timesOn(modelId: string, software: Software): Float64Array {
  const model = findModelPreset(modelId)!.model;
  const p = prepare(
    workloadOperators(model),
    rankHardware(a100),
    profileForChip(a100).profile,
    resolveSoftware(software),
  );
  const out = new Float64Array(OUT_SIZE);
  recordTime(p, fsdp64, out);
  return out;
}

describe("eager element-wise kernels", () => {
  it("are torchtitan's default, with the reason, and cost more element-wise time than fused ones", () => {
    const stack = resolveSoftware({ framework: "torchtitan" });
    expect(stack.fusedElementwise).toBe(false);
    expect(stack.fusedNorm).toBe(true);
    expect(stack.reasons.fusedElementwise).toMatch(/compile = false/);
    const eager = timesOn("llama2-13b", { framework: "torchtitan" });
    const fused = timesOn("llama2-13b", { framework: "torchtitan", fusedElementwise: true });
    expect(eager[OUT_ELEMENTWISE]).toBeGreaterThan(fused[OUT_ELEMENTWISE]);
    expect(eager[OUT_GEMM]).toBe(fused[OUT_GEMM]);
  });

  it("add the eager bytes per fused byte: the norms divided by sequence parallelism, rotary and activation by tp", () => {
    const model = findModelPreset("llama2-13b")!.model;
    const ops = workloadOperators(model);
    const lo = ops.dense;
    const tokens = 4096;
    const tp2 = plan({ tp: 2, pp: 1, dp: 32, sp: 1, microBatches: 1 });
    const elementwise = (software: Software) => {
      const p = prepare(ops, rankHardware(a100), profileForChip(a100).profile, resolveSoftware(software));
      return { seconds: layerForward(p, lo, tokens, tp2).elementwise, memBw: p.memBw };
    };
    const fused = elementwise({ framework: "megatron-core" });
    const eager = elementwise({ framework: "megatron-core", fusedElementwise: false, fusedNorm: false });
    const norm = (0.64 / 0.09 - 1) * lo.normSeqBytes;
    const rotary = 4 * lo.rotaryTpBytes;
    const activation = (2 / 3) * lo.gatedActivationTpBytes;
    const extraBytes = tokens * (norm / 2 + (rotary + activation) / 2);
    expect(lo.rotaryTpBytes).toBeGreaterThan(0);
    expect(lo.gatedActivationTpBytes).toBeGreaterThan(0);
    expect(eager.seconds - fused.seconds).toBeCloseTo(extraBytes / fused.memBw, 12);
  });

  it("charge an ungated MLP's activation nothing extra", () => {
    const gpt = workloadOperators(findModelPreset("gpt3-175b")!.model).dense;
    expect(gpt.gatedActivationTpBytes).toBe(0);
  });

  it("leave Megatron stacks fused", () => {
    const stack = resolveSoftware({ framework: "megatron-bridge" });
    expect(stack.fusedElementwise && stack.fusedNorm).toBe(true);
  });
});
