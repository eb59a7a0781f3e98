import { describe, expect, it } from "vitest";
import { DEFAULT_STATE, decodeState, encodeState } from "./state.js";

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
});
