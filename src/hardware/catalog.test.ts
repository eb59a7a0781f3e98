import { describe, expect, it } from "vitest";
import devCases from "../../data/validation/dev.json" with { type: "json" };
import { InputError } from "../errors.js";
import {
  chipIds,
  chipNames,
  chips,
  findChip,
  instances,
  instancesForChip,
  normalizeChipName,
  withOverrides,
} from "./catalog.js";
import { ChipSchema, InstanceSchema } from "./schema.js";
import { torusDimensionsInDomain } from "./topology.js";

function chip(id: string) {
  const found = findChip(id);
  if (!found) throw new Error(`test setup: chip ${id} missing`);
  return found;
}

function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

describe("chip catalog", () => {
  it("validates every chip and instance against the schemas", () => {
    for (const c of chips) expect(ChipSchema.safeParse(c).success, c.id).toBe(true);
    for (const i of instances) expect(InstanceSchema.safeParse(i).success, i.id).toBe(true);
  });

  it("holds the 11 research chips plus b300, gb300, h800, tpu-v4, the Trn2/Trn3 UltraServer variants and AMD Instinct", () => {
    expect(chipIds().sort()).toEqual(
      [
        "a100-40gb-sxm",
        "a100-80gb-sxm",
        "b200",
        "b300",
        "gb200",
        "gb300",
        "h100-sxm",
        "h200-sxm",
        "h800",
        "mi300x",
        "mi325x",
        "mi355x",
        "tpu-v4",
        "tpu-v5p",
        "tpu-v6e",
        "trn1",
        "trn2",
        "trn2u",
        "trn3",
        "trn3-gen2",
      ].sort(),
    );
  });

  it("finds every chip named by the validation set", () => {
    const named = new Set(devCases.map((c) => c.hardware.chip));
    expect(named.size).toBeGreaterThan(0);
    for (const id of named) expect(findChip(id)?.id, id).toBe(id);
  });

  it("gives every chip a source with a url", () => {
    for (const c of chips)
      expect(
        c.sources.some((s) => s.url.startsWith("http")),
        c.id,
      ).toBe(true);
  });

  it("has only finite, positive figures", () => {
    for (const c of chips) {
      for (const n of numbersIn({
        p: c.peakTflops,
        h: c.hbmGiB,
        b: c.hbmTBps,
        u: c.scaleUp,
        o: c.scaleOut,
      })) {
        expect(Number.isFinite(n) && n > 0, c.id).toBe(true);
      }
    }
  });

  it("stores dense, not sparse, H100 peaks", () => {
    expect(chip("h100-sxm").peakTflops.bf16).toBeCloseTo(989.4, 0);
    expect(Math.abs(chip("h100-sxm").peakTflops.bf16 - 989.4)).toBeLessThanOrEqual(1);
    expect(Math.abs((chip("h100-sxm").peakTflops.fp8 ?? 0) - 1978.9)).toBeLessThanOrEqual(1);
    expect(chip("a100-80gb-sxm").peakTflops.bf16).toBe(312);
    expect(chip("b200").peakTflops.bf16).toBe(2250);
    expect(chip("gb200").peakTflops.fp8).toBe(5000);
    expect(chip("trn2").peakTflops.bf16).toBe(667);
  });

  it("marks fp8 unsupported on A100 and TPUs", () => {
    for (const id of ["a100-40gb-sxm", "a100-80gb-sxm", "tpu-v4", "tpu-v5p", "tpu-v6e"]) {
      expect(chip(id).peakTflops.fp8, id).toBeNull();
    }
  });

  it("halves NVIDIA's bidirectional NVLink figures", () => {
    expect(chip("h100-sxm").scaleUp.unidirGBps).toBe(450);
    expect(chip("a100-80gb-sxm").scaleUp.unidirGBps).toBe(300);
    expect(chip("h800").scaleUp.unidirGBps).toBe(200);
    expect(chip("gb300").scaleUp.unidirGBps).toBe(900);
  });

  it("uses the documented scale-up domains and per-chip networks", () => {
    expect(chip("h100-sxm").scaleUp.domainChips).toBe(8);
    expect(chip("gb200").scaleUp.domainChips).toBe(72);
    expect(chip("gb300").scaleUp.domainChips).toBe(72);
    expect(chip("trn1").scaleUp.domainChips).toBe(16);
    expect(chip("trn1").scaleOut.gbpsPerChip).toBe(50);
    expect(chip("trn2").scaleOut.gbpsPerChip).toBe(200);
    expect(chip("a100-80gb-sxm").scaleOut.gbpsPerChip).toBe(200);
    expect(chip("gb300").scaleOut.gbpsPerChip).toBe(800);
  });

  it("records the new chips' headline figures", () => {
    const gb300 = chip("gb300");
    expect([gb300.peakTflops.bf16, gb300.peakTflops.fp8, gb300.hbmGiB, gb300.tdpW]).toEqual([
      2500, 5000, 288, 1400,
    ]);
    const h800 = chip("h800");
    expect(h800.peakTflops).toEqual(chip("h100-sxm").peakTflops);
    expect(h800.hbmGiB).toBe(80);
    const v4 = chip("tpu-v4");
    expect([v4.peakTflops.bf16, v4.hbmGiB, v4.hbmTBps]).toEqual([275, 32, 1.2]);
  });

  it("marks unpublished power as assumed and explains it", () => {
    for (const id of ["trn1", "trn2", "trn3", "tpu-v5p", "tpu-v6e"]) {
      expect(chip(id).tdpAssumed, id).toBe(true);
      expect(chip(id).notes ?? "", id).toMatch(/ASSUMED/);
    }
    expect(chip("h100-sxm").tdpAssumed).toBe(false);
  });

  it("borrows profiles only from chips in the catalog", () => {
    expect(chip("h200-sxm").profileFrom).toBe("h100-sxm");
    expect(chip("h800").profileFrom).toBe("h100-sxm");
    expect(chip("trn3").profileFrom).toBeNull();
    expect(chip("trn2u").profileFrom).toBe("trn2");
    expect(chip("trn3-gen2").profileFrom).toBe("trn3");
    expect(chip("tpu-v5p").profileFrom).toBeNull();
    expect(chip("gb300").profileFrom).toBeNull();
    expect(chip("b300").profileFrom).toBe("b200");
    for (const c of chips) if (c.profileFrom) expect(findChip(c.profileFrom)?.id, c.id).toBe(c.profileFrom);
  });
});

describe("scale-up topology", () => {
  it("gives each torus chip a per-chip figure equal to its in-domain links, two per closed ring", () => {
    const tori = chips.filter((c) => c.scaleUp.topology.kind === "torus");
    expect(tori.map((c) => c.id).sort()).toEqual(["trn1", "trn2", "trn2u"]);
    for (const c of tori) {
      const links = torusDimensionsInDomain(c).reduce((sum, d) => sum + 2 * d.linkUnidirGBps, 0);
      expect(links, c.id).toBeCloseTo(c.scaleUp.unidirGBps, 6);
    }
  });

  it("models trn2.48xlarge as a 4x4 torus and the Trn2 UltraServer as four of them joined in rings", () => {
    expect(torusDimensionsInDomain(chip("trn2")).map((d) => d.size)).toEqual([4, 4]);
    expect(torusDimensionsInDomain(chip("trn2u")).map((d) => d.size)).toEqual([4, 4, 4]);
    expect(chip("trn2u").scaleUp.domainChips).toBe(64);
  });

  it("models both Trn3 UltraServers as switched (all-to-all) domains of 64 and 144 chips", () => {
    expect(chip("trn3").scaleUp.topology.kind).toBe("switch");
    expect([chip("trn3").scaleUp.domainChips, chip("trn3-gen2").scaleUp.domainChips]).toEqual([64, 144]);
  });

  it("refuses a domain that is not a product of the first torus dimensions", () => {
    expect(() => withOverrides(chip("trn2"), { scaleUp: { domainChips: 32 } })).toThrow(
      /trn2.*domainChips 32.*allowed: 4, 16, 64/,
    );
    // Bad input, refused as such (exit 2), not an internal error.
    expect(() => withOverrides(chip("trn2"), { scaleUp: { domainChips: 32 } })).toThrow(InputError);
    expect(withOverrides(chip("trn2"), { scaleUp: { domainChips: 64 } }).scaleUp.domainChips).toBe(64);
  });
});

describe("AMD Instinct", () => {
  it("holds MI300X, MI325X and MI355X with AMD's dense peaks, HBM and a fully connected 8-GPU Infinity Fabric", () => {
    const figures = ["mi300x", "mi325x", "mi355x"].map((id) => {
      const c = chip(id);
      return [c.peakTflops.bf16, c.peakTflops.fp8, c.hbmGiB, c.hbmTBps, c.scaleUp.domainChips, c.tdpW];
    });
    expect(figures).toEqual([
      [1307.4, 2614.9, 192, 5.3, 8, 750],
      [1307.4, 2614.9, 256, 6.0, 8, 1000],
      [2516.6, 5033.2, 288, 8.0, 8, 1400],
    ]);
    for (const id of ["mi300x", "mi325x", "mi355x"]) {
      const topology = chip(id).scaleUp.topology;
      expect(topology.kind, id).toBe("mesh");
      if (topology.kind === "mesh")
        expect(7 * topology.linkUnidirGBps, id).toBeCloseTo(chip(id).scaleUp.unidirGBps, 6);
      expect(instancesForChip(id).length, id).toBe(1);
    }
  });
});

describe("NeuronCores", () => {
  it("counts logical cores by default (LNC=2 on Trn2/Trn3) and physical ones on Trn1", () => {
    expect([chip("trn1").neuronCoresPerChip, chip("trn1").physicalNeuronCoresPerChip]).toEqual([2, 2]);
    for (const id of ["trn2", "trn2u", "trn3", "trn3-gen2"]) {
      expect([chip(id).neuronCoresPerChip, chip(id).physicalNeuronCoresPerChip], id).toEqual([4, 8]);
    }
    expect(chip("h100-sxm").neuronCoresPerChip).toBeNull();
  });
});

describe("findChip", () => {
  it("resolves aliases case-insensitively and ignores spaces and underscores", () => {
    expect(findChip("H100")?.id).toBe("h100-sxm");
    expect(findChip("H100 SXM5 80GB")?.id).toBe("h100-sxm");
    expect(findChip("h100_sxm5_80gb")?.id).toBe("h100-sxm");
    expect(findChip("Trainium2")?.id).toBe("trn2");
    expect(findChip("a100")?.id).toBe("a100-80gb-sxm");
    expect(findChip("TPU V4")?.id).toBe("tpu-v4");
    expect(findChip("GB300 NVL72")?.id).toBe("gb300");
  });

  it("returns undefined for an unknown name", () => {
    expect(findChip("h900")).toBeUndefined();
  });

  it("has no name shared by two chips", () => {
    const keys = chipNames().map(normalizeChipName);
    const owners = new Map<string, string>();
    for (const c of chips) {
      for (const name of [c.id, ...c.aliases]) {
        const key = normalizeChipName(name);
        expect(owners.get(key) ?? c.id, name).toBe(c.id);
        owners.set(key, c.id);
      }
    }
    expect(new Set(chipIds()).size).toBe(chips.length);
    expect(keys.length).toBeGreaterThan(chips.length);
  });
});

describe("instance catalog", () => {
  it("names only chips in the catalog and has unique ids", () => {
    for (const i of instances) expect(findChip(i.chipId)?.id, i.id).toBe(i.chipId);
    expect(new Set(instances.map((i) => i.id)).size).toBe(instances.length);
  });

  it("gives every price a source with a url", () => {
    for (const i of instances) {
      for (const p of i.prices) expect(p.source.url.startsWith("http"), `${i.id} ${p.region}`).toBe(true);
    }
  });

  it("keeps the pre-cut p5 price as history and the post-cut one as current", () => {
    const p5 = instancesForChip("h100-sxm").find((i) => i.id === "aws:p5.48xlarge");
    const east = p5?.prices.filter((p) => p.region === "us-east-1" && p.pricing === "on-demand") ?? [];
    expect(east.find((p) => p.current)?.usdPerHour).toBe(55.04);
    expect(east.find((p) => !p.current)?.usdPerHour).toBe(98.32);
  });

  it("uses only known pricing types", () => {
    for (const i of instances) {
      for (const p of i.prices) expect(["on-demand", "capacity-block"], i.id).toContain(p.pricing);
    }
  });

  it("lists instances by chip alias", () => {
    expect(instancesForChip("trainium").map((i) => i.id)).toContain("aws:trn1.32xlarge");
    expect(instancesForChip("nope")).toEqual([]);
  });
});

describe("withOverrides", () => {
  it("replaces a nested figure, keeps the rest and notes the override", () => {
    const h100 = chip("h100-sxm");
    const changed = withOverrides(h100, { scaleUp: { unidirGBps: 400 }, tdpW: 650 });
    expect(changed.scaleUp).toEqual({ ...h100.scaleUp, unidirGBps: 400 });
    expect(changed.tdpW).toBe(650);
    expect(changed.notes).toMatch(/User override.*scaleUp\.unidirGBps=400.*tdpW=650/);
    expect(h100.scaleUp.unidirGBps).toBe(450);
  });

  it("rejects an invalid figure, naming the field", () => {
    expect(() => withOverrides(chip("trn2"), { hbmGiB: -1 })).toThrow(/trn2.*hbmGiB/);
    expect(() => withOverrides(chip("trn2"), { peakTflops: { bf16: 0 } })).toThrow(/peakTflops\.bf16/);
  });
});
