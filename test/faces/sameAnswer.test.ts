import { describe, expect, it } from "vitest";
import { runCaptured } from "../../src/cli/captured.js";
import { capacityForBudget } from "../../src/compare/capacityForBudget.js";
import { compareChips } from "../../src/compare/compareChips.js";
import { findChip } from "../../src/hardware/catalog.js";
import { planLabel } from "../../src/report/planLabel.js";
import { capacityFor, compareInputFor, modelFor, rowFor } from "../../src/web/engine.js";
import { type AppState, DEFAULT_STATE } from "../../src/web/state.js";
import { findModelPreset } from "../../src/workload/presets.js";

/**
 * The same question asked of the CLI, the library and the web app's engine (what its workers run)
 * gets the same figures. Each case is a `compare` command line and the web state that asks the same.
 */
interface Figures {
  chip: string;
  chips: number | null;
  days: number | null;
  costUsd: number | null;
  mfu: number | null;
  energyMWh: number | null;
  goodput: number | null;
  plan: string | null;
}

const CASES: { name: string; argv: string[]; state: Partial<AppState> }[] = [
  {
    name: "the issue's 405B run on 8,192 H100 (CLI 115.6 days; the page said 138.4)",
    argv: ["--model", "llama3-405b", "--tokens", "15T", "--chip", "h100", "--chips", "8192"],
    state: { model: "llama3-405b", tokensB: 15_000, chipIds: ["h100-sxm"], count: 8192 },
  },
  {
    name: "every option the page sets, on two chips",
    argv: [
      ...["--model", "llama3-8b", "--tokens", "500B", "--chip", "h100,trn2", "--chips", "64"],
      ...["--seq", "4096", "--global-batch", "512", "--precision", "auto", "--checkpoint", "async"],
      ...["--failure-rate", "1e-4", "--restart-seconds", "900", "--storage-gbps", "8", "--pue", "1.3", "--region", "us-west-2"],
      ...["--grid-gco2", "200", "--tdp", "trn2=600", "--price", "h100=3.1", "--pricing", "on-demand"],
    ],
    state: {
      model: "llama3-8b",
      tokensB: 500,
      chipIds: ["h100-sxm", "trn2"],
      count: 64,
      seqLen: 4096,
      globalBatch: 512,
      precision: "auto",
      checkpoint: "async",
      failuresPerChipHour: 1e-4,
      restartSeconds: 900,
      storageGBps: 8,
      pue: 1.3,
      region: "us-west-2",
      gCO2PerKWh: 200,
      tdpW: { trn2: 600 },
      prices: { "h100-sxm": 3.1 },
    },
  },
  {
    name: "the count compare picks for a deadline and a budget (no --chips; the page's blank count)",
    argv: ["--model", "llama3-8b", "--tokens", "1T", "--chip", "h100", "--deadline-days", "20", "--budget", "2M"],
    state: { model: "llama3-8b", tokensB: 1000, chipIds: ["h100-sxm"], count: null, deadlineDays: 20, runBudgetM: 2 },
  },
  {
    name: "constraints and a stack on two chips (--tp, --pp range, --zero, --framework)",
    argv: [
      ...["--model", "llama3-70b", "--tokens", "1T", "--chip", "h100,b200", "--chips", "256"],
      ...["--tp", "4,8", "--pp", "1..4", "--zero", "1", "--framework", "megatron-core"],
    ],
    state: {
      model: "llama3-70b",
      tokensB: 1000,
      chipIds: ["h100-sxm", "b200"],
      count: 256,
      constraints: { tp: "4,8", pp: "1..4", zero: "zero1" },
      framework: "megatron-core",
    },
  },
];

function figures(r: {
  chip: string;
  chips: number | null;
  days: number | null;
  costUsd: number | null;
  energyMWh: number | null;
  goodput: number | null;
  plan: { throughput: { mfu: number }; parallelism: Parameters<typeof planLabel>[0] } | null;
}): Figures {
  return {
    chip: r.chip,
    chips: r.chips,
    days: r.days,
    costUsd: r.costUsd,
    mfu: r.plan?.throughput.mfu ?? null,
    energyMWh: r.energyMWh,
    goodput: r.goodput,
    plan: r.plan ? planLabel(r.plan.parallelism) : null,
  };
}

describe("one answer on every face", () => {
  for (const c of CASES) {
    it(`gives identical figures in the CLI, the library and the web engine: ${c.name}`, async () => {
      const cli = await runCaptured(["compare", ...c.argv, "--json"]);
      expect(cli.stderr).toBe("");
      expect(cli.code).toBe(0);
      const fromCli = JSON.parse(cli.stdout).rows.map(figures);

      const state: AppState = { ...DEFAULT_STATE, ...c.state };
      const model = modelFor(state);
      const chips = state.chipIds.map((id) => findChip(id)!);
      const fromLibrary = compareChips(compareInputFor(state, model, chips)).rows.map(figures);
      const fromWeb = chips.map((chip) => figures(rowFor(state, model, chip)));

      expect(fromCli.length).toBe(chips.length);
      expect(fromCli.every((f: Figures) => f.days !== null)).toBe(true);
      expect(fromLibrary).toEqual(fromCli);
      expect(fromWeb).toEqual(fromCli);
    });
  }

  it("the issue's case: 405B on 8,192 H100 with every default gives the CLI's days on the page too (it said 138.4)", async () => {
    const state: AppState = { ...DEFAULT_STATE, ...CASES[0].state };
    const row = rowFor(state, modelFor(state), findChip("h100-sxm")!);
    const cli = await runCaptured([
      ...["compare", "--model", "llama3-405b", "--tokens", "15T", "--chip", "h100", "--chips", "8192", "--json"],
    ]);
    const cliDays = JSON.parse(cli.stdout).rows[0].days as number;
    expect(row.days?.toFixed(1)).toBe(cliDays.toFixed(1));
    expect(row.days).not.toBeCloseTo(138.4, 0);
    expect(row.assumptions.join("\n")).toContain("global batch 2048 sequences");
    expect(row.assumptions.join("\n")).toContain("checkpoint sync");
  });

  it("the capacity view measures the same runs as `trainplan capacity` and the library", async () => {
    const argv = [
      ...["--budget", "100M", "--years", "3", "--run", "llama3-8b:1T", "--chip", "h100,trn2"],
      ...["--price-decline", "12"],
    ];
    const cli = await runCaptured(["capacity", ...argv, "--json"]);
    expect(cli.code).toBe(0);
    const fromCli = JSON.parse(cli.stdout);
    const state: AppState = {
      ...DEFAULT_STATE,
      model: "llama3-8b",
      tokensB: 1000,
      chipIds: ["h100-sxm", "trn2"],
      budgetM: 100,
      years: 3,
      priceDeclinePct: 12,
    };
    const model = modelFor(state);
    const web = capacityFor(state, model);
    const library = capacityForBudget({
      budgetUsd: 100e6,
      years: 3,
      priceDeclinePctPerYear: 12,
      chips: state.chipIds.map((id) => findChip(id)!),
      runs: [{ name: model.name, model: findModelPreset("llama3-8b")!.model, tokens: 1e12 }],
    });
    const digest = (r: {
      chipHours: number;
      tokens: number;
      years: { year: number; chipId: string; usdPerChipHour: number }[];
      chips: { chipId: string; reference: { chips: number; effectiveTokensPerSecondPerChip: number }[] }[];
    }) => ({
      chipHours: r.chipHours,
      years: r.years.map((y) => [y.year, y.chipId, y.usdPerChipHour]),
      tokens: r.tokens,
      chips: r.chips.map((x) => ({ chip: x.chipId, reference: x.reference.map((ref) => [ref.chips, ref.effectiveTokensPerSecondPerChip]) })),
    });
    expect(digest(web)).toEqual(digest(fromCli));
    expect(digest(library)).toEqual(digest(fromCli));
  });
});
