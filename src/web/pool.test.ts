import { describe, expect, it } from "vitest";
import { poolSize, splitChips } from "./pool.js";

describe("worker pool", () => {
  it("leaves one core to the page, caps at four and never goes below one", () => {
    expect(poolSize(16)).toBe(4);
    expect(poolSize(4)).toBe(3);
    expect(poolSize(2)).toBe(1);
    expect(poolSize(1)).toBe(1);
    expect(poolSize(undefined)).toBe(1);
    expect(poolSize(Number.NaN)).toBe(1);
  });

  it("deals every chip to exactly one worker, balanced within one chip", () => {
    const chips = Array.from({ length: 14 }, (_, i) => `c${i}`);
    const shares = splitChips(chips, "", 4);
    expect(shares.map((s) => s.chips.length)).toEqual([4, 4, 3, 3]);
    expect(shares.flatMap((s) => s.chips).sort()).toEqual([...chips].sort());
  });

  it("gives the same chip to the same worker whichever chip is selected, selected first", () => {
    const chips = ["a", "b", "c", "d", "e"];
    const plain = splitChips(chips, "", 2);
    const picked = splitChips(chips, "e", 2);
    expect(picked[0].chips).toEqual(["e", "a", "c"]);
    expect(picked.map((s) => [...s.chips].sort())).toEqual(plain.map((s) => [...s.chips].sort()));
  });

  it("gives the capacity view to exactly one worker, one with the fewest chips", () => {
    const shares = splitChips(["a", "b", "c"], "", 2);
    expect(shares.filter((s) => s.capacity)).toHaveLength(1);
    expect(shares[1].capacity).toBe(true);
    expect(splitChips(["a"], "", 1)[0].capacity).toBe(true);
    // More workers than chips: an idle worker takes the capacity view.
    expect(splitChips(["a"], "", 3).findIndex((s) => s.capacity)).toBe(2);
  });
});
