import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { profileForChip } from "../hardware/profiles.js";
import { rankHardware } from "../hardware/rankView.js";
import { resolveSoftware } from "../plan/softwareDefaults.js";
import { workloadOperators } from "../workload/operators.js";
import { findModelPreset } from "../workload/presets.js";
import { RECOMPUTE_FULL, RECOMPUTE_OFFLOAD, RECOMPUTE_SELECTIVE } from "./codes.js";
import { pipelineImbalance } from "./pipelineImbalance.js";
import { planRecordOf as plan } from "./planRecord.js";
import { prepare } from "./prepare.js";
import { recordMemory, recordTime } from "./result.js";
import {
  OUT_ATTENTION,
  OUT_BUBBLE,
  OUT_DP_COMM,
  OUT_DP_TOTAL,
  OUT_EP_COMM,
  OUT_EP_TOTAL,
  OUT_KERNEL_OVERHEAD,
  OUT_MEM_ACTIVATIONS,
  OUT_MEM_GRADS,
  OUT_OFFLOAD,
  OUT_OPTIMIZER,
  OUT_PP_COMM,
  OUT_SIZE,
  OUT_STEP,
  OUT_TP_COMM,
  STEP_COMPONENTS,
} from "./slots.js";
import { chip, model, prep } from "./testRun.js";

describe("evaluateTime", () => {
  it("returns a step whose breakdown sums to the step time", () => {
    const out = new Float64Array(OUT_SIZE);
    const step = recordTime(
      prep,
      plan({ tp: 8, pp: 4, vpp: 2, dp: 8, recompute: RECOMPUTE_SELECTIVE, zero: 1, sp: 1, globalBatch: 512 }),
      out,
    );
    const sum = STEP_COMPONENTS.reduce((s, [slot]) => s + out[slot], 0);
    expect(step).toBeGreaterThan(0);
    expect(out[OUT_STEP]).toBe(step);
    expect(sum).toBeCloseTo(step, 9);
  });

  it("charges tensor parallelism more when the group leaves the NVLink domain", () => {
    const a = new Float64Array(OUT_SIZE);
    const b = new Float64Array(OUT_SIZE);
    recordTime(prep, plan({ tp: 8, pp: 1, dp: 16, zero: 1, sp: 1, globalBatch: 512 }), a);
    recordTime(prep, plan({ tp: 16, pp: 1, dp: 8, zero: 1, sp: 1, globalBatch: 512 }), b);
    // Half the bytes per rank on tp16, but over 50 GB/s links instead of 450 GB/s.
    expect(b[OUT_TP_COMM]).toBeGreaterThan(2 * a[OUT_TP_COMM]);
  });

  it("makes fp8 faster than bf16 on a chip with an fp8 path", () => {
    const a = new Float64Array(OUT_SIZE);
    const b = new Float64Array(OUT_SIZE);
    const bf16 = recordTime(prep, plan({ tp: 8, pp: 4, dp: 8, zero: 1, sp: 1, globalBatch: 512 }), a);
    const fp8 = recordTime(prep, plan({ tp: 8, pp: 4, dp: 8, zero: 1, sp: 1, fp8: 1, globalBatch: 512 }), b);
    expect(fp8).toBeLessThan(bf16);
  });
});

describe("gradient reduction precision", () => {
  const bf16 = prepare(prep.ops, prep.hw, prep.profile, resolveSoftware({ gradientReduce: "bf16" }));

  it("halves gradient memory and data-parallel gradient traffic when gradients are reduced in bf16", () => {
    const a = new Float64Array(OUT_SIZE);
    const b = new Float64Array(OUT_SIZE);
    recordMemory(
      prep,
      plan({ tp: 8, pp: 4, dp: 8, microBatches: 64, recompute: RECOMPUTE_SELECTIVE, zero: 1, sp: 1 }),
      a,
    );
    recordMemory(
      bf16,
      plan({ tp: 8, pp: 4, dp: 8, microBatches: 64, recompute: RECOMPUTE_SELECTIVE, zero: 1, sp: 1 }),
      b,
    );
    expect(b[OUT_MEM_GRADS]).toBeCloseTo(a[OUT_MEM_GRADS] / 2, 0);
    // ZeRO-0: the all-reduce moves only gradients, so its time halves (bandwidth-bound at 70B).
    recordTime(
      prep,
      plan({ tp: 8, pp: 4, dp: 8, recompute: RECOMPUTE_SELECTIVE, sp: 1, globalBatch: 512 }),
      a,
    );
    recordTime(
      bf16,
      plan({ tp: 8, pp: 4, dp: 8, recompute: RECOMPUTE_SELECTIVE, sp: 1, globalBatch: 512 }),
      b,
    );
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
    const step = recordTime(
      p61,
      plan({
        tp: 8,
        pp: 8,
        vpp: 4,
        dp: 8,
        ep: 64,
        recompute: RECOMPUTE_FULL,
        zero: 1,
        sp: 1,
        globalBatch: 512,
      }),
      out,
    );
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
    recordTime(
      at(0),
      plan({ tp: 1, pp: 1, dp: 8, ep: 8, recompute: RECOMPUTE_SELECTIVE, zero: 1, globalBatch: 64 }),
      a,
    );
    recordTime(
      at(0.002),
      plan({ tp: 1, pp: 1, dp: 8, ep: 8, recompute: RECOMPUTE_SELECTIVE, zero: 1, globalBatch: 64 }),
      b,
    );
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
    prepare(
      ops,
      rankHardware(a100),
      profileForChip(a100).profile,
      resolveSoftware({ attentionKernel: kernel }),
    );

  it("stores 5·a·s bytes of scores per token and layer, which selective recomputation drops", () => {
    const fused = new Float64Array(OUT_SIZE);
    const unfused = new Float64Array(OUT_SIZE);
    // tp8 pp8, one micro-batch of one 2048-token sequence, no recomputation: 12 layers per stage.
    recordMemory(at("fused"), plan({ tp: 8, pp: 8, dp: 1, microBatches: 8, sp: 1 }), fused);
    recordMemory(at("unfused"), plan({ tp: 8, pp: 8, dp: 1, microBatches: 8, sp: 1 }), unfused);
    const perLayerPerToken = (5 * gpt.heads * 2048) / 8;
    const inFlight = 8; // 1F1B keeps pp micro-batches on the first stage
    expect(unfused[OUT_MEM_ACTIVATIONS] - fused[OUT_MEM_ACTIVATIONS]).toBeCloseTo(
      inFlight * 12 * 2048 * perLayerPerToken,
      -3,
    );
    recordMemory(
      at("fused"),
      plan({ tp: 8, pp: 8, dp: 1, microBatches: 8, recompute: RECOMPUTE_SELECTIVE, sp: 1 }),
      fused,
    );
    recordMemory(
      at("unfused"),
      plan({ tp: 8, pp: 8, dp: 1, microBatches: 8, recompute: RECOMPUTE_SELECTIVE, sp: 1 }),
      unfused,
    );
    // Dropped in every layer kept in flight; rebuilt for one layer at a time during its backward.
    expect(unfused[OUT_MEM_ACTIVATIONS] - fused[OUT_MEM_ACTIVATIONS]).toBeCloseTo(
      2048 * perLayerPerToken,
      -3,
    );
  });

  it("takes longer than the fused kernel: the whole score square, in memory", () => {
    const fused = new Float64Array(OUT_SIZE);
    const unfused = new Float64Array(OUT_SIZE);
    recordTime(
      at("fused"),
      plan({ tp: 8, pp: 8, dp: 1, recompute: RECOMPUTE_SELECTIVE, sp: 1, globalBatch: 64 }),
      fused,
    );
    recordTime(
      at("unfused"),
      plan({ tp: 8, pp: 8, dp: 1, recompute: RECOMPUTE_SELECTIVE, sp: 1, globalBatch: 64 }),
      unfused,
    );
    expect(unfused[OUT_ATTENTION]).toBeGreaterThan(1.5 * fused[OUT_ATTENTION]);
  });
});

describe("activation offloading", () => {
  const gb200 = findChip("gb200")!;
  const p70 = prepare(workloadOperators(model), rankHardware(gb200), profileForChip(gb200).profile);

  it("keeps two layers' activations on the device, whatever is in flight", () => {
    const none = new Float64Array(OUT_SIZE);
    const offload = new Float64Array(OUT_SIZE);
    // Llama 3 70B on one stage (80 layers), tp1, micro-batch 2, 8 micro-batches.
    recordMemory(p70, plan({ tp: 1, pp: 1, dp: 64, microBatch: 2, microBatches: 8, zero: 3 }), none);
    recordMemory(
      p70,
      plan({ tp: 1, pp: 1, dp: 64, microBatch: 2, microBatches: 8, recompute: RECOMPUTE_OFFLOAD, zero: 3 }),
      offload,
    );
    expect(offload[OUT_MEM_ACTIVATIONS]).toBeCloseTo((2 / 80) * none[OUT_MEM_ACTIVATIONS], -3);
  });

  it("exposes only the host transfers its compute cannot hide, and needs a host link", () => {
    const out = new Float64Array(OUT_SIZE);
    const step = recordTime(
      p70,
      plan({ tp: 1, pp: 1, dp: 64, microBatch: 2, recompute: RECOMPUTE_OFFLOAD, zero: 3, globalBatch: 256 }),
      out,
    );
    expect(out[OUT_OFFLOAD]).toBeGreaterThanOrEqual(0);
    expect(out[OUT_OFFLOAD]).toBeLessThan(step);
    const slow = prepare(
      workloadOperators(model),
      { ...rankHardware(gb200), hostLinkBytesPerSecond: 1e9 },
      p70.profile,
    );
    recordTime(
      slow,
      plan({ tp: 1, pp: 1, dp: 64, microBatch: 2, recompute: RECOMPUTE_OFFLOAD, zero: 3, globalBatch: 256 }),
      out,
    );
    expect(out[OUT_OFFLOAD]).toBeGreaterThan(1);
    expect(rankHardware(findChip("h100-sxm")!).hostLinkBytesPerSecond).toBe(0);
  });
});

describe("pipeline p2p", () => {
  const ppComm = (p: typeof prep, microBatches: number, vpp = 1) => {
    const out = new Float64Array(OUT_SIZE);
    recordTime(p, plan({ tp: 8, pp: 4, vpp, dp: 2, sp: 1, microBatches }), out);
    return out[OUT_PP_COMM];
  };

  it("exposes every steady-state send where the schedule waits on them (Megatron's non-interleaved 1F1B)", () => {
    expect(ppComm(prep, 32)).toBeGreaterThan(3 * ppComm(prep, 8));
  });

  it("exposes only fill and drain when interleaved or when the stack overlaps its sends", () => {
    expect(ppComm(prep, 32, 2)).toBeCloseTo(ppComm(prep, 8, 2), 12);
    const overlapped = prepare(prep.ops, prep.hw, prep.profile, resolveSoftware({ blockingP2p: false }));
    expect(ppComm(overlapped, 32)).toBeCloseTo(ppComm(overlapped, 8), 12);
  });
});

describe("the stack's MoE dispatcher and overlaps", () => {
  const ds = findModelPreset("deepseek-v3")!.model;
  const h100 = findChip("h100-sxm")!;
  const withStack = (software: Parameters<typeof resolveSoftware>[0], m = ds, launchSeconds?: number) => {
    const profile = profileForChip(h100).profile;
    return prepare(
      workloadOperators(m),
      rankHardware(h100),
      { ...profile, launchSeconds: launchSeconds ?? profile.launchSeconds },
      resolveSoftware(software),
    );
  };
  const ep64 = plan({ tp: 1, pp: 8, dp: 64, ep: 64, sp: 0, fp8: 1, microBatches: 16 });
  const epTotal = (p: ReturnType<typeof withStack>) => {
    const out = new Float64Array(OUT_SIZE);
    recordTime(p, ep64, out);
    return out;
  };

  it("sends one copy per destination node with DeepEP, fewer still with group-limited routing", () => {
    const a2a = epTotal(withStack({ moeDispatcher: "alltoall" }))[OUT_EP_TOTAL];
    const deepep = epTotal(withStack({ moeDispatcher: "deepep" }))[OUT_EP_TOTAL];
    const ungrouped = { ...ds, moe: { ...ds.moe!, routingGroups: null, topKGroups: null } };
    const deepepUngrouped = epTotal(withStack({ moeDispatcher: "deepep" }, ungrouped))[OUT_EP_TOTAL];
    expect(deepepUngrouped).toBeLessThan(a2a);
    expect(deepep).toBeLessThan(deepepUngrouped);
  });

  it("hides expert all-to-alls behind the other micro-batch's compute when the stack overlaps them", () => {
    const plain = epTotal(withStack({ moeDispatcher: "deepep" }));
    const overlapped = epTotal(withStack({ moeDispatcher: "deepep", expertCommOverlap: true }));
    expect(overlapped[OUT_EP_TOTAL]).toBeCloseTo(plain[OUT_EP_TOTAL], 12);
    expect(overlapped[OUT_EP_COMM]).toBeLessThan(plain[OUT_EP_COMM]);
  });

  it("removes the launch-bound time of layers captured in CUDA graphs", () => {
    const small = findModelPreset("qwen3-30b-a3b")!.model;
    const p8 = plan({ tp: 1, pp: 1, dp: 8, ep: 8, sp: 0, microBatches: 8 });
    const launch = (software: Parameters<typeof resolveSoftware>[0]) => {
      const out = new Float64Array(OUT_SIZE);
      // A slow host on a fine-grained MoE: its kernel launches outlast the GPU work.
      recordTime(withStack(software, small, 1e-4), p8, out);
      return out[OUT_KERNEL_OVERHEAD];
    };
    // DeepEP is charged no dispatcher host cost (layerCosts.ts), so graphs leave no host time at all.
    expect(launch({ moeDispatcher: "deepep" })).toBeGreaterThan(0);
    expect(launch({ moeDispatcher: "deepep", cudaGraphs: true })).toBe(0);
  });

  it("charges the alltoall dispatcher's sync a fixed host time plus one per local expert, per MoE layer and micro-batch", () => {
    const small = findModelPreset("qwen3-30b-a3b")!.model;
    const hostTime = (dispatcher: "alltoall" | "hybridep", ep: number, fixed: number, perExpert: number) => {
      const profile = {
        ...profileForChip(h100).profile,
        dispatcherHostSeconds: fixed,
        dispatchSyncSecondsPerExpert: perExpert,
      };
      const p = prepare(
        workloadOperators(small),
        rankHardware(h100),
        profile,
        resolveSoftware({ moeDispatcher: dispatcher }),
      );
      const out = new Float64Array(OUT_SIZE);
      recordTime(p, plan({ tp: 1, pp: 1, dp: 16, ep, sp: 0, microBatches: 4 }), out);
      return out[OUT_KERNEL_OVERHEAD];
    };
    const base = hostTime("alltoall", 16, 0, 0);
    const moeLayerMicroBatches = small.layers * 4;
    const expertsOn = (ep: number) => small.moe!.experts / ep;
    expect(hostTime("alltoall", 16, 1e-3, 0) - base).toBeCloseTo(moeLayerMicroBatches * 1e-3, 9);
    expect(hostTime("alltoall", 16, 0, 1e-4) - base).toBeCloseTo(
      moeLayerMicroBatches * expertsOn(16) * 1e-4,
      9,
    );
    // Twice the expert parallelism, half the local experts and half their host time.
    const at32 = hostTime("alltoall", 32, 0, 0);
    expect(hostTime("alltoall", 32, 0, 1e-4) - at32).toBeCloseTo(
      moeLayerMicroBatches * expertsOn(32) * 1e-4,
      9,
    );
    // HybridEP does not drain the GPU for the counts: the same host work hides behind the GPU's...
    expect(hostTime("hybridep", 16, 1e-3, 1e-4)).toBe(hostTime("hybridep", 16, 0, 0));
    // ...until the host is the slower of the two, and then only the excess shows.
    const slowHost = hostTime("hybridep", 16, 1e-3, 2e-3) - hostTime("hybridep", 16, 0, 0);
    expect(slowHost).toBeGreaterThan(0);
    expect(slowHost).toBeLessThan(hostTime("alltoall", 16, 1e-3, 2e-3) - base);
  });

  it("charges no dispatcher sync where expert inputs are padded to capacity, and scales the experts' rows by the factor", () => {
    const small = findModelPreset("qwen3-30b-a3b")!.model;
    const ep8 = plan({ tp: 1, pp: 1, dp: 8, ep: 8, sp: 0, microBatches: 4 });
    const run = (capacity: number | undefined) => {
      const profile = { ...profileForChip(h100).profile, dispatcherHostSeconds: 1e-3 };
      const p = prepare(
        workloadOperators(small, small.seqLen, capacity ?? 1),
        rankHardware(h100),
        profile,
        resolveSoftware({ moeDispatcher: "alltoall", expertCapacityFactor: capacity }),
      );
      const out = new Float64Array(OUT_SIZE);
      recordTime(p, ep8, out);
      return { out, syncs: p.dispatcherSyncs };
    };
    const dropless = run(undefined);
    const padded = run(1);
    expect(dropless.syncs).toBe(true);
    expect(padded.syncs).toBe(false);
    // At factor 1 with balanced routing the experts compute what dropless routing gives them...
    expect(padded.out[OUT_EP_TOTAL]).toBeCloseTo(dropless.out[OUT_EP_TOTAL], 12);
    // ...without the host copy of the counts: at least the fixed host time per MoE layer and micro-batch less.
    const fixed = small.layers * 4 * 1e-3;
    expect(dropless.out[OUT_KERNEL_OVERHEAD] - padded.out[OUT_KERNEL_OVERHEAD]).toBeGreaterThanOrEqual(
      fixed - 1e-9,
    );
    // Padded to 1.5x, each expert's inputs and the exchanged buffers are 1.5x as long.
    const wide = run(1.5);
    expect(wide.out[OUT_EP_TOTAL] / padded.out[OUT_EP_TOTAL]).toBeGreaterThan(1.45);
    expect(wide.out[OUT_EP_TOTAL] / padded.out[OUT_EP_TOTAL]).toBeLessThan(1.5 + 1e-9);
    expect(wide.out[OUT_STEP]).toBeGreaterThan(padded.out[OUT_STEP]);
  });
});
