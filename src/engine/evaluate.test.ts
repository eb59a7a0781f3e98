import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import {
  evaluateMemory,
  evaluateTime,
  OUT_ATTENTION,
  OUT_BUBBLE,
  OUT_DP_COMM,
  OUT_DP_TOTAL,
  OUT_MEM_ACTIVATIONS,
  OUT_MEM_GRADS,
  OUT_MEM_TOTAL,
  OUT_OFFLOAD,
  OUT_OPTIMIZER,
  OUT_PP_COMM,
  OUT_SIZE,
  OUT_STEP,
  OUT_TP_COMM,
  pipelineImbalance,
  prepare,
  ringBandwidth,
  STEP_COMPONENTS,
} from "./evaluate.js";

const chip = findChip("h100-sxm")!;
const model = findModelPreset("llama3-70b")!.model;
const prep = prepare(workloadOperators(model), rankHardware(chip), profileForChip(chip).profile);

function memory(zero: number, recompute: number, tp = 8, pp = 4): number {
  const out = new Float64Array(OUT_SIZE);
  return evaluateMemory(prep, tp, pp, 1, 8, 1, 1, 1, 64, recompute, zero, 1, 0, out);
}

describe("evaluateTime", () => {
  it("returns a step whose breakdown sums to the step time", () => {
    const out = new Float64Array(OUT_SIZE);
    const step = evaluateTime(prep, 8, 4, 2, 8, 1, 1, 1, 1, 1, 1, 0, 512, out);
    const sum = STEP_COMPONENTS.reduce((s, [slot]) => s + out[slot], 0);
    expect(step).toBeGreaterThan(0);
    expect(out[OUT_STEP]).toBe(step);
    expect(sum).toBeCloseTo(step, 9);
  });

  it("charges tensor parallelism more when the group leaves the NVLink domain", () => {
    const a = new Float64Array(OUT_SIZE);
    const b = new Float64Array(OUT_SIZE);
    evaluateTime(prep, 8, 1, 1, 16, 1, 1, 1, 0, 1, 1, 0, 512, a);
    evaluateTime(prep, 16, 1, 1, 8, 1, 1, 1, 0, 1, 1, 0, 512, b);
    // Half the bytes per rank on tp16, but over 50 GB/s links instead of 450 GB/s.
    expect(b[OUT_TP_COMM]).toBeGreaterThan(2 * a[OUT_TP_COMM]);
  });

  it("makes fp8 faster than bf16 on a chip with an fp8 path", () => {
    const a = new Float64Array(OUT_SIZE);
    const b = new Float64Array(OUT_SIZE);
    const bf16 = evaluateTime(prep, 8, 4, 1, 8, 1, 1, 1, 0, 1, 1, 0, 512, a);
    const fp8 = evaluateTime(prep, 8, 4, 1, 8, 1, 1, 1, 0, 1, 1, 1, 512, b);
    expect(fp8).toBeLessThan(bf16);
  });
});

describe("evaluateMemory", () => {
  it("shrinks memory per rank with each ZeRO stage", () => {
    const m = [0, 1, 2, 3].map((z) => memory(z, 0, 8, 1));
    for (let i = 1; i < m.length; i++) expect(m[i]).toBeLessThan(m[i - 1]);
  });

  it("stores fewer activations with more recomputation", () => {
    const act = [0, 1, 2].map((rc) => {
      const out = new Float64Array(OUT_SIZE);
      evaluateMemory(prep, 8, 4, 1, 8, 1, 1, 1, 64, rc, 1, 1, 0, out);
      return out[OUT_MEM_ACTIVATIONS];
    });
    expect(act[1]).toBeLessThan(act[0]);
    expect(act[2]).toBeLessThan(act[1]);
  });

  it("matches Korthikanti's 34·s·b·h/t per layer order of magnitude for GPT-3 175B", () => {
    // GPT-3 175B, tp 8 with sequence parallelism, no recomputation, one micro-batch in flight:
    // Korthikanti et al. 2022 eq. 2 without the attention-score term gives 34·s·b·h/t bytes per layer.
    const gpt3 = findModelPreset("gpt3-175b")!.model;
    const p = prepare(workloadOperators(gpt3), rankHardware(chip), profileForChip(chip).profile);
    const out = new Float64Array(OUT_SIZE);
    evaluateMemory(p, 8, 96, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, out);
    const perLayer = out[OUT_MEM_ACTIVATIONS];
    const korthikanti = (34 * 2048 * 12288) / 8;
    expect(perLayer / korthikanti).toBeGreaterThan(0.8);
    expect(perLayer / korthikanti).toBeLessThan(1.1);
  });

  it("reports the total as the sum of its parts plus the stated allowance", () => {
    const out = new Float64Array(OUT_SIZE);
    const total = evaluateMemory(prep, 8, 4, 1, 8, 1, 1, 1, 64, 0, 1, 1, 0, out);
    expect(out[OUT_MEM_TOTAL]).toBe(total);
  });
});

describe("ringBandwidth", () => {
  it("gives NVLink inside a node and k NICs for k group members per node across nodes", () => {
    expect(ringBandwidth(prep, 8, 1)).toBe(prep.scaleUpBw);
    // 64 ranks with stride 1: 8 per node, so 8 NICs carry the ring (capped by NVLink).
    expect(ringBandwidth(prep, 64, 1)).toBe(Math.min(prep.scaleUpBw, 8 * prep.scaleOutBw));
    // Stride 8 (tp = 8 inside the node): one member per node, one NIC.
    expect(ringBandwidth(prep, 64, 8)).toBe(prep.scaleOutBw);
  });
});

describe("gradient reduction precision", () => {
  const bf16 = prepare(prep.ops, prep.hw, prep.profile, "fused", "bf16");

  it("halves gradient memory and data-parallel gradient traffic when gradients are reduced in bf16", () => {
    const a = new Float64Array(OUT_SIZE);
    const b = new Float64Array(OUT_SIZE);
    evaluateMemory(prep, 8, 4, 1, 8, 1, 1, 1, 64, 1, 1, 1, 0, a);
    evaluateMemory(bf16, 8, 4, 1, 8, 1, 1, 1, 64, 1, 1, 1, 0, b);
    expect(b[OUT_MEM_GRADS]).toBeCloseTo(a[OUT_MEM_GRADS] / 2, 0);
    // ZeRO-0: the all-reduce moves only gradients, so its time halves (bandwidth-bound at 70B).
    evaluateTime(prep, 8, 4, 1, 8, 1, 1, 1, 1, 0, 1, 0, 512, a);
    evaluateTime(bf16, 8, 4, 1, 8, 1, 1, 1, 1, 0, 1, 0, 512, b);
    expect(b[OUT_DP_TOTAL] / a[OUT_DP_TOTAL]).toBeGreaterThan(0.49);
    expect(b[OUT_DP_TOTAL] / a[OUT_DP_TOTAL]).toBeLessThan(0.51);
  });
});

describe("pipelineImbalance", () => {
  it("is 1 when the layers, or the layers plus embedding and loss slots, divide evenly", () => {
    expect(pipelineImbalance(80, 4, 5)).toBe(1);
    expect(pipelineImbalance(126, 16, 1)).toBe(1); // Llama 3 405B: 128 slots on 16 stages
    expect(pipelineImbalance(61, 1, 1)).toBe(1);
  });

  it("charges the heaviest chunk when the split is uneven", () => {
    // DeepSeek-V3's 61 layers on 8 stages: the heaviest stage holds 8 layers, the average 61/8.
    expect(pipelineImbalance(61, 8, 1)).toBeCloseTo(64 / 61, 12);
    expect(pipelineImbalance(61, 8, 4)).toBeCloseTo(64 / 61, 12);
  });
});

describe("an uneven pipeline split", () => {
  it("reports the wait for the heaviest chunk in the bubble, so the breakdown still sums to the step", () => {
    const ds = findModelPreset("deepseek-v3")!.model;
    const p61 = prepare(workloadOperators(ds), rankHardware(chip), profileForChip(chip).profile);
    const out = new Float64Array(OUT_SIZE);
    // 61 layers on pp8 x vpp4: 32 chunks of up to 2 layers.
    const step = evaluateTime(p61, 8, 8, 4, 8, 1, 64, 1, 2, 1, 1, 0, 512, out);
    const sum = STEP_COMPONENTS.reduce((s, [slot]) => s + out[slot], 0);
    expect(sum).toBeCloseTo(step, 9);
    // 64 micro-batches of a balanced stage t: fill and drain 7/4 of the heaviest (64/61 t), and each
    // micro-batch waits (64/61 - 1) t for it.
    const m = 512 / 8;
    const t = (step - out[OUT_BUBBLE] - out[OUT_PP_COMM] - out[OUT_DP_COMM] - out[OUT_OPTIMIZER]) / m;
    expect(out[OUT_BUBBLE]).toBeCloseTo((7 / 4) * (64 / 61) * t + m * (64 / 61 - 1) * t, 9);
  });
});

describe("alternating attention layers", () => {
  const oss = findModelPreset("gpt-oss-120b")!.model;
  const ops = workloadOperators(oss);
  const base = profileForChip(chip).profile;
  const at = (switchSeconds: number) =>
    prepare(ops, rankHardware(chip), { ...base, attentionSwitchSeconds: switchSeconds });

  it("pay attentionSwitchSeconds per layer per micro-batch on the critical path", () => {
    const a = new Float64Array(OUT_SIZE);
    const b = new Float64Array(OUT_SIZE);
    // tp1 pp1 dp8 ep8, micro-batch 1, 64 sequences: 8 micro-batches per rank through 36 layers.
    evaluateTime(at(0), 1, 1, 1, 8, 1, 8, 1, 1, 1, 0, 0, 64, a);
    evaluateTime(at(0.002), 1, 1, 1, 8, 1, 8, 1, 1, 1, 0, 0, 64, b);
    expect(b[OUT_STEP] - a[OUT_STEP]).toBeCloseTo(8 * 36 * 0.002, 9);
  });

  it("are not charged to a model whose layers all attend the same way", () => {
    expect(prep.alternatingAttention).toBe(false);
    expect(at(0).alternatingAttention).toBe(true);
  });
});

describe("the unfused (pre-FlashAttention) attention kernel", () => {
  const gpt = findModelPreset("gpt3-175b")!.model;
  const ops = workloadOperators(gpt);
  const a100 = findChip("a100-80gb-sxm")!;
  const at = (kernel: "fused" | "unfused") =>
    prepare(ops, rankHardware(a100), profileForChip(a100).profile, kernel);

  it("stores 5·a·s bytes of scores per token and layer, which selective recomputation drops", () => {
    const fused = new Float64Array(OUT_SIZE);
    const unfused = new Float64Array(OUT_SIZE);
    // tp8 pp8, one micro-batch of one 2048-token sequence, no recomputation: 12 layers per stage.
    evaluateMemory(at("fused"), 8, 8, 1, 1, 1, 1, 1, 8, 0, 0, 1, 0, fused);
    evaluateMemory(at("unfused"), 8, 8, 1, 1, 1, 1, 1, 8, 0, 0, 1, 0, unfused);
    const perLayerPerToken = (5 * gpt.heads * 2048) / 8;
    const inFlight = 8; // 1F1B keeps pp micro-batches on the first stage
    expect(unfused[OUT_MEM_ACTIVATIONS] - fused[OUT_MEM_ACTIVATIONS]).toBeCloseTo(
      inFlight * 12 * 2048 * perLayerPerToken,
      -3,
    );
    evaluateMemory(at("fused"), 8, 8, 1, 1, 1, 1, 1, 8, 1, 0, 1, 0, fused);
    evaluateMemory(at("unfused"), 8, 8, 1, 1, 1, 1, 1, 8, 1, 0, 1, 0, unfused);
    expect(unfused[OUT_MEM_ACTIVATIONS]).toBeCloseTo(fused[OUT_MEM_ACTIVATIONS], -3);
  });

  it("takes longer than the fused kernel: the whole score square, in memory", () => {
    const fused = new Float64Array(OUT_SIZE);
    const unfused = new Float64Array(OUT_SIZE);
    evaluateTime(at("fused"), 8, 8, 1, 1, 1, 1, 1, 1, 0, 1, 0, 64, fused);
    evaluateTime(at("unfused"), 8, 8, 1, 1, 1, 1, 1, 1, 0, 1, 0, 64, unfused);
    expect(unfused[OUT_ATTENTION]).toBeGreaterThan(1.5 * fused[OUT_ATTENTION]);
  });
});

describe("fp8 activations", () => {
  it("keep GEMM inputs for backward as 1-byte copies: 2h + ffn bytes less per token and dense layer", () => {
    const bf16 = new Float64Array(OUT_SIZE);
    const fp8 = new Float64Array(OUT_SIZE);
    // Llama 3 70B, tp8 pp4 (20 layers a stage), sequence parallel, no recomputation, one micro-batch.
    evaluateMemory(prep, 8, 4, 1, 8, 1, 1, 1, 1, 0, 1, 1, 0, bf16);
    evaluateMemory(prep, 8, 4, 1, 8, 1, 1, 1, 1, 0, 1, 1, 1, fp8);
    const tokens = model.seqLen;
    const perToken = (2 * model.hidden) / 8 + model.ffnHidden! / 8; // seq part split by sp, ffn by tp
    expect(bf16[OUT_MEM_ACTIVATIONS] - fp8[OUT_MEM_ACTIVATIONS]).toBeCloseTo(20 * tokens * perToken, -3);
  });
});

describe("activation offloading", () => {
  const gb200 = findChip("gb200")!;
  const p70 = prepare(workloadOperators(model), rankHardware(gb200), profileForChip(gb200).profile);

  it("keeps two layers' activations on the device, whatever is in flight", () => {
    const none = new Float64Array(OUT_SIZE);
    const offload = new Float64Array(OUT_SIZE);
    // Llama 3 70B on one stage (80 layers), tp1, micro-batch 2, 8 micro-batches.
    evaluateMemory(p70, 1, 1, 1, 64, 1, 1, 2, 8, 0, 3, 0, 0, none);
    evaluateMemory(p70, 1, 1, 1, 64, 1, 1, 2, 8, 3, 3, 0, 0, offload);
    expect(offload[OUT_MEM_ACTIVATIONS]).toBeCloseTo((2 / 80) * none[OUT_MEM_ACTIVATIONS], -3);
  });

  it("exposes only the host transfers its compute cannot hide, and needs a host link", () => {
    const out = new Float64Array(OUT_SIZE);
    const step = evaluateTime(p70, 1, 1, 1, 64, 1, 1, 2, 3, 3, 0, 0, 256, out);
    expect(out[OUT_OFFLOAD]).toBeGreaterThanOrEqual(0);
    expect(out[OUT_OFFLOAD]).toBeLessThan(step);
    const slow = prepare(
      workloadOperators(model),
      { ...rankHardware(gb200), hostLinkBytesPerSecond: 1e9 },
      p70.profile,
    );
    evaluateTime(slow, 1, 1, 1, 64, 1, 1, 2, 3, 3, 0, 0, 256, out);
    expect(out[OUT_OFFLOAD]).toBeGreaterThan(1);
    expect(rankHardware(findChip("h100-sxm")!).hostLinkBytesPerSecond).toBe(0);
  });
});
