import { describe, expect, it } from "vitest";
import dev from "../../data/validation/dev.json" with { type: "json" };
import { InputError } from "../errors.js";
import { parseScenario, parseScenarioList } from "./parse.js";

/** A valid scenario: Llama 3 70B (64 heads, 80 layers) on 64 H100s. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are mutated field by field in each test
function base(): Record<string, any> {
  return {
    id: "t",
    model: "llama3-70b",
    hardware: { chip: "h100-sxm", count: 64 },
    parallelism: { tp: 8, pp: 4, dp: 2 },
    globalBatch: 64,
    microBatch: 1,
  };
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("parseScenario", () => {
  it("bounds hardware.count and the batches in the scenario's own words (it named the engine's chipCount)", () => {
    const big = base();
    big.hardware.count = 2 ** 21;
    expect(errorOf(() => parseScenario(big)).message).toBe(
      "Invalid hardware.count: got 2097152. A number <= 1,048,576.",
    );
    const batch = base();
    batch.microBatch = 2 ** 25;
    expect(errorOf(() => parseScenario(batch)).field).toBe("microBatch");
  });

  it("says which published fields it records without reading, and refuses NeuronCores on a GPU", () => {
    const s = base();
    s.hardware.chipsPerNode = 4;
    s.fp8Recipe = "mx";
    expect(parseScenario(s).assumptions).toEqual([
      "hardware.chipsPerNode 4: recorded as published, not read; the scale-up domain is the catalog's 8 chips (NVLink 4 + NVSwitch (HGX H100 8-GPU); hardware.overrides.scaleUp.domainChips changes it)",
      "fp8Recipe mx: recorded as published, not modelled; the run's precision is bf16",
    ]);
    // A validation case (lenient) records them without a word, as its source published them.
    expect(parseScenario(s, "", { lenient: true }).assumptions).toEqual([]);
    const cores = base();
    cores.hardware.neuronCoresPerChip = 4;
    expect(errorOf(() => parseScenario(cores)).message).toBe(
      "Invalid hardware.neuronCoresPerChip: got 4. Nothing on h100-sxm, which has no NeuronCores (the count is for AWS Trainium chips).",
    );
  });

  it("refuses a misspelled key with the close match instead of dropping it", () => {
    const e = errorOf(() => parseScenario({ ...base(), precison: "fp8" }));
    expect(e.field).toBe("key");
    expect(e.value).toBe("precison");
    expect(e.suggestion).toEqual(["precision"]);
    expect(e.message).toMatch(
      /^Invalid key: got "precison"\. A known field \(id, source, model, .*Did you mean precision\?$/,
    );
  });

  it("refuses an unknown key inside a nested object and inside an inline model, naming where", () => {
    const nested = base();
    nested.parallelism.tpp = 2;
    expect(errorOf(() => parseScenario(nested))).toMatchObject({ field: "parallelism key", value: "tpp" });
    expect(errorOf(() => parseScenario(nested)).suggestion).toContain("tp");
    const inline = {
      ...base(),
      model: { layers: 2, hidden: 64, heads: 4, vocab: 100, seqLen: 64, ffnHidden: 128, hiddden: 1 },
      parallelism: { tp: 1, pp: 1 },
      hardware: { chip: "h100-sxm", count: 1 },
      globalBatch: 1,
    };
    const e = errorOf(() => parseScenario(inline, "[2]"));
    expect(e).toMatchObject({ field: "[2].model key", value: "hiddden" });
    expect(e.suggestion?.[0]).toBe("hidden");
  });

  it("refuses a hidden size the heads do not split (was an unexpected error, exit 1)", () => {
    const raw = {
      ...base(),
      model: { layers: 2, hidden: 1000, heads: 3, vocab: 100, seqLen: 64, ffnHidden: 128 },
      parallelism: { tp: 1, pp: 1 },
      hardware: { chip: "h100-sxm", count: 1 },
      globalBatch: 1,
    };
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("model.hidden");
    expect(e.message).toMatch(/A multiple of heads \(3\) when headDim is not given/);
    expect(parseScenario({ ...raw, model: { ...raw.model, headDim: 64 } }).model.headDim).toBe(64);
  });

  it("resolves a preset model and fills defaults", () => {
    const s = parseScenario(base());
    expect(s.model.layers).toBe(80);
    expect(s.modelPresetId).toBe("llama3-70b");
    expect(s.parallelism).toMatchObject({ tp: 8, pp: 4, dp: 2, cp: 1, ep: 1, vpp: 1, unit: "chip" });
    expect(s.precision).toBe("bf16");
  });

  it("derives dp when it is omitted", () => {
    const raw = base();
    delete raw.parallelism.dp;
    expect(parseScenario(raw).parallelism.dp).toBe(2);
  });

  it("suggests the nearest chip for an unknown one", () => {
    const raw = base();
    raw.hardware.chip = "h100-sxn";
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("hardware.chip");
    expect(e.suggestion).toContain("h100-sxm");
    expect(e.message).toMatch(/^Invalid hardware\.chip: got "h100-sxn"\. .*Did you mean h100-sxm/);
  });

  it("suggests presets for an unknown model name", () => {
    const raw = base();
    raw.model = "llama3-71b";
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("model");
    expect(e.value).toBe("llama3-71b");
    expect(e.suggestion).toContain("llama3-70b");
  });

  it.each([
    ["hardware.count", 0],
    ["hardware.count", -8],
    ["globalBatch", 0],
    ["parallelism.tp", -1],
  ])("rejects %s = %d as not positive", (field, value) => {
    const raw = base();
    const [a, b] = field.split(".");
    if (b) raw[a][b] = value;
    else raw[a] = value;
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe(field);
    expect(e.value).toBe(value);
    expect(e.message).toContain(`got ${value}`);
    expect(e.message).toMatch(/positive/);
  });

  it("rejects a negative size inside an inline model", () => {
    const raw = base();
    raw.model = { layers: -2, hidden: 1024, heads: 8, vocab: 32000, seqLen: 2048 };
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("model.layers");
    expect(e.value).toBe(-2);
  });

  it("rejects tp that does not divide the heads, even when lenient", () => {
    const raw = base();
    raw.parallelism = { tp: 3, pp: 1 };
    raw.hardware.count = 3;
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("parallelism.tp");
    expect(e.message).toMatch(
      /^Invalid parallelism\.tp: got 3\. A divisor of the model's 64 attention heads/,
    );
    expect(errorOf(() => parseScenario(raw, "", { lenient: true })).message).toBe(e.message);
  });

  it("rejects tp that neither divides the key-value heads nor replicates them evenly", () => {
    // 24 query heads in 8 key-value groups: tp 6 divides the heads but leaves a rank 4/3 of a group.
    const model = {
      layers: 4,
      hidden: 3072,
      ffnHidden: 8192,
      heads: 24,
      kvHeads: 8,
      vocab: 32000,
      seqLen: 2048,
    };
    const raw = { model, hardware: { chip: "h100-sxm", count: 6 }, parallelism: { tp: 6 }, globalBatch: 6 };
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("parallelism.tp");
    expect(e.value).toBe(6);
    expect(e.message).toMatch(/A divisor of the model's 8 key-value heads .*e\.g\. 1, 2, 4, 8, 24\.$/);
    const lenient = parseScenario(raw, "", { lenient: true });
    expect(lenient.assumptions.join("\n")).toMatch(/published layout adjusted: .*8 key-value heads/);
    // tp 4 splits the 8 groups; tp 16 on Llama 3 70B (8 groups, 64 heads) gives each pair a copy.
    expect(
      parseScenario({ ...raw, hardware: { chip: "h100-sxm", count: 4 }, parallelism: { tp: 4 } }),
    ).toBeTruthy();
    const wide = {
      ...base(),
      hardware: { chip: "h100-sxm", count: 16 },
      parallelism: { tp: 16 },
      globalBatch: 1,
    };
    expect(parseScenario(wide).parallelism.tp).toBe(16);
  });

  it("rejects fp8 on a chip without an fp8 tensor path, but reads it leniently", () => {
    const raw = { ...base(), hardware: { chip: "a100-80gb-sxm", count: 64 }, precision: "fp8" };
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("precision");
    expect(e.message).toBe(
      'Invalid precision: got "fp8". Bf16 or fp16 on a100-80gb-sxm, which has no fp8 tensor path (no fp8 peak in the catalog).',
    );
    expect(parseScenario({ ...raw, precision: "bf16" }).precision).toBe("bf16");
    expect(parseScenario({ ...raw, hardware: { chip: "h100-sxm", count: 64 } }).precision).toBe("fp8");
    expect(parseScenario(raw, "", { lenient: true }).precision).toBe("fp8");
  });

  it("states a too-large integer as a number bound, not a list length", () => {
    const e = errorOf(() => parseScenario({ ...base(), globalBatch: 1e20 }));
    expect(e.field).toBe("globalBatch");
    expect(e.message).toBe(
      "Invalid globalBatch: got 100000000000000000000. A whole number <= 9,007,199,254,740,991.",
    );
  });

  it("rejects tp x pp x dp x cp that differs from the chip count", () => {
    const raw = base();
    raw.parallelism.dp = 4;
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("parallelism");
    expect(e.message).toContain("tp 8 x pp 4 x dp 4 x cp 1 = 128");
    expect(e.message).toContain("equals the 64 chips");
  });

  it("rejects a chip count that dp cannot be derived from", () => {
    const raw = base();
    delete raw.parallelism.dp;
    raw.hardware.count = 48;
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("hardware.count");
    expect(e.value).toBe(48);
  });

  it("counts NeuronCores from the chip catalog when unit is neuroncore", () => {
    const raw = {
      model: "llama2-70b",
      hardware: { chip: "trn1", count: 512 },
      parallelism: { tp: 32, pp: 4, dp: 8, unit: "neuroncore" },
      globalBatch: 1024,
      microBatch: 1,
    };
    expect(parseScenario(raw).parallelism.dp).toBe(8);
    const wrong = { ...raw, parallelism: { ...raw.parallelism, dp: 4 } };
    expect(errorOf(() => parseScenario(wrong)).message).toMatch(/1024 NeuronCores/);
  });

  it("counts Trainium2 in logical NeuronCores (LNC=2: 4 per chip) unless the scenario says 8 (LNC=1)", () => {
    const raw = {
      model: "llama3-70b",
      hardware: { chip: "trn2", count: 64 },
      parallelism: { tp: 16, pp: 4, unit: "neuroncore" },
      globalBatch: 64,
      microBatch: 1,
    };
    expect(parseScenario(raw).parallelism.dp).toBe(4);
    const lnc1 = { ...raw, hardware: { ...raw.hardware, neuronCoresPerChip: 8 } };
    expect(parseScenario(lnc1).parallelism.dp).toBe(8);
    const odd = { ...raw, hardware: { ...raw.hardware, neuronCoresPerChip: 3 } };
    const e = errorOf(() => parseScenario(odd));
    expect(e.field).toBe("hardware.neuronCoresPerChip");
    expect(e.message).toMatch(/8 physical NeuronCores evenly: 1, 2, 4, 8/);
  });

  it("refuses the NeuronCore unit on a GPU, naming the unit, even with a core count given", () => {
    const raw = base();
    raw.parallelism.unit = "neuroncore";
    raw.hardware.neuronCoresPerChip = 4;
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("parallelism.unit");
    expect(e.message).toMatch(/"chip" on h100-sxm, which has no NeuronCores/);
  });

  it("rejects more pipeline stages than layers, but allows uneven stages", () => {
    const raw = base();
    raw.parallelism = { tp: 1, pp: 6, vpp: 1 };
    raw.hardware.count = 6;
    raw.globalBatch = 6;
    expect(parseScenario(raw).parallelism.pp).toBe(6); // 80 layers over 6 stages: uneven is fine
    raw.parallelism.vpp = 20;
    expect(errorOf(() => parseScenario(raw)).field).toBe("parallelism.pp");
  });

  it("rejects a global batch that is not a multiple of dp x microBatch", () => {
    const raw = base();
    raw.globalBatch = 5;
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("globalBatch");
    expect(e.message).toContain("A multiple of dp x microBatch = 2 x 1 = 2");
  });

  it("rejects expert parallelism for a dense model", () => {
    const raw = base();
    raw.parallelism.ep = 2;
    expect(errorOf(() => parseScenario(raw)).message).toMatch(
      /^Invalid parallelism\.ep: got 2\. 1 for a dense model/,
    );
  });

  it("requires ep to divide the experts and the folded tp x cp x dp ranks", () => {
    const moe = { model: "mixtral-8x7b", hardware: { chip: "h100-sxm", count: 16 }, globalBatch: 32 };
    expect(parseScenario({ ...moe, parallelism: { tp: 2, ep: 8 } }).parallelism.ep).toBe(8);
    expect(errorOf(() => parseScenario({ ...moe, parallelism: { tp: 2, ep: 16 } })).message).toMatch(
      /8 experts/,
    );
    const odd = { ...moe, hardware: { chip: "h100-sxm", count: 6 }, globalBatch: 6 };
    expect(errorOf(() => parseScenario({ ...odd, parallelism: { tp: 1, ep: 4 } })).message).toMatch(
      /A divisor of tp x cp x dp = 6/,
    );
  });

  it("names a missing required field", () => {
    const raw = base();
    delete raw.hardware.count;
    const e = errorOf(() => parseScenario(raw));
    expect(e.field).toBe("hardware.count");
    expect(e.message).toMatch(/required/);
  });

  it("assumes and states a global batch that was not published", () => {
    const raw = base();
    raw.globalBatch = null;
    const s = parseScenario(raw);
    expect(s.globalBatch % (2 * 1)).toBe(0);
    expect(s.globalBatch * 8192).toBeGreaterThan(3e6);
    expect(s.assumptions.join(" ")).toMatch(/global batch \d+ sequences \(not published/);
  });

  it("accepts activation offloading on a chip with a host link and names the field elsewhere", () => {
    const raw = base();
    raw.parallelism.recompute = "offload";
    const e = errorOf(() => parseScenario(raw));
    expect(e.message).toMatch(/parallelism\.recompute/);
    expect(e.message).toMatch(/offload/);
    expect(e.message).toMatch(/h100-sxm/);
    raw.hardware.chip = "gb200";
    expect(parseScenario(raw).parallelism.recompute).toBe("offload");
  });

  it("reads a sliding window from the model notes, and says so", () => {
    const raw = base();
    raw.model = {
      ...(dev as { model: object }[])[0].model,
      notes: "alternating full / 128-token sliding-window attention",
    };
    const s = parseScenario(raw, "", { lenient: true });
    expect(s.model.slidingWindow).toEqual({ tokens: 128, layers: "alternate" });
    expect(s.assumptions.join(" ")).toMatch(/sliding-window attention read from the model notes/);
  });

  it("adjusts a published layout that does not multiply out when lenient, and says so", () => {
    const raw = { ...base(), parallelism: { tp: 8, pp: 4, dp: 3 } };
    expect(() => parseScenario(raw)).toThrow(InputError);
    const s = parseScenario(raw, "", { lenient: true });
    expect(s.parallelism.dp).toBe(2);
    expect(s.assumptions[0]).toMatch(/published layout adjusted/);
  });

  it("lists the allowed precisions for a bad one", () => {
    const raw = { ...base(), precision: "fp4" };
    expect(errorOf(() => parseScenario(raw)).message).toBe(
      'Invalid precision: got "fp4". One of bf16, fp16, fp8.',
    );
  });
});

describe("parseScenarioList", () => {
  it("parses every case of the shipped validation set", () => {
    const results = parseScenarioList(dev);
    const failures = results.filter((r) => !r.ok).map((r) => (r.ok ? "" : `${r.id}: ${r.error.message}`));
    expect(failures).toEqual([]);
    expect(results).toHaveLength(dev.length);
  });

  it("keeps going after a bad case and reports its id and index", () => {
    const bad = { ...base(), id: "broken", hardware: { chip: "h1OO", count: 64 } };
    const results = parseScenarioList([base(), bad, base()]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const r = results[1];
    if (r.ok) throw new Error("expected failure");
    expect(r.id).toBe("broken");
    expect(r.error.field).toBe("[1].hardware.chip");
  });

  it("rejects input that is not a list", () => {
    expect(() => parseScenarioList({ a: 1 })).toThrow(InputError);
  });
});
