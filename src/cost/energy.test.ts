import { describe, expect, it } from "vitest";
import { carbon, carbonRegions } from "./carbon.js";
import { energy } from "./energy.js";

const h100 = { id: "h100-sxm", tdpW: 700, tdpAssumed: false };

describe("energy", () => {
  it("draws idle + (TDP − idle)·u per chip plus host overhead, times PUE", () => {
    const e = energy({
      chip: h100,
      chips: 8,
      hours: 10,
      mfu: 0.225,
      idlePowerFraction: 0.1,
      mfuAtFullPower: 0.45,
      hostOverheadFraction: 0.5,
      pue: 1.2,
    });
    expect(e.utilisation).toBeCloseTo(0.5, 12);
    expect(e.chipWatts).toBeCloseTo(70 + 630 * 0.5, 9);
    expect(e.hostWattsPerChip).toBe(350);
    expect(e.itWatts).toBeCloseTo(8 * (385 + 350), 9);
    expect(e.kWh).toBeCloseTo((8 * 735 * 1.2 * 10) / 1000, 9);
    expect(e.MWh).toBeCloseTo(e.kWh / 1000, 12);
  });

  it("caps utilisation at 1 and rises monotonically with MFU", () => {
    const lo = energy({ chip: h100, chips: 8, hours: 1, mfu: 0.1 });
    const hi = energy({ chip: h100, chips: 8, hours: 1, mfu: 0.4 });
    const top = energy({ chip: h100, chips: 8, hours: 1, mfu: 0.9 });
    expect(hi.kWh).toBeGreaterThan(lo.kWh);
    expect(top.chipWatts).toBe(700);
  });

  it("keeps the TDP-assumed flag for Trainium", () => {
    const e = energy({ chip: { id: "trn2", tdpW: 500, tdpAssumed: true }, chips: 16, hours: 1, mfu: 0.3 });
    expect(e.tdpAssumed).toBe(true);
    expect(e.assumptions.some((a) => a.includes("trn2 TDP 500 W is an assumption"))).toBe(true);
  });

  it("gives zero energy for zero hours and rejects bad inputs", () => {
    expect(energy({ chip: h100, chips: 8, hours: 0, mfu: 0.4 }).kWh).toBe(0);
    expect(() => energy({ chip: h100, chips: 8, hours: 1, mfu: 1.5 })).toThrowError(/mfu/);
    expect(() => energy({ chip: h100, chips: 8, hours: 1, mfu: 0.4, pue: 0.9 })).toThrowError(/pue/);
    expect(() => energy({ chip: { ...h100, tdpW: 0 }, chips: 8, hours: 1, mfu: 0.4 })).toThrowError(/tdpW/);
  });
});

describe("carbon", () => {
  it("converts kWh with the stored region intensity", () => {
    const c = carbon({ kWh: 1_000_000, region: "us-east-1" });
    expect(c.gCO2PerKWh).toBe(379.069);
    expect(c.tCO2e).toBeCloseTo(379.069, 9);
    expect(c.source?.url).toMatch(/cloud-carbon-footprint/);
  });

  it("uses a user number over the region", () => {
    expect(carbon({ kWh: 2000, region: "us-east-1", gCO2PerKWh: 500 }).tCO2e).toBe(1);
  });

  it("covers the AWS training regions", () => {
    expect(carbonRegions()).toEqual(
      expect.arrayContaining(["us-east-1", "us-east-2", "us-west-2", "ap-southeast-4"]),
    );
  });

  it("lists known regions when the region is unknown", () => {
    expect(() => carbon({ kWh: 1, region: "mars-1" })).toThrowError(/region.*mars-1.*us-east-1/);
    expect(() => carbon({ kWh: 1 })).toThrowError(/region/);
    expect(() => carbon({ kWh: -1, region: "us-east-1" })).toThrowError(/kWh/);
  });
});
