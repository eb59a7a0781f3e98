import { describe, expect, it } from "vitest";
import type { PlanConstraints } from "../plan/constraints.js";
import { compileFilter, integerVerdict, sharedFilter } from "./constraintFilter.js";

describe("sharedFilter", () => {
  it("gives what compileFilter compiles, one filter for the same constraints given anew", () => {
    const user: PlanConstraints = { tp: { min: 1, max: 4 }, recompute: ["full", "none"] };
    const stack: PlanConstraints = { zero: ["zero0", "zero1"] };
    const shared = sharedFilter(user, stack, ["uniform"]);
    expect(shared).toEqual(compileFilter(user, stack, ["uniform"]));
    expect(sharedFilter({ ...user }, { ...stack }, ["uniform"])).toBe(shared);
  });

  it("keeps apart constraints that differ only in a value's type or in a missing value", () => {
    const one = sharedFilter({ tp: 1 }, undefined, undefined);
    const asText = sharedFilter({ tp: "1" } as unknown as PlanConstraints, undefined, undefined);
    const notANumber = sharedFilter({ tp: Number.NaN }, undefined, undefined);
    expect(asText).not.toBe(one);
    expect(notANumber).not.toBe(one);
    expect(sharedFilter({ tp: 1 }, undefined, undefined)).toBe(one);
  });

  it("is not changed by a later change to the caller's list", () => {
    const list = [1, 2];
    const filter = sharedFilter({ tp: list }, undefined, undefined);
    list.push(8);
    expect(integerVerdict(filter, "tp", 8)).not.toBeNull();
    expect(sharedFilter({ tp: [1, 2] }, undefined, undefined)).toBe(filter);
  });
});
