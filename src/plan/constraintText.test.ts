import { describe, expect, it } from "vitest";
import { constraintTexts, parseConstraintTexts } from "./constraintText.js";

describe("constraints as typed", () => {
  it("reads fixed values, ranges, lists and words into the schema's vocabulary", () => {
    expect(
      parseConstraintTexts({
        tp: "8",
        pp: "1..4",
        ep: "1,8",
        zero: "1,zero2",
        recompute: "none",
        sequenceParallel: "on",
      }),
    ).toEqual({
      tp: 8,
      pp: { min: 1, max: 4 },
      ep: [1, 8],
      zero: ["zero1", "zero2"],
      recompute: ["none"],
      sequenceParallel: [true],
    });
    expect(parseConstraintTexts({ tp: " ", pp: "" })).toBeUndefined();
  });

  it("writes them back as the same text", () => {
    const texts = {
      tp: "8",
      pp: "1..4",
      ep: "1,8",
      zero: "zero1,zero2",
      recompute: "none",
      sequenceParallel: "off",
    };
    expect(constraintTexts(parseConstraintTexts(texts))).toEqual(texts);
  });

  it("names the field of a bad text in its message", () => {
    expect(() => parseConstraintTexts({ microBatch: "0" }, (d) => `field ${d}`)).toThrow(
      /field microBatch: got "0"/,
    );
    expect(() => parseConstraintTexts({ recompute: "nope" })).toThrow(
      /recompute: got "nope".*none, selective/,
    );
    expect(() => parseConstraintTexts({ pp: "4..2" })).toThrow(/pp/);
  });
});
