import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseConstraintFlags } from "./constraintFlags.js";

describe("--recompute", () => {
  it("takes every word of the recompute vocabulary, layer forms with their count included", () => {
    const c = parseConstraintFlags({
      recompute: "none,selective-op,Full-Block-4,full-every-2,full-uniform-3",
    });
    expect(c?.recompute).toEqual(["none", "selective-op", "full-block-4", "full-every-2", "full-uniform-3"]);
  });

  it("refuses a word outside it with one message naming the flag, the value and the vocabulary", () => {
    for (const bad of ["partial", "full-every-1", "full-block-0", "full-uniform-1025"]) {
      let error: unknown;
      try {
        parseConstraintFlags({ recompute: `none,${bad}` });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(`--recompute: got "${bad}"`);
      expect((error as Error).message).toContain("full-block-N (N >= 1)");
    }
  });
});
