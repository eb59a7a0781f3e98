// The engine's outputs on a fixed set of questions, reduced to what a user sees: every validation case
// simulated, a few plan searches, a chip comparison. test/golden/engineOutputs.test.ts holds them equal
// to engine-outputs.json, so a refactor that moves a figure fails; a change meant to move figures
// regenerates the file (`UPDATE_GOLDEN=1 npx vitest run test/golden`) and its diff shows what moved.
import dev from "../../data/validation/dev.json" with { type: "json" };
import mbridge from "../../data/validation/heldout-mbridge-2602.json" with { type: "json" };
import neuron from "../../data/validation/heldout-neuron-2.24.json" with { type: "json" };
import h200 from "../../data/validation/measured-h200.json" with { type: "json" };
import {
  compareChips,
  findChip,
  findModelPreset,
  loadCases,
  type PlanSearchRequest,
  type SimulationResult,
  searchPlans,
  simulate,
  smallestFittingChips,
} from "../../src/index.js";

/** Ten significant digits: a refactor may reorder floating-point sums, not move a figure. */
function round(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? Number(value.toPrecision(10)) : String(value);
  if (Array.isArray(value)) return value.map(round);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  }
  return value;
}

function digest(r: SimulationResult): unknown {
  return round({
    fits: r.fits,
    parallelism: r.parallelism,
    memory: r.memory,
    step: r.step,
    throughput: r.throughput,
    profileFrom: r.profileFrom,
    assumptions: r.assumptions,
  });
}

function simulatedCases(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [file, raw] of Object.entries({ dev, mbridge, neuron, h200 })) {
    for (const c of loadCases(raw).cases) out[`${file}/${c.id}`] = digest(simulate(c.input));
  }
  return out;
}

const model = (id: string) => findModelPreset(id)!.model;
const chip = (id: string) => findChip(id)!;

const SEARCHES: Record<string, PlanSearchRequest> = {
  "llama3-405b on 16384 h100": { model: model("llama3-405b"), chip: chip("h100-sxm"), chips: 16384, globalBatch: 2048 },
  "deepseek-v3 on 2048 h100": { model: model("deepseek-v3"), chip: chip("h100-sxm"), chips: 2048, globalBatch: 4096 },
  "llama3-70b on 512 trn2": { model: model("llama3-70b"), chip: chip("trn2"), chips: 512, globalBatch: 1024 },
  "llama3-70b on 512 h100, top 3": {
    model: model("llama3-70b"),
    chip: chip("h100-sxm"),
    chips: 512,
    globalBatch: 512,
    top: 3,
  },
  "llama3-70b on 256 gb200 (offload)": { model: model("llama3-70b"), chip: chip("gb200"), chips: 256, globalBatch: 512 },
  "llama3-8b on 64 a100, bf16 gradients": {
    model: model("llama3-8b"),
    chip: chip("a100-80gb-sxm"),
    chips: 64,
    globalBatch: 512,
    gradientReduce: "bf16",
    precision: "bf16",
  },
  "llama3-8b on 64 a100, fp8 asked (runs at the bf16 rate)": {
    model: model("llama3-8b"),
    chip: chip("a100-80gb-sxm"),
    chips: 64,
    globalBatch: 512,
    precision: "fp8",
  },
  "llama3-405b on 8 h100 (nothing fits)": { model: model("llama3-405b"), chip: chip("h100-sxm"), chips: 8, globalBatch: 2048 },
};

function searches(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, req] of Object.entries(SEARCHES)) {
    const r = searchPlans({ ...req, countBetterThan: 1000 });
    out[name] = round({
      evaluated: r.evaluated,
      feasible: r.feasible,
      rejected: r.rejected,
      betterCount: r.betterCount,
      infeasible: r.infeasible,
      plans: r.plans.map(digest),
      smallestFittingChips: smallestFittingChips(req, 1),
    });
  }
  return out;
}

function comparison(): unknown {
  const r = compareChips({
    model: model("llama3-70b"),
    tokens: 2e12,
    chips: ["h100-sxm", "b200", "trn2", "gb200"].map(chip),
  });
  return round({
    ...r,
    rows: r.rows.map((row) => ({ ...row, plan: row.plan ? digest(row.plan) : null })),
  });
}

export function engineOutputs(): Record<string, unknown> {
  return { simulate: simulatedCases(), search: searches(), compare: comparison() };
}
