import { describe, expect, it } from "vitest";
import { workloadOperators } from "./operators.js";
import { findModelPreset } from "./presets.js";

const preset = (id: string) => findModelPreset(id)!.model;

describe("torchtitan's per-operator checkpointing table", () => {
  it("recomputes every second matmul of a Llama block: wk, wo, w3 (wq, wv, w1, w2 saved)", () => {
    const m = preset("llama3-8b");
    const d = workloadOperators(m).dense;
    // qkv = wq (4096) + wk (1024) + wv (1024): wk of 6144 columns; out = wo; up = w1 + w3; down = w2.
    expect(d.gemms.map((g) => g.name)).toEqual(["qkv", "out", "mlp_up", "mlp_down"]);
    expect(d.opCheckpoint.recomputedShare).toEqual([1024 / 6144, 1, 1 / 2, 0]);
    // Saved per token: wq, wv, w1 outputs (column-parallel) and the attention output with its fp32
    // log-sum-exp, split by tp; w2's output whole; the block input split by sequence parallelism.
    const h = m.hidden;
    expect(d.opCheckpoint.savedTpBytes).toBe(2 * (4096 + 1024 + 14336) + 2 * 4096 + 4 * 32);
    expect(d.opCheckpoint.savedFullBytes).toBe(2 * h);
    expect(d.opCheckpoint.savedSeqBytes).toBe(2 * h);
  });

  it("recomputes routed experts and the router (not counted), counting the shared expert's matmuls after attention", () => {
    const m = preset("deepseek-v3");
    const moe = workloadOperators(m).moe!;
    const share = Object.fromEntries(moe.gemms.map((g, i) => [g.name, moe.opCheckpoint.recomputedShare[i]]));
    // MLA with q lora: q_down (1, saved), q_up (2), kv_down (3, saved), kv_up (4), out (5, saved),
    // then the shared expert's w1 (6), w3 (7, saved), w2 (8).
    expect(share).toMatchObject({ q_down: 0, q_up: 1, kv_down: 0, kv_up: 1, out: 0, router: 1 });
    expect(share).toMatchObject({ expert_up: 1, expert_down: 1, shared_up: 1 / 2, shared_down: 1 });
    expect(moe.opCheckpoint.savedDispatchBytes).toBe(2 * 2 * m.moe!.topK * m.hidden);
  });
});
