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

  it("writes all checked as the empty list and a subset as itself", () => {
    expect(chipIdsFromChecked(["c", "a", "b"], all, ["a"])).toEqual({ chipIds: [], kept: false });
    expect(chipIdsFromChecked(["a", "c"], all, [])).toEqual({ chipIds: ["a", "c"], kept: false });
  });
});
