import { describe, expect, it } from "vitest";
import { findModelPreset } from "./presets.js";
import { meanAttendedKeys, slidingWindowFromNotes, windowedLayerShare } from "./slidingWindow.js";

const gptOss = findModelPreset("gpt-oss-120b")!.model;
const llama = findModelPreset("llama3-8b")!.model;

describe("meanAttendedKeys", () => {
  it("is half the sequence for full causal attention", () => {
    expect(meanAttendedKeys(llama, 8192)).toBe(4096);
  });

  it("averages windowed and full layers: gpt-oss at 4096 tokens", () => {
    expect(windowedLayerShare(gptOss)).toBe(0.5);
    // Windowed layers: 128 − 128²/(2·4096) = 126 keys; full layers 2048.
    expect(meanAttendedKeys(gptOss, 4096)).toBeCloseTo(0.5 * 126 + 0.5 * 2048, 9);
  });

  it("treats a window at least as long as the sequence as full attention", () => {
    expect(meanAttendedKeys({ ...llama, slidingWindow: { tokens: 8192, layers: "all" } }, 4096)).toBe(2048);
  });
});

describe("slidingWindowFromNotes", () => {
  it("reads an alternating window from the validation format's notes", () => {
    expect(
      slidingWindowFromNotes("head_dim 64; alternating full / 128-token sliding-window attention"),
    ).toEqual({
      tokens: 128,
      layers: "alternate",
    });
  });

  it("reads a window on every layer, with thousands separators", () => {
    expect(slidingWindowFromNotes("4,096-token sliding window attention")).toEqual({
      tokens: 4096,
      layers: "all",
    });
  });

  it("finds none where the notes name none", () => {
    expect(slidingWindowFromNotes("MLA attention; 37B active")).toBeNull();
    expect(slidingWindowFromNotes(null)).toBeNull();
  });
});
