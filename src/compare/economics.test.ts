import { describe, expect, it } from "vitest";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import { findModelPreset } from "../workload/presets.js";
import { runEconomics } from "./economics.js";

const model = findModelPreset("llama3-8b")!.model;
const chip = findChip("h100-sxm")!;
const plan = searchPlans({ model, chip, chips: 64, globalBatch: 512, precision: "bf16", top: 1 }).plans[0];

describe("runEconomics", () => {
  it("prices an H100 run from the p5.48xlarge server, not the 1-GPU instance, and cites the source", () => {
    const e = runEconomics({ plan, chip, tokens: 1e12, model });
    expect(e.usdPerChipHour).toBeCloseTo(55.04 / 8, 6);
    expect(e.priceSource).toMatchObject({
      kind: "catalog",
      instance: "aws:p5.48xlarge",
      pricing: "on-demand",
    });
    expect(e.costUsd!).toBeCloseTo(64 * e.days * 24 * e.usdPerChipHour!, 6);
    expect(e.chipHours).toBeCloseTo(64 * e.days * 24, 6);
    expect(e.goodput.fraction).toBeGreaterThan(0.9);
    expect(e.energyMWh).toBeGreaterThan(0);
  });

  it("uses a user price and leaves cost null with a reason when there is none", () => {
    const over = runEconomics({
      plan,
      chip,
      tokens: 1e12,
      model,
      priceOverrides: { chips: { "h100-sxm": 2 }, instances: {} },
    });
    expect(over.usdPerChipHour).toBe(2);
    expect(over.priceSource).toEqual({ kind: "override", note: "--price h100-sxm=2" });
    const gb = findChip("gb200")!;
    const none = runEconomics({ plan: { ...plan, chip: "gb200" }, chip: gb, tokens: 1e12, model });
    expect(none.costUsd).toBeNull();
    expect(none.usdPerMillionTokens).toBeNull();
    expect(none.priceSource).toMatchObject({ kind: "missing" });
  });

  it("uses the region's grid for carbon and says when it falls back to us-east-1", () => {
    const west = runEconomics({ plan, chip, tokens: 1e12, model, region: "us-west-2" });
    const dflt = runEconomics({ plan, chip, tokens: 1e12, model });
    expect(west.tCO2e / dflt.tCO2e).toBeCloseTo(322.167 / 379.069, 6);
    expect(dflt.assumptions).toContain("carbon: grid of us-east-1 (no region given)");
  });

  it("uses the user's PUE and chip power, and says the power is the user's", () => {
    const trn2 = findChip("trn2")!;
    const p = searchPlans({ model, chip: trn2, chips: 64, globalBatch: 512, precision: "bf16", top: 1 })
      .plans[0];
    const base = runEconomics({ plan: p, chip: trn2, tokens: 1e12, model });
    const pue = runEconomics({ plan: p, chip: trn2, tokens: 1e12, model, pue: 1.15 * 2 });
    expect(pue.energyMWh).toBeCloseTo(base.energyMWh * 2, 6);
    const tdp = runEconomics({ plan: p, chip: trn2, tokens: 1e12, model, tdpW: { trn2: trn2.tdpW * 2 } });
    expect(tdp.energyMWh).toBeCloseTo(base.energyMWh * 2, 6);
    expect(tdp.assumptions.join("\n")).toContain(`trn2 power ${trn2.tdpW * 2} W (user`);
    expect(tdp.assumptions.join("\n")).not.toContain("TDP 500 W is an assumption");
  });
});
