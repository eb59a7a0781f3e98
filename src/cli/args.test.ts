import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { joinNegativeValues, parseCommandArgs } from "./args.js";

const options = { tokens: { type: "string" }, json: { type: "boolean" } } as const;

describe("parseCommandArgs", () => {
  it("reads a negative number after a string option as its value, as --x=-5 does", () => {
    expect(parseCommandArgs("t", ["--tokens", "-5"], options).values.tokens).toBe("-5");
    expect(parseCommandArgs("t", ["--tokens", "-1.5e3"], options).values.tokens).toBe("-1.5e3");
    expect(parseCommandArgs("t", ["--tokens", "-2k", "--json"], options).values).toEqual({
      tokens: "-2k",
      json: true,
    });
  });

  it("still reports a missing value when a flag follows", () => {
    expect(() => parseCommandArgs("t", ["--tokens", "--json"], options)).toThrow(/--tokens needs a value/);
  });

  it("leaves a negative number after a boolean flag, or after --, alone", () => {
    expect(joinNegativeValues(["--json", "-5"], options)).toEqual(["--json", "-5"]);
    expect(joinNegativeValues(["--", "--tokens", "-5"], options)).toEqual(["--", "--tokens", "-5"]);
    expect(joinNegativeValues(["--tokens=-5"], options)).toEqual(["--tokens=-5"]);
    expect(() => parseCommandArgs("t", ["--json", "-5"], options)).toThrow(InputError);
  });

  it("refuses an option given twice with different values (the last was taken silently)", () => {
    expect(() => parseCommandArgs("t", ["--tokens", "1T", "--tokens=2T"], options)).toThrow(
      /^Invalid --tokens: got "1T and then 2T"\. One value: the option is given twice/,
    );
    // The same value twice, or a flag twice, says nothing twice over.
    expect(
      parseCommandArgs("t", ["--tokens", "1T", "--tokens", "1T", "--json", "--json"], options).values,
    ).toEqual({
      tokens: "1T",
      json: true,
    });
    const runs = { run: { type: "string", multiple: true } } as const;
    expect(parseCommandArgs("t", ["--run", "a", "--run", "b"], runs).values.run).toEqual(["a", "b"]);
  });
});
