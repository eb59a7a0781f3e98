import { describe, expect, it } from "vitest";
import {
  RECOMPUTE_CODES,
  RECOMPUTE_FULL,
  RECOMPUTE_MODULES_FROM,
  RECOMPUTE_NONE,
  RECOMPUTE_SELECTIVE,
  recomputeCode,
} from "../engine/codes.js";
import type { PlanConstraints } from "../plan/constraints.js";
import { STACK_CAPABILITIES } from "../plan/stackCapabilities.js";
import { compileFilter, integerVerdict, recomputeCodesToTry, sharedFilter } from "./constraintFilter.js";
import { MAX_MICRO_BATCH, ORDER_STRIDE } from "./layoutSearch.js";

describe("the recomputations a search tries", () => {
  const candidate = recomputeCode("modules-moe_act+layernorm");
  const forms = (f: keyof typeof STACK_CAPABILITIES) => STACK_CAPABILITIES[f].recomputeForms ?? [];

  it("add the modules that act on the model where the stack runs module lists, once and in code order", () => {
    const core = compileFilter({}, STACK_CAPABILITIES["megatron-core"].constraints, forms("megatron-core"));
    expect(recomputeCodesToTry(core, false, candidate)).toEqual([
      RECOMPUTE_NONE,
      RECOMPUTE_SELECTIVE,
      RECOMPUTE_FULL,
      candidate,
    ]);
    const named = compileFilter(
      { recompute: ["modules-moe_act+layernorm", "full-block-2"] },
      {},
      forms("megatron-core"),
    );
    expect(recomputeCodesToTry(named, false, candidate)).toEqual([
      RECOMPUTE_NONE,
      RECOMPUTE_SELECTIVE,
      RECOMPUTE_FULL,
      recomputeCode("full-block-2"),
      candidate,
    ]);
    // No stack: every recomputation the engine models.
    expect(recomputeCodesToTry(compileFilter({}, {}, null), false, candidate)).toContain(candidate);
  });

  it("leave them out on stacks without Megatron-Core's recompute_modules", () => {
    for (const f of ["torchtitan", "jax-xla", "megatron-lm-legacy", "pytorch-fsdp1"] as const) {
      const filter = compileFilter({}, STACK_CAPABILITIES[f].constraints, forms(f));
      expect(recomputeCodesToTry(filter, false, candidate)).not.toContain(candidate);
    }
  });

  it("allow every module list, and no empty one, where the stack runs them", () => {
    const f = compileFilter({}, { recompute: ["none"] }, ["modules"]);
    expect(f.recompute[RECOMPUTE_MODULES_FROM]).not.toBeNull();
    for (let code = RECOMPUTE_MODULES_FROM + 1; code < RECOMPUTE_CODES; code++)
      expect(f.recompute[code]).toBeNull();
  });

  it("fit every plan of a layout in its stride of the exhaustive order", () => {
    expect((MAX_MICRO_BATCH + 1) * RECOMPUTE_CODES * 4 * 2 * 2).toBeLessThan(ORDER_STRIDE);
  });
});

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
