import { describe, expect, it } from "vitest";
import validationSet from "../../data/validation/dev.json" with { type: "json" };
import { loadCases } from "./cases.js";
import { planQuality } from "./planQuality.js";

describe("plan search on every published run", () => {
  const { cases } = loadCases(validationSet);
  it("finds a plan at least as fast as the published configuration (which is in the space)", () => {
    const worse = cases
      .map(planQuality)
      .filter((q) => q.bestPredicted < q.publishedPredicted * (1 - 1e-9))
      .map((q) => `${q.id}: best ${q.bestPredicted} < published ${q.publishedPredicted}`);
    expect(worse).toEqual([]);
  });
});
