import { describe, expect, it } from "vitest";
import { chipIdsFromChecked, DEFAULT_STATE, decodeState, encodeState, MAX_COUNT } from "./state.js";

describe("URL state", () => {
  it("round-trips every field through the query string", () => {
    const state = {
      ...DEFAULT_STATE,
      model: "mixtral-8x7b",
      arch: { layers: 40 },
      count: 512,
      chipIds: ["h100-sxm", "trn2"],
      prices: { trn2: 2.5 },
      checkpoint: "sync" as const,
      region: "us-east-1",
      selected: "trn2",
    };
    expect(decodeState(encodeState(state))).toEqual(state);
  });

  it("writes nothing for the defaults", () => {
    expect(encodeState(DEFAULT_STATE)).toBe("");
  });

  it("ignores malformed numbers instead of producing NaN", () => {
    const s = decodeState("?count=abc&tokensB=-5&prices=trn2:x");
    expect(s.count).toBe(DEFAULT_STATE.count);
    expect(s.tokensB).toBe(DEFAULT_STATE.tokensB);
    expect(s.prices).toEqual({});
  });

  it("rounds whole-number fields from a link the way the form reads them", () => {
    const s = decodeState("?count=1.5&seqLen=4096.4&globalBatch=0.2&years=0&tokensB=2.5");
    expect(s.count).toBe(2);
    expect(s.seqLen).toBe(4096);
    expect(s.globalBatch).toBe(1);
    expect(s.years).toBe(1);
    expect(s.tokensB).toBe(2.5);
    expect(decodeState("?count=1e12").count).toBe(MAX_COUNT);
  });
});

describe("chip selection", () => {
  const all = ["a", "b", "c"];
  it("keeps the previous selection when every box is unchecked, instead of showing every chip", () => {
    expect(chipIdsFromChecked([], all, ["b"])).toEqual({ chipIds: ["b"], kept: true });
    expect(chipIdsFromChecked([], all, [])).toEqual({ chipIds: [], kept: true });
  });

  it("writes the default set as the empty list and any other selection as itself", () => {
    expect(chipIdsFromChecked(["c", "a", "b"], all, ["a"])).toEqual({ chipIds: [], kept: false });
    expect(chipIdsFromChecked(["a", "c"], all, [])).toEqual({ chipIds: ["a", "c"], kept: false });
    // A chip outside the default set (a TPU) checked as well is named, not folded into [].
    expect(chipIdsFromChecked(["a", "b", "c", "tpu"], all, [])).toEqual({
      chipIds: ["a", "b", "c", "tpu"],
      kept: false,
    });
  });
});

describe("override fields in the URL", () => {
  it("round-trips PUE, grid intensity, restart time and assumed TDPs, including a grid of 0", () => {
    const state = { ...DEFAULT_STATE, pue: 1.4, gCO2PerKWh: 0, restartSeconds: 1200, tdpW: { trn2: 650 } };
    const query = encodeState(state);
    expect(query).toContain("gCO2PerKWh=0");
    expect(decodeState(query)).toEqual(state);
  });

  it("drops out-of-range overrides and TDPs for chips with a published TDP", () => {
    const s = decodeState("?pue=0.8&gCO2PerKWh=-3&restartSeconds=abc&tdp=h100-sxm:500,trn2:x,trn1:320");
    expect(s.pue).toBeNull();
    expect(s.gCO2PerKWh).toBeNull();
    expect(s.restartSeconds).toBeNull();
    expect(s.tdpW).toEqual({ trn1: 320 });
  });
});
