import { describe, expect, it } from "vitest";
import { runCaptured } from "../captured.js";

const cli = (argv: string[]) => runCaptured(argv);

const base = [
  "capacity",
  "--budget",
  "1B",
  "--years",
  "3",
  "--start-year",
  "2026",
  "--chip",
  "h100,trn2",
  "--run",
  "llama3-8b:15T",
];

describe("trainplan capacity", () => {
  it("prints chipHours, per-year rows and runs as JSON", async () => {
    const r = await cli([...base, "--json", "--ramp", "20,30,50", "--price-decline", "10"]);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.years.map((y: { year: number }) => y.year)).toEqual([2026, 2027, 2028]);
    expect(data.years[0].budgetUsd).toBeCloseTo(2e8, 0);
    expect(data.chipHours).toBeCloseTo(
      data.years.reduce((s: number, y: { chipHours: number }) => s + y.chipHours, 0),
      0,
    );
    expect(data.runs[0]).toMatchObject({ model: "llama3-8b", tokens: 15e12 });
    expect(data.runs[0].count).toBeGreaterThan(1);
  });

  it("prints the year table, runs covered and prices with sources", async () => {
    const r = await cli(base);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^year\s+chip\s+budget \(USD\)\s+\$\/chip-h\s+chip-hours\s+chips all year/m);
    expect(r.stdout).toMatch(/llama3-8b\s+15\.0T/);
    expect(r.stdout).toContain("seen 20");
  });

  it("rejects a ramp that does not match the years, naming the flag", async () => {
    const r = await cli([...base, "--ramp", "50,50"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid --ramp: got "50,50"\. 3 numbers separated by commas/);
    const run = await cli([...base.slice(0, 9), "--run", "llama3-8b"]);
    expect(run.stderr).toMatch(/Invalid --run: got "llama3-8b"\. MODEL:TOKENS/);
  });

  it("lets catalog prices fall from their quote year, not the start year", async () => {
    const at = async (year: string) =>
      JSON.parse(
        (
          await cli([
            ...base.slice(0, 6),
            year,
            ...base.slice(9), // the run, without base's --chip: one --chip below
            "--json",
            "--price-decline",
            "10",
            "--chip",
            "h100",
          ])
        ).stdout,
      );
    const now = await at("2026");
    const later = await at("2030");
    expect(later.chips[0].priceYear).toBe(2026);
    expect(later.years[0].usdPerChipHour).toBeCloseTo(now.years[0].usdPerChipHour * 0.9 ** 4, 9);
  });

  it("caps years and budget, takes goodput flags, and defaults the start to the catalog price year", async () => {
    const years = await cli(["capacity", "--budget", "1B", "--years", "31"]);
    expect(years.code).toBe(2);
    expect(years.stderr).toMatch(/Invalid --years: got "31"\. A whole number of years from 1 to 30/);
    const budget = await cli(["capacity", "--budget", "1e14", "--years", "3"]);
    expect(budget.stderr).toMatch(/Invalid --budget: got "1e14"\. A USD amount up to 10T/);
    const noStart = [...base.slice(0, 5), ...base.slice(7)];
    const plain = JSON.parse((await cli([...noStart, "--json"])).stdout);
    const slow = JSON.parse((await cli([...noStart, "--json", "--restart-seconds", "3600"])).stdout);
    expect(plain.startYear).toBe(2026);
    expect(plain.assumptions).toContain("start year 2026: the year of the catalog prices");
    expect(plain.assumptions.join("\n")).toContain("restartSeconds = 600");
    expect(slow.assumptions.join("\n")).not.toContain("restartSeconds = 600");
    expect(slow.chips[0].reference[0].goodput).toBeLessThan(plain.chips[0].reference[0].goodput);
  });
});
