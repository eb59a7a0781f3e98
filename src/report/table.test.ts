import { describe, expect, it } from "vitest";
import { renderCsv, renderMarkdownTable, renderTable } from "./table.js";

const columns = [{ header: "chip" }, { header: "TFLOP/s", align: "right" as const }];
const rows = [
  ["h100-sxm", "989"],
  ["b200", "2250"],
];

describe("renderTable", () => {
  it("aligns columns under a dashed rule", () => {
    expect(renderTable(columns, rows)).toBe(
      ["chip      TFLOP/s", "--------  -------", "h100-sxm      989", "b200         2250", ""].join("\n"),
    );
  });

  it("pads short rows and trims trailing spaces", () => {
    const out = renderTable([{ header: "a" }, { header: "b" }], [["x"]]);
    expect(out.split("\n")[2]).toBe("x");
  });

  it("counts a multi-byte character as one column", () => {
    const out = renderTable(
      [{ header: "n" }, { header: "v" }],
      [
        ["a×b", "1"],
        ["abcd", "2"],
      ],
    );
    expect(out.split("\n")[2]).toBe("a×b   1");
  });
});

describe("renderMarkdownTable", () => {
  it("marks right-aligned columns and escapes pipes", () => {
    const out = renderMarkdownTable(columns, [["a|b", "1"]]);
    expect(out).toBe("| chip | TFLOP/s |\n| --- | ---: |\n| a\\|b | 1 |\n");
  });
});

describe("renderCsv", () => {
  it("writes a header record and quoted fields with CRLF records", () => {
    expect(renderCsv(columns, [["x,y", "1"]])).toBe('chip,TFLOP/s\r\n"x,y",1\r\n');
  });
});
