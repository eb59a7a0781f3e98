import { describe, expect, it } from "vitest";
import { instances as catalogInstances } from "../hardware/catalog.js";
import type { Instance } from "../hardware/schema.js";
import { InstanceCatalogSchema } from "../hardware/schema.js";
import { costUsd, parsePriceOverrides, priceListing, priceOptions, resolvePrice } from "./pricing.js";
import { timeToTrain } from "./timeToTrain.js";

const src = {
  title: "SkyPilot catalog v8 (test fixture)",
  url: "https://example.org/vms.csv",
  dateSeen: "2026-11-26",
};
const price = (pricing: string, region: string, usdPerHour: number, current = true) => ({
  pricing,
  region,
  usdPerHour,
  period: current ? "current" : "before June 2025 cut",
  current,
  source: src,
});
const instances: Instance[] = InstanceCatalogSchema.parse([
  {
    id: "aws:p5.48xlarge",
    cloud: "aws",
    chipId: "h100-sxm",
    chipsPerInstance: 8,
    scaleUpDomainChips: 8,
    networkGbps: 3200,
    vcpus: 192,
    hostMemoryGiB: 2048,
    prices: [
      price("on-demand", "us-east-1", 55.04),
      price("on-demand", "us-west-2", 54.0),
      price("on-demand", "us-east-1", 98.32, false),
      price("capacity-block", "us-east-2", 39.33),
    ],
    sources: [src],
  },
  {
    id: "aws:trn2.48xlarge",
    cloud: "aws",
    chipId: "trn2",
    chipsPerInstance: 16,
    scaleUpDomainChips: 16,
    networkGbps: 3200,
    vcpus: 192,
    hostMemoryGiB: 2048,
    prices: [
      price("on-demand", "us-east-2", 85.964),
      { ...price("on-demand", "ap-southeast-4", 35.76), standing: "quoted" },
    ],
    sources: [src],
  },
]);

describe("priceOptions", () => {
  it("divides instance prices by chips and lists current prices cheapest first", () => {
    const opts = priceOptions("h100-sxm", instances);
    expect(opts.map((o) => o.usdPerChipHour)).toEqual([39.33 / 8, 54 / 8, 55.04 / 8]);
    expect(opts[0].source.url).toBe(src.url);
  });

  it("filters by pricing and region and can include historical prices", () => {
    expect(priceOptions("h100-sxm", instances, { pricing: "on-demand", region: "us-east-1" })).toHaveLength(
      1,
    );
    expect(priceOptions("h100-sxm", instances, { includeHistorical: true })).toHaveLength(4);
  });
});

describe("resolvePrice", () => {
  it("picks on-demand in the cheapest region by default", () => {
    const r = resolvePrice("h100-sxm", instances);
    expect(r.usdPerChipHour).toBe(54 / 8);
    expect(r).toMatchObject({ from: "catalog", option: { region: "us-west-2" } });
  });

  it("honours a requested pricing", () => {
    expect(resolvePrice("h100-sxm", instances, { pricing: "capacity-block" }).usdPerChipHour).toBe(39.33 / 8);
  });

  it("says how to pass a price when none is public", () => {
    const r = resolvePrice("trn3", instances);
    expect(r).toEqual({
      usdPerChipHour: null,
      reason: "no public price for trn3; pass --price trn3=<USD per chip-hour>",
    });
  });

  it("names what the catalog has when the requested pricing is missing", () => {
    const r = resolvePrice("h100-sxm", instances, { pricing: "reserved-3yr" });
    expect(r.usdPerChipHour).toBeNull();
    if (r.usdPerChipHour === null) expect(r.reason).toMatch(/capacity-block us-east-2/);
  });

  it("prefers user overrides per chip and per instance", () => {
    expect(
      resolvePrice("trn2", instances, { overrides: parsePriceOverrides("trn2=2.5") }).usdPerChipHour,
    ).toBe(2.5);
    const inst = parsePriceOverrides("instance:p5.48xlarge=56");
    expect(resolvePrice("h100-sxm", instances, { overrides: inst }).usdPerChipHour).toBe(7);
  });
});

describe("quoted prices", () => {
  it("are never picked by default, even when cheaper than the listed price", () => {
    const r = resolvePrice("trn2", instances);
    expect(r.usdPerChipHour).toBe(85.964 / 16);
    expect(priceOptions("trn2", instances)).toHaveLength(1);
    expect(priceOptions("trn2", instances, { includeQuoted: true }).map((o) => o.standing)).toEqual([
      "quoted",
      "listed",
    ]);
  });
});

describe("priceListing", () => {
  it("lists every price of a chip, quoted and historical ones flagged", () => {
    const l = priceListing("h100-sxm", instances);
    expect(l.status).toBe("listed");
    expect(l.options.filter((o) => !o.current)).toHaveLength(1);
  });

  it("says 'no public price' with how to give one, instead of an empty list", () => {
    expect(priceListing("trn3", instances)).toEqual({
      chipId: "trn3",
      status: "no-public-price",
      options: [],
      hint: "pass --price trn3=<USD per chip-hour>",
    });
  });

  it("holds the catalog's two conflicting Trainium2 figures, the aggregator's listed and the write-up's quoted", () => {
    const l = priceListing("trn2", catalogInstances);
    const onDemand = l.options.filter((o) => o.pricing === "on-demand" && o.current);
    expect(onDemand.map((o) => [o.standing, o.usdPerInstanceHour])).toEqual([
      ["quoted", 35.76],
      ["listed", 85.964],
    ]);
    for (const o of onDemand) expect(o.source.dateSeen).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(priceListing("trn3", catalogInstances).status).toBe("no-public-price");
    expect(priceListing("gb200", catalogInstances).status).toBe("no-public-price");
  });
});

describe("parsePriceOverrides", () => {
  it("parses chips and instances", () => {
    expect(parsePriceOverrides("trn2=2.5, h100-sxm=3.1,instance:p5.48xlarge=55")).toEqual({
      chips: { trn2: 2.5, "h100-sxm": 3.1 },
      instances: { "p5.48xlarge": 55 },
    });
  });

  it("rejects malformed or non-positive prices naming the entry", () => {
    expect(() => parsePriceOverrides("trn2")).toThrowError(/price.*trn2/);
    expect(() => parsePriceOverrides("trn2=abc")).toThrowError(/price trn2/);
    expect(() => parsePriceOverrides("trn2=0")).toThrowError(/> 0/);
    expect(() => parsePriceOverrides("instance:=5")).toThrowError(/price/);
  });
});

describe("costUsd", () => {
  it("equals chips × days × 24 × $/chip-hour", () => {
    const t = timeToTrain({ tokens: 2e12, tokensPerSecondPerChip: 3000, chips: 1024, goodput: 0.93 });
    const usd = costUsd(1024, t.days * 24, 6.88);
    expect(usd).toBeCloseTo(1024 * t.days * 24 * 6.88, 6);
    expect(usd).toBeCloseTo(t.chipHours * 6.88, 6);
  });

  it("rejects bad inputs", () => {
    expect(() => costUsd(0, 1, 1)).toThrowError(/chips/);
    expect(() => costUsd(8, Number.POSITIVE_INFINITY, 1)).toThrowError(/hours/);
    expect(() => costUsd(8, 1, -1)).toThrowError(/usdPerChipHour/);
  });

  it("rejects one key given two different prices, and accepts a repeat of the same price", () => {
    expect(() => parsePriceOverrides("trn2=2,trn2=3")).toThrow(/Invalid price: got "trn2=3".*already 2/);
    expect(() => parsePriceOverrides("instance:p5.48xlarge=50,instance:p5.48xlarge=55")).toThrow(
      /already 50/,
    );
    expect(parsePriceOverrides("trn2=2,trn2=2").chips).toEqual({ trn2: 2 });
  });
});
