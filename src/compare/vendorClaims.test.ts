import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { claimedRatioText, claimsVersusModel, type VendorClaim, vendorClaims } from "./vendorClaims.js";

const row = (chip: string, tpsPerChip: number | null, usdPerMTok: number | null) => ({
  chip,
  usdPerMillionTokens: usdPerMTok,
  plan: tpsPerChip === null ? null : { throughput: { tokensPerSecondPerChip: tpsPerChip } },
});

const claim = (over: Partial<VendorClaim>): VendorClaim => ({
  ...vendorClaims[0],
  ...over,
});

describe("vendor claims data", () => {
  it("names catalog chips, and gives every claim its wording and a dated source", () => {
    expect(vendorClaims.length).toBeGreaterThanOrEqual(4);
    for (const c of vendorClaims) {
      expect(findChip(c.subject), c.id).toBeDefined();
      expect(findChip(c.baseline), c.id).toBeDefined();
      expect(c.source.url, c.id).not.toBe("");
      expect(c.source.dateSeen, c.id).toMatch(/^\d{4}-\d\d-\d\d$/);
    }
    expect(new Set(vendorClaims.map((c) => c.vendor))).toEqual(new Set(["AWS", "NVIDIA"]));
  });
});

describe("claimsVersusModel", () => {
  it("predicts tokens per dollar as the baseline's $/M tokens over the subject's", () => {
    const c = claim({ subject: "trn2", baseline: "h200-sxm", metric: "tokens-per-dollar" });
    const [r] = claimsVersusModel([row("trn2", 100, 20), row("h200-sxm", 300, 10)], [c]);
    expect(r.predictedRatio).toBe(0.5);
    expect(r.claim).toBe(c);
  });

  it("predicts per-chip and per-system throughput from tokens/s per chip", () => {
    const perChip = claim({ subject: "gb200", baseline: "h100-sxm", metric: "throughput-per-chip" });
    const perSystem = claim({
      subject: "trn3",
      baseline: "trn2",
      metric: "throughput-per-system",
      systemChips: { subject: 144, baseline: 64 },
    });
    const rows = [
      row("gb200", 900, null),
      row("h100-sxm", 300, 10),
      row("trn3", 200, null),
      row("trn2", 100, 20),
    ];
    const [a, b] = claimsVersusModel(rows, [perChip, perSystem]);
    expect(a.predictedRatio).toBe(3);
    expect(b.predictedRatio).toBe((2 * 144) / 64);
  });

  it("says why there is no prediction (no price, no plan) and skips claims whose chips are not compared", () => {
    const c = claim({ subject: "trn2", baseline: "h200-sxm", metric: "tokens-per-dollar" });
    const [noPrice] = claimsVersusModel([row("trn2", 100, null), row("h200-sxm", 300, 10)], [c]);
    expect(noPrice.predictedRatio).toBeNull();
    expect(noPrice.predictedHow).toBe("trn2 has no price: pass --price trn2=<USD per chip-hour>");
    const [noPlan] = claimsVersusModel([row("trn2", null, null), row("h200-sxm", 300, 10)], [c]);
    expect(noPlan.predictedHow).toBe("trn2 has no plan for this run");
    expect(claimsVersusModel([row("trn2", 100, 20)], [c])).toEqual([]);
  });

  it("words claimed ratios as ranges or 'up to'", () => {
    expect(claimedRatioText({ min: 1.3, max: 1.4 })).toBe("1.3x-1.4x");
    expect(claimedRatioText({ min: null, max: 4 })).toBe("up to 4x");
    expect(claimedRatioText({ min: 3, max: 3 })).toBe("3x");
  });
});
