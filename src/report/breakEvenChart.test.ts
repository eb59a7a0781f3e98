import { describe, expect, it } from "vitest";
import { breakEvensFromRows } from "../compare/breakEven.js";
import { breakEvenChartSpec } from "./breakEvenChart.js";
import { renderSvg } from "./charts.js";

const tokens = 1e12;
const rows = [
  { chip: "trn2", chipHours: 4e5, usdPerChipHour: 5.37, plan: { throughput: { mfu: 0.3 } } },
  { chip: "trn3", chipHours: 2e5, usdPerChipHour: null, plan: { throughput: { mfu: 0.35 } } },
  { chip: "h100-sxm", chipHours: 2e5, usdPerChipHour: 6.88, plan: { throughput: { mfu: 0.45 } } },
];
const outcomes = breakEvensFromRows(rows, [
  { chip: "trn2", against: "h100-sxm" },
  { chip: "trn3", against: "h100-sxm" },
]);

interface Layer {
  data: { values: Record<string, number | string>[] };
}

describe("breakEvenChartSpec", () => {
  const spec = breakEvenChartSpec(rows, outcomes, tokens, { title: "Break-even test", source: "unit test" });
  const [lines, marks] = (spec.layer as Layer[]).map((l) => l.data.values);

  it("marks each crossing where the chip's line meets the other chip's level today", () => {
    const crossings = marks.filter((m) => m.kind === "break-even");
    expect(crossings).toHaveLength(2);
    for (const m of crossings) {
      const chip = String(m.label).split(" = ")[0];
      const line = lines.filter((p) => p.series === `${chip} at any price`);
      const slope = (line[1].usdPerMillionTokens as number) / (line[1].usdPerChipHour as number);
      // On the chip's own line ...
      expect(slope * (m.usdPerChipHour as number)).toBeCloseTo(m.usdPerMillionTokens as number, 9);
      // ... and at H100's cost today: 6.88 $/chip-h x 2e5 chip-hours per 1e6 million tokens.
      expect(m.usdPerMillionTokens).toBeCloseTo((6.88 * 2e5) / 1e6, 9);
    }
    expect(crossings.map((m) => m.usdPerChipHour)).toEqual([3.44, 6.88]);
  });

  it("shows today's price only for chips that have one, and renders to SVG with its labels", async () => {
    expect(marks.filter((m) => m.kind === "price today").map((m) => m.label)).toEqual(["trn2 today $5.37"]);
    const svg = await renderSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Break-even test");
    expect(svg).toContain("trn2 = h100-sxm at $3.44/chip-h");
  });
});
