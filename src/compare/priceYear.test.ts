import { describe, expect, it } from "vitest";
import { catalogPriceYear, priceYearOf, quotedYear } from "./priceYear.js";

describe("price year", () => {
  it("dates a period that opens with a year by it, and a current snapshot price by when it was seen", () => {
    expect(quotedYear("late 2024 (capacity-block rates change with demand)", "2026-11-26")).toBe(2024);
    expect(
      quotedYear("current as of the stored catalog snapshot (after the June 2025 cut)", "2026-11-26"),
    ).toBe(2026);
    expect(quotedYear("current", undefined)).toBeNull();
  });

  it("takes the catalog's price year from its current prices (the 2026 snapshot)", () => {
    expect(catalogPriceYear()).toBe(2026);
  });

  it("dates a user price at the year given as now, a catalog price at its quote", () => {
    expect(priceYearOf({ kind: "override", note: "--price h100=2" }, 2031)).toBe(2031);
    expect(priceYearOf({ kind: "override", note: "--price h100=2" })).toBe(catalogPriceYear());
    const catalog = {
      kind: "catalog" as const,
      instance: "x",
      pricing: "capacity-block",
      region: "us-east-1",
      usdPerInstanceHour: 1,
      period: "late 2024",
      title: "t",
      url: "u",
      dateSeen: "2026-11-26",
    };
    expect(priceYearOf(catalog, 2031)).toBe(2024);
  });
});
