import { describe, expect, it } from "vitest";
import {
  MAX_RECOMPUTE_LAYERS,
  RECOMPUTE,
  RECOMPUTE_MODULES,
  type Recompute,
  recomputeModulesWord,
  ZERO_STAGES,
} from "../plan/schema.js";
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

  it("code every module list after the layer forms, once per set of modules, written back in Megatron's order", () => {
    const codes = new Set<number>();
    for (let mask = 1; mask < 1 << RECOMPUTE_MODULES.length; mask++) {
      const word = recomputeModulesWord(RECOMPUTE_MODULES.filter((_, i) => (mask >> i) & 1));
      const code = recomputeCode(word);
      expect(code).toBeGreaterThan(recomputeCode(`full-uniform-${MAX_RECOMPUTE_LAYERS}`));
      expect(code).toBeLessThan(RECOMPUTE_CODES);
      expect(recomputeOf(code)).toBe(word);
      expect(recomputeForm(code)).toBe(-1);
      codes.add(code);
    }
    expect(codes.size).toBe((1 << RECOMPUTE_MODULES.length) - 1);
    expect(recomputeOf(recomputeCode("modules-moe_act+core_attn"))).toBe("modules-core_attn+moe_act");
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
