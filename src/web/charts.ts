/**
 * Charts as SVG strings: Vega-Lite specs compiled and rendered headless by Vega (no canvas), so the
 * same string is shown on the page and saved by "Export SVG".
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { CapacityResult } from "../cost/capacity.js";
import type { SimulationResult } from "../engine/simulate.js";
import type { Row } from "./engine.js";

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const WIDTH = 420;

/** Days against cost, one point per chip: the cheaper-and-faster corner is bottom-left. */
export function frontierSpec(rows: Row[]): TopLevelSpec {
  const values = rows
    .filter((r) => r.days !== null && r.costUsd !== null)
    .map((r) => ({ chip: r.chip, days: r.days, costM: (r.costUsd ?? 0) / 1e6 }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Time vs cost (one point per chip)",
    width: WIDTH,
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          x: { field: "days", type: "quantitative", title: "days to train", scale: { zero: false } },
          y: { field: "costM", type: "quantitative", title: "cost (USD millions)", scale: { zero: false } },
          color: { field: "chip", type: "nominal", legend: null },
          tooltip: [{ field: "chip" }, { field: "days", format: ".1f" }, { field: "costM", format: ".2f" }],
        },
      },
      {
        mark: { type: "text", dx: 6, align: "left", fontSize: 11 },
        encoding: {
          x: { field: "days", type: "quantitative" },
          y: { field: "costM", type: "quantitative" },
          text: { field: "chip" },
        },
      },
    ],
  };
}

function barSpec(title: string, unit: string, values: { part: string; value: number }[]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: WIDTH - 120,
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "part", type: "nominal", title: null, sort: null },
      x: { field: "value", type: "quantitative", title: unit },
      tooltip: [{ field: "part" }, { field: "value", format: ".3f" }],
    },
  };
}

/** Where one step's time goes (exposed parts of the engine's breakdown). */
export function stepSpec(plan: SimulationResult): TopLevelSpec {
  const values = Object.entries(plan.step.breakdown)
    .filter(([, v]) => v > 0)
    .map(([part, v]) => ({ part, value: v * 1000 }));
  return barSpec(
    `Step time of ${plan.chip} plan (${(plan.step.seconds * 1000).toFixed(0)} ms)`,
    "ms per step",
    values,
  );
}

/** What fills each chip's memory. */
export function memorySpec(plan: SimulationResult): TopLevelSpec {
  const values = Object.entries(plan.memory.breakdown).map(([part, v]) => ({ part, value: v / 2 ** 30 }));
  const cap = (plan.memory.capacityBytes / 2 ** 30).toFixed(0);
  return barSpec(`Memory per ${plan.chip} chip (of ${cap} GiB)`, "GiB per chip", values);
}

/** Tokens bought each year of a capacity deal, coloured by the chip that year buys. */
export function capacitySpec(capacity: CapacityResult): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "What the budget buys each year",
    width: WIDTH - 120,
    data: {
      values: capacity.years.map((y) => ({ year: String(y.year), tokensT: y.tokens / 1e12, chip: y.chipId })),
    },
    mark: "bar",
    encoding: {
      x: { field: "year", type: "ordinal", title: "year" },
      y: { field: "tokensT", type: "quantitative", title: "tokens (trillions)" },
      color: { field: "chip", type: "nominal" },
    },
  };
}
