import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "./jsonSchema.js";
import { ScenarioSchema } from "./schema.js";

type Node = { [k: string]: unknown };
const schema = scenarioJsonSchema() as Node & { properties: Record<string, Node>; required: string[] };

describe("scenario JSON Schema", () => {
  it("is generated from ScenarioSchema: every field, the required ones required", () => {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(ScenarioSchema.shape).sort());
    expect(schema.required.sort()).toEqual(["hardware", "model"]);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toMatch(/^https:\/\/.*scenario\.schema\.json$/);
  });

  it("carries the vocabularies and bounds of the zod schema", () => {
    const precision = schema.properties.precision as Node;
    expect(precision.enum).toEqual(["bf16", "fp16", "fp8"]);
    const tp = (schema.properties.parallelism.properties as Record<string, Node>).tp;
    expect(tp).toMatchObject({ default: 1, exclusiveMinimum: 0 });
  });

  it("lets null stand where a default applies, as the parser does", () => {
    const tp = (schema.properties.parallelism.properties as Record<string, Node>).tp;
    expect(tp.type).toEqual(["integer", "null"]);
    expect(ScenarioSchema.shape.parallelism.parse({ tp: null }).tp).toBe(1);
  });

  it("accepts a model as a preset name, trainplan's fields or a Hugging Face config.json", () => {
    const branches = (schema.properties.model as Node).anyOf as Node[];
    expect(branches.map((b) => b.type)).toEqual(["string", "object", "object"]);
    expect((branches[1].required as string[]).sort()).toEqual([
      "heads",
      "hidden",
      "layers",
      "seqLen",
      "vocab",
    ]);
    expect(branches[2].description).toMatch(/Hugging Face config\.json/);
  });
});

describe("scenario JSON Schema: constraints", () => {
  it("carries the constraint vocabulary of plan's flags, the stack among it, unknown keys refused", () => {
    const branches = (schema.properties.constraints as Node).anyOf as Node[];
    const block = branches.find((b) => b.type === "object") as Node & { properties: Record<string, Node> };
    expect(Object.keys(block.properties)).toEqual(
      expect.arrayContaining([
        "tp",
        "pp",
        "ep",
        "cp",
        "microBatch",
        "recompute",
        "zero",
        "precision",
        "framework",
      ]),
    );
    expect(block.additionalProperties).toBe(false);
    // The flags' texts (`pp: 1..4`) and a blank (null) read as the parser reads them.
    const pp = (block.properties.pp as Node).anyOf as Node[];
    expect(pp).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "string" }), { type: "null" }]),
    );
    expect(pp.find((b) => b.type === "integer")).toMatchObject({ maximum: 1048576 });
    expect(((block.properties.framework as Node).anyOf as Node[])[0].enum).toContain("torchtitan");
    expect(schema.properties.parallelism).toMatchObject({ default: {} });
  });
});
