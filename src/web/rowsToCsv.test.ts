import { describe, expect, it } from "vitest";
import { emptyRow } from "./engine.js";
import { rowsToCsv } from "./rowsToCsv.js";
import { DEFAULT_STATE } from "./state.js";

describe("rowsToCsv", () => {
  it("writes a header and one LF-ended record per row, blank where a value is missing", () => {
    const row = { ...emptyRow(DEFAULT_STATE, "trn2"), days: 12.5, reason: 'no price, "on-demand"' };
    expect(rowsToCsv([row])).toBe(
      "chip,chips,plan,days,costUsd,usdPerChipHour,usdPerMillionTokens,energyMWh,tCO2e,goodput,mfu,priceSource,reason\n" +
        'trn2,1024,—,12.5,,,,,,,,,"no price, ""on-demand"""\n',
    );
  });

  it("names a user's price as the price source", () => {
    const row = emptyRow(DEFAULT_STATE, "trn2");
    row.price = { ...row.price, usdPerChipHour: 2.5, from: "override" };
    expect(rowsToCsv([row]).split("\n")[1]).toBe("trn2,1024,—,,,2.5,,,,,,user override,");
  });
});
