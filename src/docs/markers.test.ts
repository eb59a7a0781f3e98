import { describe, expect, it } from "vitest";
import { blockNames, keepStampIfUnchanged, readBlock, replaceBlock } from "./markers.js";

const doc = ["# Title", "", "<!-- generated:t -->", "old", "<!-- /generated:t -->", "", "tail"].join("\n");

describe("generated blocks", () => {
  it("replaces only the text between a block's markers", () => {
    const r = replaceBlock(doc, "t", "new\nlines\n\n");
    expect(r.status).toBe("replaced");
    expect(r.text).toBe(
      ["# Title", "", "<!-- generated:t -->", "new", "lines", "<!-- /generated:t -->", "", "tail"].join("\n"),
    );
    expect(readBlock(r.text, "t")).toBe("new\nlines");
  });

  it("reports a missing or unclosed block and leaves the text alone", () => {
    expect(replaceBlock(doc, "other", "x")).toEqual({ text: doc, status: "missing" });
    const unclosed = "<!-- generated:u -->\nbody";
    expect(replaceBlock(unclosed, "u", "x")).toEqual({ text: unclosed, status: "unclosed" });
  });

  it("lists the block names in order", () => {
    expect(blockNames(`${doc}\n<!-- generated:b-2 -->\n<!-- /generated:b-2 -->`)).toEqual(["t", "b-2"]);
  });

  it("keeps the old date when nothing else changed, takes the new content otherwise", () => {
    const stamp = /^Generated on \d{4}-\d{2}-\d{2}\.$/m;
    const old = "| a |\nGenerated on 2026-01-01.";
    expect(keepStampIfUnchanged(old, "| a |\nGenerated on 2026-02-02.", stamp)).toBe(old);
    expect(keepStampIfUnchanged(old, "| b |\nGenerated on 2026-02-02.", stamp)).toBe(
      "| b |\nGenerated on 2026-02-02.",
    );
    expect(keepStampIfUnchanged(null, "x", stamp)).toBe("x");
  });
});
