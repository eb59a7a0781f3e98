import { describe, expect, it } from "vitest";
import { levenshtein, nearest } from "./nearest.js";

describe("levenshtein", () => {
  it("counts single edits", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(levenshtein("h100", "h100")).toBe(0);
    expect(levenshtein("", "abc")).toBe(3);
    expect(levenshtein("abc", "")).toBe(3);
    expect(levenshtein("h100", "h800")).toBe(1);
  });
});

describe("nearest", () => {
  const chips = ["a100-80gb-sxm", "h100-sxm", "h200-sxm", "b200", "gb200", "trn1", "trn2"];

  it("suggests the closest chip id first for a typo", () => {
    expect(nearest("h100-smx", chips)[0]).toBe("h100-sxm");
    expect(nearest("trn3", chips, 2)).toEqual(["trn1", "trn2"]);
  });

  it("ignores case", () => {
    expect(nearest("GB200", chips, 1)).toEqual(["gb200"]);
  });

  it("returns at most max names and none for max 0", () => {
    expect(nearest("x", chips)).toHaveLength(3);
    expect(nearest("x", chips, 0)).toEqual([]);
    expect(nearest("x", [], 3)).toEqual([]);
  });

  it("keeps the original order on ties and drops duplicates", () => {
    expect(nearest("ab", ["ac", "bb", "ac"], 3)).toEqual(["ac", "bb"]);
  });
});
