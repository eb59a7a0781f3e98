import { describe, expect, it } from "vitest";
import { RECOMPUTE, ZERO_STAGES } from "../plan/schema.js";
import {
  RECOMPUTE_FULL,
  RECOMPUTE_NONE,
  RECOMPUTE_OFFLOAD,
  RECOMPUTE_SELECTIVE,
  recomputeCode,
  recomputeOf,
  zeroCode,
  zeroOf,
} from "./codes.js";

describe("engine codes", () => {
  it("order recomputation from lightest to offload, the last (the search skips it without a host link)", () => {
    expect([RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, RECOMPUTE_FULL, RECOMPUTE_OFFLOAD]).toEqual([0, 1, 2, 3]);
    expect(RECOMPUTE_OFFLOAD).toBe(RECOMPUTE.length - 1);
  });

  it("turn every vocabulary word into its code and back", () => {
    for (const r of RECOMPUTE) expect(recomputeOf(recomputeCode(r))).toBe(r);
    for (const z of ZERO_STAGES) expect(zeroOf(zeroCode(z))).toBe(z);
    expect(ZERO_STAGES.map(zeroCode)).toEqual([0, 1, 2, 3]);
  });
});
