import { describe, expect, it } from "vitest";
import { runCaptured } from "../cli/captured.js";
import { describeLimit, readLimited, withinLimit } from "./inputLimits.js";

describe("input limits", () => {
  it("are the CLI's words and the web field's words alike", async () => {
    const cli = await runCaptured([
      ...["compare", "--model", "llama3-8b", "--tokens", "1T", "--chip", "h100", "--chips", "8"],
      ...["--pue", "5"],
    ]);
    expect(cli.code).toBe(2);
    const web = readLimited("pue", "5", "--pue");
    expect(web.value).toBeNull();
    expect(cli.stderr).toBe(`error: ${web.error}\n`);
    expect(web.error).toContain(describeLimit("pue").replace(/^a/, "A"));
  });

  it("refuse zero, negatives, fractions of whole numbers, units and non-numbers; blank is no value", () => {
    expect(withinLimit("failuresPerChipHour", 0)).toBe(false);
    expect(withinLimit("chips", -1)).toBe(false);
    expect(withinLimit("chips", 1.5)).toBe(false);
    expect(withinLimit("chips", 2 ** 21)).toBe(false);
    expect(withinLimit("tokens", 0)).toBe(false);
    expect(withinLimit("gCO2PerKWh", 0)).toBe(true);
    expect(readLimited("tdpW", "500W", "tdp").error).toMatch(/Invalid tdp: got "500W"/);
    expect(readLimited("pue", "  ", "pue")).toEqual({ value: null, error: null });
    expect(readLimited("pue", "1.2", "pue")).toEqual({ value: 1.2, error: null });
  });
});
