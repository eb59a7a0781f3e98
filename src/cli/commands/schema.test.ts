import { describe, expect, it } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { scenarioJsonSchema } from "../../scenario/jsonSchema.js";
import { runCaptured } from "../captured.js";

describe("trainplan schema and --version", () => {
  it("prints the scenario JSON Schema generated from the zod schema", async () => {
    const r = await runCaptured(["schema"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(scenarioJsonSchema());
    expect((await runCaptured(["schema", "--help"])).stdout).toMatch(
      /# yaml-language-server: \$schema=https:/,
    );
  });

  it("prints the package version for --version, -V and -v", async () => {
    for (const flag of ["--version", "-V", "-v"]) {
      expect((await runCaptured([flag])).stdout).toBe(`${pkg.version}\n`);
    }
  });
});
