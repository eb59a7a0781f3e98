import { describe, expect, it } from "vitest";
import { type CountOutcome, pickCount } from "./pickCount.js";

const sizes: CountOutcome[] = [
  { chips: 1024, days: 200, costUsd: 50e6, chipHours: 1 },
  { chips: 2048, days: 101, costUsd: 51e6, chipHours: 1 },
  { chips: 4096, days: 52, costUsd: 53e6, chipHours: 1 },
  { chips: 8192, days: 28, costUsd: 57e6, chipHours: 1 },
];

describe("pickCount", () => {
  it("picks the cheapest size that meets the deadline", () => {
    const p = pickCount(sizes, { deadlineDays: 60 });
    expect(sizes[p.index].chips).toBe(4096);
    expect(p.meetsConstraints).toBe(true);
    expect(p.reason).toBe("cheapest of 2 sizes meeting the 60-day deadline");
  });

  it("without a deadline picks the cheapest size finishing within 120 days", () => {
    const p = pickCount(sizes);
    expect(sizes[p.index].chips).toBe(2048);
    expect(p.reason).toContain("within 120 days");
  });

  it("says why a deadline cannot be met and returns the fastest size", () => {
    const p = pickCount(sizes, { deadlineDays: 10 });
    expect(sizes[p.index].chips).toBe(8192);
    expect(p.meetsConstraints).toBe(false);
    expect(p.reason).toBe(
      "cannot meet the 10-day deadline: the fastest of 4 sizes takes 28 days on 8.19k chips",
    );
  });

  it("says why a budget cannot be met within the deadline", () => {
    const p = pickCount(sizes, { deadlineDays: 60, budgetUsd: 40e6 });
    expect(p.meetsConstraints).toBe(false);
    expect(p.reason).toMatch(
      /^cannot meet the \$40\.0M budget within the 60-day deadline: the cheapest of 2 sizes costs \$53\.0M$/,
    );
  });

  it("treats sizes within 1% of the cheapest as tied and takes the faster", () => {
    const tied: CountOutcome[] = [
      { chips: 512, days: 80, costUsd: 100e6, chipHours: 1 },
      { chips: 1024, days: 40, costUsd: 100.5e6, chipHours: 1 },
    ];
    expect(tied[pickCount(tied).index].chips).toBe(1024);
  });

  it("ranks unpriced sizes by chip-hours and says the budget was not checked", () => {
    const unpriced: CountOutcome[] = [
      { chips: 512, days: 90, costUsd: null, chipHours: 1.1e6 },
      { chips: 1024, days: 50, costUsd: null, chipHours: 1.2e6 },
    ];
    const p = pickCount(unpriced, { budgetUsd: 1e6 });
    expect(unpriced[p.index].chips).toBe(512);
    expect(p.reason).toContain("fewest chip-hours");
    expect(p.reason).toContain("budget not checked (no price)");
  });
});
