import { describe, expect, it } from "vitest";
import { paretoFrontier } from "./frontier.js";

describe("paretoFrontier", () => {
  it("keeps exactly the points no other point beats on both time and cost", () => {
    const pts = [
      { id: "fast-dear", days: 10, cost: 100 },
      { id: "slow-cheap", days: 40, cost: 20 },
      { id: "middle", days: 20, cost: 50 },
      { id: "dominated", days: 30, cost: 60 },
      { id: "tie-worse", days: 20, cost: 55 },
      { id: "no-price", days: 5, cost: null },
    ];
    const ids = paretoFrontier(
      pts,
      (p) => p.days,
      (p) => p.cost,
    ).map((p) => p.id);
    expect(ids).toEqual(["fast-dear", "middle", "slow-cheap"]);
  });

  it("keeps both of two identical points (neither is strictly better)", () => {
    const pts = [
      { x: 1, y: 1 },
      { x: 1, y: 1 },
    ];
    expect(
      paretoFrontier(
        pts,
        (p) => p.x,
        (p) => p.y,
      ),
    ).toHaveLength(2);
  });
});
