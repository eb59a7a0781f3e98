import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeValue, formatPath, InputError, inputErrorFromZod, suggest } from "./errors.js";

function zodError(schema: z.ZodType, raw: unknown): InputError {
  const r = schema.safeParse(raw);
  if (r.success) throw new Error("expected a failure");
  return inputErrorFromZod(r.error, raw);
}

describe("InputError", () => {
  it("writes one paragraph naming field, value, allowed and suggestions", () => {
    const e = new InputError({
      field: "hardware.chip",
      value: "h10",
      allowed: "a chip id",
      suggestion: ["h100-sxm", "h800"],
    });
    expect(e.message).toBe('Invalid hardware.chip: got "h10". A chip id. Did you mean h100-sxm, h800?');
    expect(e.message).not.toContain("\n");
    expect(e).toBeInstanceOf(Error);
    expect(e.field).toBe("hardware.chip");
  });

  it("omits the suggestion sentence when there is none", () => {
    const e = new InputError({ field: "x", value: 3, allowed: "a string", suggestion: [] });
    expect(e.message).toBe("Invalid x: got 3. A string.");
    expect(e.suggestion).toBeUndefined();
  });

  it("describes missing, NaN and object values readably", () => {
    expect(describeValue(undefined)).toMatch(/missing/);
    expect(describeValue(Number.NaN)).toBe("NaN");
    expect(describeValue([1, 2])).toBe("a list of 2 items");
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
  });
});

describe("inputErrorFromZod", () => {
  const S = z.object({
    parallelism: z.object({ tp: z.number().int().positive(), zero: z.enum(["zero1", "zero3"]).optional() }),
    name: z.string(),
    cases: z.array(z.object({ n: z.number() })).optional(),
  });

  it("names the dotted path, the value and 'positive' for a zero size", () => {
    const e = zodError(S, { parallelism: { tp: 0 }, name: "a" });
    expect(e.field).toBe("parallelism.tp");
    expect(e.value).toBe(0);
    expect(e.message).toBe("Invalid parallelism.tp: got 0. A positive number (> 0).");
  });

  it("says an integer is required for a fractional size", () => {
    const e = zodError(S, { parallelism: { tp: 1.5 }, name: "a" });
    expect(e.message).toContain("got 1.5");
    expect(e.allowed).toBe("an integer");
  });

  it("lists enum values", () => {
    const e = zodError(S, { parallelism: { tp: 1, zero: "zero9" }, name: "a" });
    expect(e.field).toBe("parallelism.zero");
    expect(e.allowed).toBe("one of zero1, zero3");
  });

  it("marks a missing required field", () => {
    const e = zodError(S, { parallelism: { tp: 1 } });
    expect(e.field).toBe("name");
    expect(e.message).toMatch(
      /^Invalid name: got nothing \(the field is missing\)\. This field is required: a string\.$/,
    );
  });

  it("writes array indices in brackets and applies a prefix", () => {
    const r = S.safeParse({ parallelism: { tp: 1 }, name: "a", cases: [{ n: 1 }, { n: "x" }] });
    expect(r.success).toBe(false);
    const e = inputErrorFromZod(
      r.error!,
      { parallelism: { tp: 1 }, name: "a", cases: [{ n: 1 }, { n: "x" }] },
      "file",
    );
    expect(e.field).toBe("file.cases[1].n");
    expect(e.allowed).toBe("a number");
  });

  it("reports the inner field of an object given to a string-or-object union", () => {
    const U = z.object({ model: z.union([z.string(), z.object({ layers: z.number().int().positive() })]) });
    const e = zodError(U, { model: { layers: -2 } });
    expect(e.field).toBe("model.layers");
    expect(e.value).toBe(-2);
  });

  it("states a too-large or too-small integer as a number bound, not a list length", () => {
    const big = zodError(z.object({ n: z.number().int() }), { n: 1e20 });
    expect(big.message).toBe(
      "Invalid n: got 100000000000000000000. A whole number <= 9,007,199,254,740,991.",
    );
    const small = zodError(z.number().int(), -1e20);
    expect(small.allowed).toBe("a whole number >= -9,007,199,254,740,991");
    expect(zodError(z.number().max(5), 6).allowed).toBe("a number <= 5");
    expect(zodError(z.array(z.number()).max(1), [1, 2]).allowed).toBe("a list with at most 1 items");
  });

  it("formats an empty path as 'input'", () => {
    expect(formatPath([])).toBe("input");
    expect(formatPath(["a", 0, "b"])).toBe("a[0].b");
  });
});

describe("suggest", () => {
  it("keeps close spellings and substrings, drops far ones", () => {
    expect(suggest("h100", ["a100-80gb-sxm", "h100-sxm", "b200", "tpu-v4"])).toEqual(["h100-sxm"]);
    expect(suggest("chps", ["simulate", "models", "chips", "web"])).toEqual(["chips"]);
  });

  it("suggests nothing for an input longer than any name (a 1 MB chip name is no misspelling)", () => {
    expect(suggest(`h100-sxm${"x".repeat(100)}`, ["h100-sxm", "b200"])).toEqual([]);
    expect(suggest(`h100-sxm${"x".repeat(1_000_000)}`, ["h100-sxm", "b200"])).toEqual([]);
    expect(suggest("h100-sxmx", ["h100-sxm", "b200"])).toEqual(["h100-sxm"]);
  });

  it("offers nothing when no name is plausibly close", () => {
    expect(suggest("zzzzzzzz", ["alpha", "beta"])).toEqual([]);
    const chipIds = ["h100-sxm", "h200", "a100-80gb-sxm", "tpu-v5p", "tpu-v4", "trn2", "b200"];
    expect(suggest("nope", chipIds)).toEqual([]);
    expect(suggest("ab", ["web"])).toEqual([]);
  });

  it("allows max(2, 40% of the length) edits", () => {
    expect(suggest("tpu-v5q", ["tpu-v5p"])).toEqual(["tpu-v5p"]);
    expect(suggest("--jsno", ["--json", "--top"])).toEqual(["--json"]);
    // 10 letters: 4 edits are plausible, 5 are not.
    expect(suggest("abcdevwxyz", ["abcdefghij"])).toEqual([]);
    expect(suggest("abcdefwxyz", ["abcdefghij"])).toEqual(["abcdefghij"]);
  });
});
