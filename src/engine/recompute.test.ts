import { describe, expect, it } from "vitest";
import type { Recompute } from "../plan/schema.js";
import { RECOMPUTE_FULL, RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, recomputeCode } from "./codes.js";
import { layerActivationBytes } from "./memory.js";
import { C_OP_SELECTIVE, C_SIZE, microBatchCosts } from "./microBatch.js";
import { planRecordOf as plan } from "./planRecord.js";
import { stageRecompute } from "./recompute.js";
import { recordMemory, recordTime } from "./result.js";
import { OUT_MEM_ACTIVATIONS, OUT_RECOMPUTE, OUT_SIZE, OUT_STEP } from "./slots.js";
import { prep } from "./testRun.js";

// Llama 3 70B on H100 (80 layers), tp8 pp4 (20 layers a stage) with sequence parallelism, 64 micro-batches.
function run(recompute: Recompute, fields: { vpp?: number; pp?: number } = {}) {
  const rec = plan({ tp: 8, pp: 4, dp: 8, microBatches: 64, zero: 1, sp: 1, ...fields });
  rec.recompute = recomputeCode(recompute);
  const out = new Float64Array(OUT_SIZE);
  recordMemory(prep, rec, out);
  const activations = out[OUT_MEM_ACTIVATIONS];
  recordTime(prep, rec, out);
  return { activations, recompute: out[OUT_RECOMPUTE], step: out[OUT_STEP] };
}

describe("recomputation as a share of layers and operators", () => {
  it("keeps memory monotone, full <= partial <= none, and time the other way", () => {
    const order: Recompute[] = ["full", "full-block-15", "full-every-2", "full-block-5", "none"];
    const r = order.map((w) => run(w));
    for (let i = 1; i < r.length; i++) {
      expect(r[i].activations).toBeGreaterThan(r[i - 1].activations);
      expect(r[i].recompute).toBeLessThan(r[i - 1].recompute);
      expect(r[i].step).toBeLessThan(r[i - 1].step);
    }
  });

  it("places torchtitan's per-operator checkpointing between full and none, recomputing more than Korthikanti's selective", () => {
    const [full, op, selective, none] = (["full", "selective-op", "selective", "none"] as const).map((w) =>
      run(w),
    );
    expect(op.activations).toBeGreaterThan(full.activations);
    expect(op.activations).toBeLessThan(none.activations);
    expect(op.recompute).toBeLessThan(full.recompute);
    expect(op.recompute).toBeGreaterThan(selective.recompute);
    // About a third to a half of a forward: between a quarter and two thirds of full recomputation.
    expect(op.recompute / full.recompute).toBeGreaterThan(0.25);
    expect(op.recompute / full.recompute).toBeLessThan(2 / 3);
  });

  it("charges half of the layers under full-every-2: half the recompute time of full", () => {
    const full = run("full");
    const half = run("full-every-2");
    expect(half.recompute).toBeCloseTo(full.recompute / 2, 12);
  });

  it("reads a block of N layers per chunk: N x vpp layers of the stage, all of them when that covers the stage", () => {
    expect(run("full-block-20").activations).toBeCloseTo(run("full").activations, 0);
    expect(run("full-block-20").recompute).toBe(run("full").recompute);
    // Interleaved over 2 chunks of 10 layers: block 5 recomputes 10 of the 20, as every-2 does.
    expect(run("full-block-5", { vpp: 2 }).recompute).toBeCloseTo(
      run("full-every-2", { vpp: 2 }).recompute,
      12,
    );
    const s = stageRecompute(recomputeCode("full-block-3"), 20, 2);
    expect([s.policy, s.share]).toEqual([RECOMPUTE_FULL, 6 / 20]);
  });

  it("keeps one input per unit of N layers under full-uniform-N and rebuilds the N layers at once", () => {
    const s = stageRecompute(recomputeCode("full-uniform-4"), 20, 1);
    expect([s.policy, s.share, s.checkpoints, s.rebuilt]).toEqual([RECOMPUTE_FULL, 1, 5 / 20, 4]);
    const full = run("full");
    const uniform = run("full-uniform-4");
    expect(uniform.recompute).toBe(full.recompute);
    // Fewer checkpoints per micro-batch in flight (4 in flight x 15 inputs fewer) outweigh 3 more layers rebuilt.
    expect(uniform.activations).toBeLessThan(full.activations);
  });

  it("drops under selective (core_attn) only what an unfused attention core stores: nothing beside flash attention", () => {
    const d = prep.ops.dense;
    const rec = plan({ tp: 8, pp: 4, dp: 8, microBatches: 1, sp: 1 });
    const tokens = prep.seqLen;
    const none = layerActivationBytes(prep, d, tokens, rec, RECOMPUTE_NONE);
    expect(layerActivationBytes(prep, d, tokens, rec, RECOMPUTE_SELECTIVE)).toBe(none);
    const unfused = { ...prep, unfusedScoreBytes: 5 * 64 * prep.seqLen };
    const kept = layerActivationBytes(unfused, d, tokens, rec, RECOMPUTE_NONE);
    const dropped = layerActivationBytes(unfused, d, tokens, rec, RECOMPUTE_SELECTIVE);
    expect(kept - dropped).toBeCloseTo((tokens * unfused.unfusedScoreBytes) / 8, 6);
    const s = stageRecompute(RECOMPUTE_SELECTIVE, 20, 1);
    expect([s.policy, s.share, s.checkpoints, s.rebuilt]).toEqual([RECOMPUTE_SELECTIVE, 1, 1, 1]);
  });

  it("charges per-operator checkpointing's recompute from the operators it does not save, not a fixed factor", () => {
    const c = new Float64Array(C_SIZE);
    const rec = plan({ tp: 8, pp: 4, dp: 8, microBatches: 1, sp: 1 });
    microBatchCosts(prep, rec, c);
    const withAttentionSaved = c[C_OP_SELECTIVE];
    const heavier = { ...prep.ops.dense, opCheckpoint: { ...prep.ops.dense.opCheckpoint } };
    heavier.opCheckpoint.recomputedShare = heavier.gemms.map(() => 1);
    const all = { ...prep, ops: { ...prep.ops, dense: heavier } };
    microBatchCosts(all, rec, c);
    expect(c[C_OP_SELECTIVE]).toBeGreaterThan(withAttentionSaved);
  });
});
