import { describe, expect, it } from "vitest";
import { MAX_RECOMPUTE_LAYERS, RECOMPUTE, type Recompute, ZERO_STAGES } from "../plan/schema.js";
import {
  RECOMPUTE_CODES,
  RECOMPUTE_FORM_BLOCK,
  RECOMPUTE_FULL,
  RECOMPUTE_NONE,
  RECOMPUTE_OFFLOAD,
  RECOMPUTE_SELECTIVE,
  RECOMPUTE_SELECTIVE_OP,
  recomputeCode,
  recomputeForm,
  recomputeLayerCount,
  recomputeOf,
  zeroCode,
  zeroOf,
} from "./codes.js";

describe("engine codes", () => {
  it("keep the first four recomputation codes where they were, offload last of them (the search skips it without a host link)", () => {
    expect([RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, RECOMPUTE_FULL, RECOMPUTE_OFFLOAD]).toEqual([0, 1, 2, 3]);
    expect(RECOMPUTE_SELECTIVE_OP).toBeGreaterThan(RECOMPUTE_OFFLOAD);
  });

  it("turn every vocabulary word into its code and back", () => {
    for (const r of RECOMPUTE) expect(recomputeOf(recomputeCode(r))).toBe(r);
    for (const z of ZERO_STAGES) expect(zeroOf(zeroCode(z))).toBe(z);
    expect(ZERO_STAGES.map(zeroCode)).toEqual([0, 1, 2, 3]);
  });

  it("code each layer form with its count, within the code range, and decode it without a table", () => {
    const words: Recompute[] = ["full-every-2", "full-block-1", "full-block-7", "full-uniform-3"];
    words.push(`full-uniform-${MAX_RECOMPUTE_LAYERS}`);
    const codes = words.map(recomputeCode);
    expect(new Set(codes).size).toBe(words.length);
    for (const [i, code] of codes.entries()) {
      expect(code).toBeGreaterThan(RECOMPUTE_SELECTIVE_OP);
      expect(code).toBeLessThan(RECOMPUTE_CODES);
      expect(recomputeOf(code)).toBe(words[i]);
    }
    expect(recomputeForm(recomputeCode("full-block-7"))).toBe(RECOMPUTE_FORM_BLOCK);
    expect(recomputeLayerCount(recomputeCode("full-block-7"))).toBe(7);
    expect(recomputeForm(RECOMPUTE_FULL)).toBe(-1);
  });
});
