import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseCount, parseRange } from "./units.js";

describe("parseCount", () => {
  it.each([
    ["16M", 16e6],
    ["16m", 16e6],
    ["1.5k", 1500],
    ["1.5K", 1500],
    ["70B", 70e9],
    ["70g", 70e9],
    ["15T", 15e12],
    ["2048", 2048],
    ["2_048", 2048],
    ["1e12", 1e12],
    ["1.2e3k", 1.2e6],
    [" 8 ", 8],
    [4096, 4096],
  ])("reads %s as %d", (input, expected) => {
    expect(parseCount(input)).toBe(expected);
  });

  it.each(["abc", "16X", "", "1..2", "_1", "1__0", "--1", "NaN", "Infinity"])(
    "rejects %j naming the field",
    (input) => {
      expect(() => parseCount(input, { field: "tokens" })).toThrow(InputError);
      expect(() => parseCount(input, { field: "tokens" })).toThrow(/^Invalid tokens: got /);
    },
  );

  it("rejects negatives and says a positive number is wanted", () => {
    expect(() => parseCount("-5", { field: "globalBatch" })).toThrow(
      /Invalid globalBatch: got "-5"\. A positive number/,
    );
    expect(() => parseCount(-5)).toThrow(InputError);
  });

  it("rejects zero unless non-negative is allowed", () => {
    expect(() => parseCount("0")).toThrow(/positive/);
    expect(parseCount("0", { sign: "nonnegative" })).toBe(0);
  });

  it("rejects fractions when a whole number is required", () => {
    expect(() => parseCount("1.5", { integer: true, field: "chips" })).toThrow(/whole number/);
    expect(parseCount("1.5k", { integer: true })).toBe(1500);
  });

  it("rejects non-finite numbers passed directly", () => {
    expect(() => parseCount(Number.POSITIVE_INFINITY)).toThrow(InputError);
    expect(() => parseCount(Number.NaN)).toThrow(InputError);
  });
});

describe("parseRange", () => {
  it("reads MIN..MAX with suffixes", () => {
    expect(parseRange("1024..16384")).toEqual({ min: 1024, max: 16384 });
    expect(parseRange("1k..16k")).toEqual({ min: 1000, max: 16000 });
  });

  it("reads a single value as a one-point range", () => {
    expect(parseRange("4096")).toEqual({ min: 4096, max: 4096 });
  });

  it("rejects reversed, open or malformed ranges", () => {
    expect(() => parseRange("16..8", { field: "seq" })).toThrow(/Invalid seq: got "16\.\.8"/);
    expect(() => parseRange("..8")).toThrow(InputError);
    expect(() => parseRange("1..2..3")).toThrow(InputError);
    expect(() => parseRange("a..b")).toThrow(InputError);
  });
});
