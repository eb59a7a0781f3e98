import { type BreakEvenOutcome, type BreakEvenRow, usdPerMillionTokensAt } from "../compare/breakEven.js";
import type { ChartMeta, ChartSpec } from "./charts.js";

/**
 * The break-even chart (Vega-Lite, rendered by charts.ts renderSvg): cost per million tokens against
 * price per chip-hour. Each chip solved for is a line through the origin (its cost at any price);
 * each chip it is matched against is a level line at its cost today; the crossing is the break-even,
 * marked and labelled, and each chip's price today is a point on its line.
 */

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** How far right the price axis runs, past the largest price drawn. */
const HEADROOM = 1.4;

type Side = Pick<BreakEvenRow, "chip" | "chipHours" | "usdPerChipHour">;

interface LinePoint {
  series: string;
  usdPerChipHour: number;
  usdPerMillionTokens: number;
}

interface Mark {
  label: string;
  kind: string;
  usdPerChipHour: number;
  usdPerMillionTokens: number;
}

const money = (x: number) => `$${x.toFixed(2)}`;

/** The chart for the pairs that have a break-even price (those whose reference chip is priced). */
export function breakEvenChartSpec(
  rows: readonly Side[],
  outcomes: readonly BreakEvenOutcome[],
  tokens: number,
  meta: ChartMeta = {},
): ChartSpec {
  const priced = outcomes.filter(
    (o): o is Extract<BreakEvenOutcome, { kind: "break-even" }> =>
      o.kind === "break-even" && o.usdPerChipHour !== null,
  );
  const side = (chip: string) => rows.find((r) => r.chip === chip) as Side;
  // A break-even outcome exists only for rows with a plan, so their chip-hours are known.
  const perMTok = (s: Side, price: number) =>
    usdPerMillionTokensAt({ chipHours: s.chipHours ?? 0 }, tokens, price);
  const prices = priced.flatMap((o) => [
    o.usdPerChipHour as number,
    side(o.chip).usdPerChipHour ?? 0,
    side(o.against).usdPerChipHour ?? 0,
  ]);
  const xMax = Math.max(1, ...prices) * HEADROOM;
  const lines: LinePoint[] = [];
  const marks: Mark[] = [];
  const drawn = new Set<string>();
  for (const o of priced) {
    const a = side(o.chip);
    const b = side(o.against);
    const level = perMTok(b, b.usdPerChipHour as number);
    if (!drawn.has(a.chip)) {
      drawn.add(a.chip);
      const series = `${a.chip} at any price`;
      for (const x of [0, xMax]) {
        lines.push({ series, usdPerChipHour: x, usdPerMillionTokens: perMTok(a, x) });
      }
      if (a.usdPerChipHour !== null) {
        marks.push({
          label: `${a.chip} today ${money(a.usdPerChipHour)}`,
          kind: "price today",
          usdPerChipHour: a.usdPerChipHour,
          usdPerMillionTokens: perMTok(a, a.usdPerChipHour),
        });
      }
    }
    const levelSeries = `${b.chip} at ${money(b.usdPerChipHour as number)} today`;
    if (!drawn.has(levelSeries)) {
      drawn.add(levelSeries);
      for (const x of [0, xMax])
        lines.push({ series: levelSeries, usdPerChipHour: x, usdPerMillionTokens: level });
    }
    marks.push({
      label: `${o.chip} = ${o.against} at ${money(o.usdPerChipHour as number)}/chip-h`,
      kind: "break-even",
      usdPerChipHour: o.usdPerChipHour as number,
      usdPerMillionTokens: level,
    });
  }
  const x = {
    field: "usdPerChipHour",
    type: "quantitative",
    title: "price per chip-hour (USD)",
    axis: { format: "$.2f" },
  };
  const y = {
    field: "usdPerMillionTokens",
    type: "quantitative",
    title: "cost per million tokens (USD)",
    axis: { format: "$.2f" },
  };
  return {
    $schema: SCHEMA,
    title: { text: meta.title ?? "Break-even price per chip-hour", subtitle: meta.source, anchor: "start" },
    width: 640,
    height: 360,
    layer: [
      {
        data: { values: lines },
        mark: { type: "line" },
        encoding: {
          x,
          y,
          color: { field: "series", type: "nominal", title: "cost of", legend: { labelLimit: 320 } },
          detail: { field: "series" },
        },
      },
      {
        data: { values: marks },
        mark: { type: "point", filled: true, size: 120 },
        encoding: {
          x,
          y,
          shape: {
            field: "kind",
            type: "nominal",
            title: "marked",
            scale: { domain: ["break-even", "price today"], range: ["diamond", "circle"] },
          },
          color: { value: "black" },
          tooltip: [{ field: "label" }, { field: "usdPerMillionTokens", format: "$.2f" }],
        },
      },
      {
        data: { values: marks },
        mark: { type: "text", align: "left", dx: 8, dy: -8, fontSize: 11 },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  };
}
