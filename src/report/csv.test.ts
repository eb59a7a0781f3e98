import { describe, expect, it } from "vitest";
import { csvField, csvRecords } from "./csv.js";

describe("csvField", () => {
  it("quotes commas, quotes, CR and LF per RFC 4180 and leaves other text alone", () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("carriage\rreturn")).toBe('"carriage\rreturn"');
    expect(csvField("plain")).toBe("plain");
  });

  it("writes numbers as String does and a missing value as an empty field", () => {
    expect(csvField(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });
});

describe("csvRecords", () => {
  it("ends every record, the last too, with CRLF unless told LF", () => {
    const records = [
      ["a", "b"],
      ["x,y", 1],
    ];
    expect(csvRecords(records)).toBe('a,b\r\n"x,y",1\r\n');
    expect(csvRecords(records, "\n")).toBe('a,b\n"x,y",1\n');
  });
});
