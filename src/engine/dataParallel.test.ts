import { describe, expect, it } from "vitest";
import { resolveSoftware } from "../plan/softwareDefaults.js";
import { ZERO_3 } from "./codes.js";
import { planRecordOf as plan } from "./planRecord.js";
import { prepare } from "./prepare.js";
import { recordMemory, recordTime } from "./result.js";
import { OUT_DP_TOTAL, OUT_MEM_GRADS, OUT_MEM_WEIGHTS, OUT_SIZE } from "./slots.js";
import { prep } from "./testRun.js";

const dpTotal = (p: typeof prep, fields: Parameters<typeof plan>[0]) => {
  const out = new Float64Array(OUT_SIZE);
  recordTime(p, plan(fields), out);
  return out[OUT_DP_TOTAL];
};

describe("FSDP (ZeRO-3) traffic", () => {
  const fsdp = { tp: 8, dp: 8, zero: ZERO_3, sp: 1 };

  it("gathers weights and reduces gradients once per micro-batch without pipelining", () => {
    const m4 = dpTotal(prep, { ...fsdp, pp: 1, microBatches: 4 });
    const m8 = dpTotal(prep, { ...fsdp, pp: 1, microBatches: 8 });
    expect(m8 / m4).toBeCloseTo(2, 6);
  });

  it("under pipelining keeps weights gathered for the step: one gather and one reduction, whatever the micro-batches", () => {
    const m4 = dpTotal(prep, { ...fsdp, pp: 4, microBatches: 4 });
    const m16 = dpTotal(prep, { ...fsdp, pp: 4, microBatches: 16 });
    expect(m16).toBeCloseTo(m4, 12);
    const resharding = prepare(
      prep.ops,
      prep.hw,
      prep.profile,
      resolveSoftware({ fsdpReshardAfterForward: true }),
    );
    expect(dpTotal(resharding, { ...fsdp, pp: 4, microBatches: 16 })).toBeGreaterThan(10 * m16);
  });

  it("holds the stage's gathered weights and unsharded gradients when it keeps them for the step", () => {
    const kept = new Float64Array(OUT_SIZE);
    const resharded = new Float64Array(OUT_SIZE);
    const resharding = prepare(
      prep.ops,
      prep.hw,
      prep.profile,
      resolveSoftware({ fsdpReshardAfterForward: true }),
    );
    recordMemory(prep, plan({ ...fsdp, pp: 4, microBatches: 8 }), kept);
    recordMemory(resharding, plan({ ...fsdp, pp: 4, microBatches: 8 }), resharded);
    expect(kept[OUT_MEM_WEIGHTS]).toBeGreaterThan(5 * resharded[OUT_MEM_WEIGHTS]);
    expect(kept[OUT_MEM_GRADS]).toBeCloseTo(8 * resharded[OUT_MEM_GRADS], 6);
  });
});
