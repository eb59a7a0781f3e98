import { describe, expect, it } from "vitest";
import { RUN_DEFAULTS } from "../plan/runDefaults.js";
import { chipIdsFromChecked, DEFAULT_STATE, decodeState, encodeState, MAX_COUNT } from "./state.js";

const decoded = (q: string) => decodeState(q).state;

describe("URL state", () => {
  it("round-trips every field through the query string", () => {
    const state = {
      ...DEFAULT_STATE,
      model: "mixtral-8x7b",
      arch: { layers: 40, "moe.topK": 1 },
      archFlags: { tiedEmbeddings: true },
      count: 512,
      seqLen: 4096,
      globalBatch: 1024,
      precision: "auto" as const,
      deadlineDays: 60,
      runBudgetM: 50,
      chipIds: ["h100-sxm", "trn2"],
      prices: { trn2: 2.5 },
      checkpoint: "async" as const,
      region: "us-east-1",
      selected: "trn2",
      planRank: 2,
      layout: "tp8 pp4 dp16 mb1",
      constraints: {
        tp: "8",
        pp: "1..4",
        ep: "1,8",
        recompute: "none,selective",
        zero: "zero1",
        sequenceParallel: "on",
      },
      framework: "torchtitan" as const,
    };
    expect(decodeState(encodeState(state))).toEqual({ state, ignored: [] });
  });

  it("checks a link's constraints as the CLI checks its flags, written back in the CLI's vocabulary", () => {
    const { state, ignored } = decodeState("tp=8&zero=1,2&pp=4..2&microBatch=0&framework=pytorch&cp=");
    expect(state.constraints).toEqual({ tp: "8", zero: "zero1,zero2" });
    expect(state.framework).toBe("");
    expect(ignored).toEqual([
      expect.stringMatching(/^pp="4\.\.2": /),
      expect.stringMatching(/^microBatch="0": /),
      expect.stringMatching(/^framework="pytorch": one of megatron-core/),
    ]);
  });

  it("writes nothing for the defaults, which are the CLI's (runDefaults.ts)", () => {
    expect(encodeState(DEFAULT_STATE)).toBe("");
    expect(DEFAULT_STATE.precision).toBe(RUN_DEFAULTS.precision);
    expect(DEFAULT_STATE.checkpoint).toBe(RUN_DEFAULTS.checkpointMode);
    // Sequence, batch and failure rate follow the model and the data: blank, not a fixed number.
    expect(DEFAULT_STATE.seqLen).toBeNull();
    expect(DEFAULT_STATE.globalBatch).toBeNull();
    expect(DEFAULT_STATE.failuresPerChipHour).toBeNull();
  });

  it("keeps a blank chip count (auto) through the link", () => {
    expect(decoded(encodeState({ ...DEFAULT_STATE, count: null })).count).toBeNull();
  });

  it("ignores malformed and out-of-range numbers, says which, and never rounds or clamps them", () => {
    const { state, ignored } = decodeState(
      "?count=abc&tokensB=-5&prices=trn2:x&count=1.5&years=0&seqLen=4096.4&pue=0.8&failuresPerChipHour=0",
    );
    expect(state.count).toBe(DEFAULT_STATE.count);
    expect(state.tokensB).toBe(DEFAULT_STATE.tokensB);
    expect(state.prices).toEqual({});
    expect(state.years).toBe(DEFAULT_STATE.years);
    expect(state.seqLen).toBeNull();
    expect(state.pue).toBeNull();
    expect(state.failuresPerChipHour).toBeNull();
    expect(ignored.join("\n")).toMatch(/count="abc"/);
    expect(ignored.join("\n")).toMatch(/tokensB="-5"/);
    expect(ignored.join("\n")).toMatch(/years="0": a whole number from 1 to 30/);
    expect(ignored.join("\n")).toMatch(/pue="0.8": a number from 1 to 3/);
    expect(ignored.join("\n")).toMatch(/failuresPerChipHour="0": a number from 1e-12 to 1/);
    expect(decodeState(`?count=${MAX_COUNT * 2}`).ignored).toHaveLength(1);
  });

  it("treats __proto__, constructor and toString as unknown names, not object keys", () => {
    for (const name of ["__proto__", "constructor", "toString"]) {
      const { state, ignored } = decodeState(
        `?region=${name}&pricing=${name}&model=${name}&chips=${name}&selected=${name}&prices=${name}:2&arch=${name}:3`,
      );
      expect(state.region).toBe("");
      expect(state.pricing).toBe(DEFAULT_STATE.pricing);
      expect(state.model).toBe(DEFAULT_STATE.model);
      expect(state.chipIds).toEqual([]);
      expect(state.selected).toBe("");
      expect(Object.keys(state.prices)).toEqual([]);
      expect(Object.keys(state.arch)).toEqual([]);
      expect(ignored).toHaveLength(7);
      expect(ignored.join("\n")).toContain(`region="${name}": not a price region`);
    }
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
    expect(decoded(query)).toEqual(state);
  });

  it("drops out-of-range overrides and TDPs for chips with a published TDP, and lists them", () => {
    const { state, ignored } = decodeState(
      "?pue=0.8&gCO2PerKWh=-3&restartSeconds=abc&tdp=h100-sxm:500,trn2:x,trn1:320",
    );
    expect(state.pue).toBeNull();
    expect(state.gCO2PerKWh).toBeNull();
    expect(state.restartSeconds).toBeNull();
    expect(state.tdpW).toEqual({ trn1: 320 });
    expect(ignored).toHaveLength(5);
  });
});
