import { describe, expect, it } from "vitest";
import {
  costBreakdownChartSpec,
  fleetChartSpec,
  frontierChartSpec,
  memoryBreakdownChartSpec,
  renderSvg,
  stepBreakdownChartSpec,
} from "./charts.js";

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

  const plan = {
    chip: "h100-sxm",
    chips: 1024,
    step: {
      seconds: 2.5,
      breakdown: { compute: 2.0, tensorParallel: 0.3, pipelineBubble: 0.2, dataParallel: 0 },
    },
    memory: {
      perChipBytes: 60 * 2 ** 30,
      capacityBytes: 80 * 2 ** 30,
      breakdown: { weights: 20 * 2 ** 30, optimizerStates: 25 * 2 ** 30, activations: 15 * 2 ** 30 },
    },
  };

  it("shows a step's exposed parts in ms, leaving out the parts that cost nothing", async () => {
    const spec = stepBreakdownChartSpec(plan);
    const values = (spec.data as { values: { part: string; value: number }[] }).values;
    expect(values.map((v) => v.part)).toEqual(["compute", "tensorParallel", "pipelineBubble"]);
    expect(values[0].value).toBeCloseTo(2000, 6);
    const svg = await renderSvg(spec);
    expect(svg).toContain("Step time on 1024 × h100-sxm: 2500 ms");
    expect(svg).toContain("pipelineBubble");
  });

  it("shows what fills a chip's memory in GiB against its capacity", async () => {
    const spec = memoryBreakdownChartSpec(plan, { source: "source: unit test" });
    const values = (spec.data as { values: { part: string; value: number }[] }).values;
    expect(values.find((v) => v.part === "optimizerStates")?.value).toBeCloseTo(25, 6);
    const svg = await renderSvg(spec);
    expect(svg).toContain("Memory per h100-sxm chip: 60.0 of 80 GiB");
    expect(svg).toContain("source: unit test");
  });
});

describe("frontier chart labels", () => {
  it("names chips by colour and legend, not by text beside points that overlap", () => {
    const rows = ["h100-sxm", "h200-sxm"].map((chip) => ({ chip, chips: 64, days: 10, costUsd: 1e6 }));
    const spec = frontierChartSpec(rows, []);
    const marks = (spec.layer as { mark: { type: string } }[]).map((l) => l.mark.type);
    expect(marks).not.toContain("text");
  });
});
