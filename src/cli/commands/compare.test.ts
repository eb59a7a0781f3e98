import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCaptured } from "../captured.js";

const cli = (argv: string[], isTTY = false) => runCaptured(argv, { isTTY });

const base = [
  "compare",
  "--model",
  "llama3-8b",
  "--tokens",
  "1T",
  "--chip",
  "h100,trn2,gb200",
  "--chips",
  "16..64",
];

describe("trainplan compare", () => {
  it("prints a table with units, the frontier marked, prices with sources and assumptions", async () => {
    const r = await cli(base);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(
      /^chip\s+instance\s+chips\s+days\s+cost \(USD\)\s+\$\/chip-h\s+\$\/M tokens\s+energy \(MWh\)/,
    );
    expect(r.stdout).toMatch(/^h100-sxm|^trn2/m);
    expect(r.stdout).toContain(" *");
    expect(r.stdout).toContain("needs --price");
    expect(r.stdout).toMatch(/h100-sxm: \$55\.04\/h aws:p5\.48xlarge on-demand .* seen \d{4}-\d\d-\d\d/);
    expect(r.stdout).toContain("Assumptions:");
    expect(r.stderr).toBe("");
  });

  it("prints rows and frontier as JSON whose figures satisfy the issue's equations", async () => {
    const r = await cli([...base, "--json"]);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.rows).toHaveLength(3);
    for (const row of data.rows) {
      for (const k of [
        "chip",
        "instance",
        "chips",
        "days",
        "costUsd",
        "usdPerChipHour",
        "energyMWh",
        "goodput",
        "plan",
        "reason",
      ]) {
        expect(row).toHaveProperty(k);
      }
      const tps = row.plan.throughput.tokensPerSecondPerChip;
      expect(row.days).toBeCloseTo(1e12 / (tps * row.chips * row.goodput) / 86400, 9);
      if (row.usdPerChipHour !== null)
        expect(row.costUsd).toBeCloseTo(row.chips * row.days * 24 * row.usdPerChipHour, 3);
    }
    expect(Array.isArray(data.frontier)).toBe(true);
    expect(data.assumptions.length).toBeGreaterThan(3);
  });

  it("names in its text which chips borrow another chip's profile, and heads MFU with its peak", async () => {
    const r = await cli(base);
    expect(r.stdout).toContain("MFU (bf16 peak)");
    expect(r.stdout).toMatch(
      /performance profile: trn2 has no validation cases of its own: a prior from its hardware/,
    );
    expect(r.stdout).not.toMatch(/performance profile: h100-sxm/);
  });

  it("names the ZeRO stage and recomputation in the plan column", async () => {
    const r = await cli(base);
    const h100 = r.stdout.split("\n").find((l) => l.startsWith("h100-sxm"));
    expect(h100).toMatch(/tp\d+ pp\d+ .*dp\d+ .*mb\d+ (no|selective|full)-recompute zero[0-3]/);
  });

  it("writes CSV, Markdown and an SVG chart, and shows progress only on a terminal", async () => {
    const csv = await cli([...base, "--csv"]);
    expect(csv.stdout.split("\r\n")[0]).toContain("chip,instance,chips,days,cost (USD)");
    const md = await cli([...base, "--markdown", "--price", "gb200=6"]);
    expect(md.stdout).toMatch(/^\| chip \| instance \|/);
    expect(md.stdout).toContain("--price gb200=6 (your price)");
    const dir = mkdtempSync(join(tmpdir(), "trainplan-compare-"));
    const file = join(dir, "f.svg");
    const tty = await cli([...base, "--chart", file], true);
    expect(tty.code).toBe(0);
    expect(readFileSync(file, "utf8")).toMatch(/^<svg[\s\S]*time versus cost/);
    expect(tty.stderr).toContain("compare: 9/9 plan searches");
  });

  it("rejects bad input with exit 2, naming the flag, the value and what is allowed", async () => {
    const chip = await cli(["compare", "--model", "llama3-8b", "--tokens", "1T", "--chip", "h1000"]);
    expect(chip.code).toBe(2);
    expect(chip.stderr).toMatch(
      /^error: Invalid --chip: got "h1000"\. Chip ids separated by commas: .*Did you mean/,
    );
    const tokens = await cli(["compare", "--model", "llama3-8b", "--tokens", "lots"]);
    expect(tokens.stderr).toMatch(/Invalid --tokens: got "lots"/);
    const model = await cli(["compare", "--model", "llama9", "--tokens", "1T"]);
    expect(model.stderr).toMatch(/Invalid --model: got "llama9"\. A model preset \(/);
    const pricing = await cli([...base, "--pricing", "spot"]);
    expect(pricing.stderr).toMatch(/Invalid --pricing: got "spot"\. One of .*on-demand/);
    const missing = await cli(["compare", "--tokens", "1T"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Invalid --model: got nothing");
  });

  it("rejects a mistyped instance id and conflicting prices under --price, with what is allowed", async () => {
    const inst = await cli([...base, "--price", "instance:p5.48xlargee=55"]);
    expect(inst.code).toBe(2);
    expect(inst.stderr).toMatch(
      /^error: Invalid --price: got "instance:p5\.48xlargee"\. Catalog instance ids: .*Did you mean p5\.48xlarge/,
    );
    const dup = await cli([...base, "--price", "h100=2,h100-sxm=3"]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(
      /Invalid --price: got "h100=2,h100-sxm=3"\. One price per chip or instance \(h100-sxm/,
    );
    const ok = await cli([...base, "--json", "--price", "instance:p5.48xlarge=80"]);
    const h100 = JSON.parse(ok.stdout).rows.find((r: { chip: string }) => r.chip === "h100-sxm");
    expect(h100.usdPerChipHour).toBe(10);
  });

  it("caps absurd token counts and budgets, saying the limit", async () => {
    const tokens = await cli(["compare", "--model", "llama3-8b", "--tokens", "1e18"]);
    expect(tokens.code).toBe(2);
    expect(tokens.stderr).toMatch(/Invalid --tokens: got "1e18"\. A token count up to 1e17/);
    const budget = await cli([...base, "--budget", "2e13"]);
    expect(budget.stderr).toMatch(/Invalid --budget: got "2e13"\. A USD amount up to 10T/);
  });

  it("takes goodput and energy overrides and shows the hours lost per 1,000", async () => {
    const flags = ["--restart-seconds", "1200", "--failure-rate", "4e-5", "--checkpoint", "async"];
    const energy = ["--storage-gbps", "10", "--grid-gco2", "100", "--pue", "1.5", "--tdp", "trn2=600"];
    const r = await cli([...base, "--json", ...flags, ...energy]);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    const trn2 = data.rows.find((x: { chip: string }) => x.chip === "trn2");
    expect(trn2.goodputDetail.restartSeconds).toBe(1200);
    expect(trn2.goodputDetail.failuresPerChipHour).toBe(4e-5);
    expect(data.assumptions).toContain("grid intensity 100 gCO2e/kWh (user)");
    expect(data.assumptions).toContain("pue = 1.5 (user)");
    expect(data.assumptions.join("\n")).toContain("trn2 power 600 W (user");
    expect(data.assumptions.join("\n")).toContain("checkpoint async");
    expect(trn2.tCO2e).toBeCloseTo(trn2.energyMWh * 0.1, 6);
    const table = await cli(base);
    expect(table.stdout.split("\n")[0]).toContain("lost h/1000: ckpt/rework/restart");
    expect(table.stdout).toMatch(/\s\d+\.\d\/\d+\.\d\/\d+\.\d\s/);
    const bad = await cli([...base, "--checkpoint", "lazy"]);
    expect(bad.stderr).toMatch(/Invalid --checkpoint: got "lazy"\. Sync or async/);
    const pue = await cli([...base, "--pue", "0.5"]);
    expect(pue.stderr).toMatch(/Invalid --pue: got "0\.5"\. A number from 1 to 3/);
  });

  it("gives the break-even of Trainium2 against H100 in the table, as JSON and as a chart, with ranges over the error bands", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainplan-breakeven-"));
    const file = join(dir, "be.svg");
    const json = await cli([
      ...base,
      "--json",
      "--breakeven",
      "trn2:h100,trn2:gb200",
      "--breakeven-chart",
      file,
    ]);
    expect(json.code).toBe(0);
    const data = JSON.parse(json.stdout);
    const [vsH100, vsGb200] = data.breakEven;
    const row = (chip: string) => data.rows.find((r: { chip: string }) => r.chip === chip);
    expect(vsH100).toMatchObject({ kind: "break-even", chip: "trn2", against: "h100-sxm" });
    expect(vsH100.bands.usdPerChipHour.low).toBeLessThan(vsH100.bands.usdPerChipHour.high);
    // At the break-even price Trainium2's chip-hours cost what H100's run costs.
    expect(vsH100.usdPerChipHour * row("trn2").chipHours).toBeCloseTo(row("h100-sxm").costUsd, 0);
    expect(vsGb200.usdPerChipHour).toBeNull();
    expect(vsGb200.missing[0]).toMatch(
      /^gb200 has no price: the break-even is [0-9.]+ x its price per chip-hour$/,
    );
    expect(data.errorBand).toMatch(/^ranges: over both chips' 80% throughput error bands/);
    expect(readFileSync(file, "utf8")).toMatch(/^<svg[\s\S]*trn2 = h100-sxm at \$[0-9.]+\/chip-h/);
    const table = await cli([...base, "--breakeven", "trainium2:h100"]);
    expect(table.stdout).toMatch(/^Break-even:$/m);
    expect(table.stdout).toMatch(/^trn2\s+h100-sxm\s+\$[0-9.]+ \(\$[0-9.]+-\$[0-9.]+\)\s+[0-9.]+x/m);
    expect(table.stdout).toContain("ranges: over both chips' 80% throughput error bands");
  });

  it("shows vendor claims beside the prediction, with sources, in the table and as JSON", async () => {
    const r = await cli([...base, "--json"]);
    const claims = JSON.parse(r.stdout).claims;
    const gb200 = claims.find(
      (c: { claim: { id: string } }) => c.claim.id === "nvidia-gb200-nvl72-vs-h100-training",
    );
    expect(gb200.claim.claimedRatio).toEqual({ min: null, max: 4 });
    expect(gb200.predictedRatio).toBeGreaterThan(0);
    const prices = JSON.parse(r.stdout).prices;
    expect(prices.find((p: { chipId: string }) => p.chipId === "gb200")).toEqual({
      chipId: "gb200",
      status: "no-public-price",
      options: [],
      hint: "pass --price gb200=<USD per chip-hour>",
    });
    const trn2 = prices.find((p: { chipId: string }) => p.chipId === "trn2");
    expect(trn2.options.map((o: { standing: string }) => o.standing)).toEqual(["quoted", "listed"]);
    const table = await cli(base);
    expect(table.stdout).toContain("gb200: no public price; pass --price gb200=<USD per chip-hour>");
    expect(table.stdout).toMatch(
      /trn2: \$35\.76\/h aws:trn2\.48xlarge on-demand ap-southeast-4, quoted \(not used;/,
    );
    expect(table.stdout).toContain("Vendor claims beside trainplan's prediction for this run");
    expect(table.stdout).toContain("https://www.nvidia.com/en-us/data-center/gb200-nvl72/");
  });

  it("rejects a break-even pair that is malformed, names an unknown chip or one not compared, and a chart without pairs", async () => {
    const shape = await cli([...base, "--breakeven", "trn2"]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/^error: Invalid --breakeven: got "trn2"\. "chip:against" pairs/);
    const unknown = await cli([...base, "--breakeven", "trn9:h100"]);
    expect(unknown.stderr).toContain('"trn9" is not a chip id');
    const absent = await cli([...base, "--breakeven", "trn3:h100"]);
    expect(absent.stderr).toMatch(
      /Invalid --breakeven: got "trn3:h100"\. Pairs of the chips compared .*add trn3 to --chip/,
    );
    const csv = await cli([...base, "--csv", "--breakeven", "trn2:h100"]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(
      /Invalid --breakeven: got "trn2:h100"\. With the table, --markdown or --json \(CSV holds the rows only\)/,
    );
    const chart = await cli([...base, "--breakeven-chart", "x.svg"]);
    expect(chart.code).toBe(2);
    expect(chart.stderr).toMatch(
      /Invalid --breakeven-chart: got "x\.svg"\. A chart of the pairs given with --breakeven/,
    );
  });
});
