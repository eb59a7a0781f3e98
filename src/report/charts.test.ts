import { describe, expect, it } from "vitest";
import { costBreakdownChartSpec, fleetChartSpec, frontierChartSpec, renderSvg } from "./charts.js";

const rows = [
  {
    chip: "h100-sxm",
    chips: 1024,
    days: 30,
    costUsd: 5e6,
    candidates: [
      { chips: 512, days: 58, costUsd: 4.9e6 },
      { chips: 1024, days: 30, costUsd: 5e6 },
    ],
    goodputDetail: { hoursPer1000: { useful: 950, checkpointing: 10, rework: 30, restart: 10 } },
  },
  {
    chip: "trn2",
    chips: 2048,
    days: 25,
    costUsd: 6e6,
    candidates: [],
    goodputDetail: { hoursPer1000: { useful: 900, checkpointing: 20, rework: 60, restart: 20 } },
  },
  { chip: "gb200", chips: 512, days: 20, costUsd: null, candidates: [], goodputDetail: null },
];

describe("charts", () => {
  it("renders the time-versus-cost frontier to SVG with its title, source and chip labels", async () => {
    const svg = await renderSvg(
      frontierChartSpec(rows, ["h100-sxm", "trn2"], { title: "Frontier test", source: "source: unit test" }),
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Frontier test");
    expect(svg).toContain("source: unit test");
    expect(svg).toContain("time to train (days)");
    expect(svg).toContain("trn2");
  });

  it("splits each priced chip's cost by activity and renders it", async () => {
    const spec = costBreakdownChartSpec(rows, { title: "Breakdown test" });
    const values = (spec.data as { values: { chip: string; costUsd: number }[] }).values;
    expect(values.filter((v) => v.chip === "h100-sxm").reduce((s, v) => s + v.costUsd, 0)).toBeCloseTo(
      5e6,
      6,
    );
    expect(values.some((v) => v.chip === "gb200")).toBe(false);
    const svg = await renderSvg(spec);
    expect(svg).toContain("<svg");
    expect(svg).toContain("Breakdown test");
    expect(svg).toContain("checkpointing");
  });

  it("renders the fleet per year with the chip bought as legend", async () => {
    const years = [
      { year: 2026, chipId: "h200-sxm", sustainedChips: 1000, chipHours: 8.76e6, budgetUsd: 5e7 },
      { year: 2027, chipId: "b200", sustainedChips: 1500, chipHours: 1.31e7, budgetUsd: 5e7 },
    ];
    const svg = await renderSvg(fleetChartSpec(years, { title: "Fleet test", source: "source: unit test" }));
    expect(svg).toContain("<svg");
    expect(svg).toContain("Fleet test");
    expect(svg).toContain("b200");
    expect(svg).toContain("2027");
  });
});
