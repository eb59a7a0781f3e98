import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import type { Software } from "../plan/software.js";
import { resolveSoftware } from "../plan/softwareDefaults.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import { planRecordOf as plan } from "./planRecord.js";
import { prepare } from "./prepare.js";
import { recordTime } from "./result.js";
import { OUT_ELEMENTWISE, OUT_GEMM, OUT_SIZE } from "./slots.js";

const a100 = findChip("a100-80gb-sxm")!;
const fsdp64 = plan({ tp: 1, pp: 1, dp: 64, zero: 3, microBatches: 1 });

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
    expect(eager[OUT_ELEMENTWISE]).toBeGreaterThan(1.3 * fused[OUT_ELEMENTWISE]);
    expect(eager[OUT_GEMM]).toBe(fused[OUT_GEMM]);
  });

  it("charge an eager RMSNorm on top, and nothing extra for an ungated MLP's activation", () => {
    const base = timesOn("llama2-13b", { framework: "megatron-core" })[OUT_ELEMENTWISE];
    const eagerNorm = timesOn("llama2-13b", { framework: "megatron-core", fusedNorm: false })[
      OUT_ELEMENTWISE
    ];
    expect(eagerNorm).toBeGreaterThan(base);
    // GPT-3's MLP is GELU (ungated): only its rotary-sized terms change when fusion is off.
    const gpt = (fusedElementwise: boolean) =>
      timesOn("gpt3-175b", { framework: "megatron-core", fusedElementwise })[OUT_ELEMENTWISE];
    const llama = (fusedElementwise: boolean) =>
      timesOn("llama2-13b", { framework: "megatron-core", fusedElementwise })[OUT_ELEMENTWISE];
    expect(gpt(false) / gpt(true)).toBeLessThan(llama(false) / llama(true));
  });

  it("leave Megatron stacks fused", () => {
    const stack = resolveSoftware({ framework: "megatron-bridge" });
    expect(stack.fusedElementwise && stack.fusedNorm).toBe(true);
  });
});
