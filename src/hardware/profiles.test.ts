import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { chips as catalogChips, findChip } from "./catalog.js";
import { checkRetiredProfileFileKeys, checkRetiredProfileKeys } from "./profile.js";
import { defaultComparisonChips, profileForChip, shippedPriors, shippedProfiles } from "./profiles.js";
import type { Chip } from "./schema.js";

const chip = (id: string) => findChip(id) as Chip;

describe("profileForChip", () => {
  it("says how each chip's profile was obtained", () => {
    const basis = (id: string) => {
      const c = profileForChip(chip(id));
      return `${c.basis}:${c.from}`;
    };
    expect(basis("h100-sxm")).toBe("fitted:h100-sxm");
    expect(basis("trn1")).toBe("fitted:trn1");
    expect(basis("h200-sxm")).toBe("borrowed:h100-sxm");
    expect(basis("trn2")).toBe("prior:trn2");
    expect(basis("trn2u")).toBe("prior:trn2");
    expect(basis("trn3-gen2")).toBe("prior:trn3");
    expect(basis("tpu-v5p")).toBe("default:default");
  });

  it("builds the Trainium2 prior from trn1's fit of the same Neuron software, without Transformer Engine's cost", () => {
    const trn2 = profileForChip(chip("trn2")).profile;
    const trn1 = shippedProfiles.chips.trn1;
    expect(trn2.gemmEfficiency).toBe(trn1.gemmEfficiency);
    expect(trn2.scaleOutBusEfficiency).toBe(trn1.scaleOutBusEfficiency);
    expect(trn2.attentionSwitchSeconds).toBe(0);
  });

  it("follows a refit: a prior parameter taken from a fit reads the fit it is given", () => {
    const refit = {
      ...shippedProfiles,
      chips: { ...shippedProfiles.chips, trn1: { ...shippedProfiles.chips.trn1, gemmEfficiency: 0.3 } },
    };
    expect(profileForChip(chip("trn3"), refit).profile.gemmEfficiency).toBe(0.3);
  });

  it("states every parameter of every prior with a reason", () => {
    for (const prior of shippedPriors.priors) {
      expect(findChip(prior.chip)?.id, prior.chip).toBe(prior.chip);
      for (const [key, p] of Object.entries(prior.parameters))
        expect(p.why.length, `${prior.chip}.${key}`).toBeGreaterThan(20);
    }
  });

  it("lends a chip without a fit, prior or named lender its vendor's nearest earlier fitted chip", () => {
    const { b200, gb200, gb300, ...rest } = shippedProfiles.chips;
    const withoutBlackwell = { ...shippedProfiles, chips: rest };
    const choice = (id: string, file = withoutBlackwell) => {
      const c = profileForChip(chip(id), file);
      return `${c.basis}:${c.from}`;
    };
    expect(choice("b200")).toBe("borrowed:h100-sxm");
    // B300 names B200 as its lender; with B200 unfitted it falls to the lineage too.
    expect(choice("b300")).toBe("borrowed:h100-sxm");
    // A user's own 2025 NVIDIA chip: of the three fitted that year, GB200's fit rests on the most runs.
    const custom = { ...chip("b200"), id: "my-blackwell" };
    expect(`${profileForChip(custom).basis}:${profileForChip(custom).from}`).toBe("borrowed:gb200");
    const { "h100-sxm": h100, ...ampereOnly } = rest;
    expect(choice("gb200", { ...shippedProfiles, chips: ampereOnly })).toBe("borrowed:a100-80gb-sxm");
    // A user's own chip takes its vendor's nearest prior where that vendor has one (AMD), its vendor
    // matched in any case; a vendor with neither fit nor prior gets the cross-chip default.
    const amdCustom = { ...chip("mi300x"), id: "mi-custom", vendor: "amd" };
    expect(`${profileForChip(amdCustom).basis}:${profileForChip(amdCustom).from}`).toBe("prior:mi300x");
    const unknownVendor = { ...chip("mi300x"), id: "x-1", vendor: "Nobody" };
    expect(profileForChip(unknownVendor).basis).toBe("default");
    expect(b200 && gb200 && gb300).toBeTruthy();
  });

  it("leaves every shipped chip's profile to its own fit, prior or named lender (or the default)", () => {
    const noLineage = (c: Chip) => profileForChip(c, shippedProfiles, shippedPriors, []);
    for (const c of catalogChips) expect(profileForChip(c), c.id).toEqual(noLineage(c));
  });

  it("leaves chips without a profile of their own, a prior or a lender (the TPUs) out of default comparisons", () => {
    const ids = defaultComparisonChips().map((c) => c.id);
    expect(ids).toContain("trn2");
    expect(ids).toContain("mi300x");
    expect(ids.filter((id) => id.startsWith("tpu"))).toEqual([]);
  });
});

describe("profiles fitted for retired physics", () => {
  it("refuses a profile file that still carries dispatchSyncSeconds, naming the chip and the key", () => {
    const old = structuredClone(shippedProfiles) as unknown as {
      chips: Record<string, Record<string, number>>;
    };
    old.chips["h100-sxm"].dispatchSyncSeconds = 0.0043;
    expect(() => checkRetiredProfileFileKeys(old, "profiles")).toThrow(
      /profiles\.chips\.h100-sxm\.dispatchSyncSeconds.*per local expert/,
    );
    expect(() => checkRetiredProfileFileKeys(shippedProfiles, "profiles")).not.toThrow();
  });

  it("refuses a single given profile with the retired key", () => {
    const given = { ...shippedProfiles.chips["h100-sxm"], dispatchSyncSeconds: 0.0043 };
    expect(() => checkRetiredProfileKeys(given, "profile")).toThrow(InputError);
  });
});
