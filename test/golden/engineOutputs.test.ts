import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { engineOutputs } from "./engineOutputs.js";

const FILE = new URL("./engine-outputs.json", import.meta.url);

describe("the engine's outputs on the fixed questions of engineOutputs.ts", () => {
  it("are unchanged (UPDATE_GOLDEN=1 rewrites them when a change is meant to move figures)", () => {
    const now = engineOutputs();
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(FILE, `${JSON.stringify(now, null, 1)}\n`);
    const recorded = JSON.parse(readFileSync(FILE, "utf8"));
    expect(now).toEqual(recorded);
  });
});
