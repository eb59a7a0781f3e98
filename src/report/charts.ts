/**
 * Chart specs (Vega-Lite) built by pure functions, so the CLI and the web app draw the same charts,
 * and renderSvg() to turn one into a self-contained SVG in Node (vega's headless View, no canvas).
 */

/** A Vega-Lite spec as plain JSON (kept loose so this file does not depend on vega-lite's types). */
export type ChartSpec = Record<string, unknown>;

export interface ChartMeta {
  title?: string;
  /** Source line, shown under the title: where the figures come from. */
  source?: string;
}

/** One chip count tried for a chip, as compare reports it. */
export interface FrontierCandidate {
  chips: number;
  days: number | null;
  costUsd: number | null;
}

/** A compare row: the chosen size per chip, with the other sizes tried. */
export interface FrontierRow {
  chip: string;
  chips: number | null;
  days: number | null;
  costUsd: number | null;
  candidates?: readonly FrontierCandidate[];
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
const WIDTH = 640;
const HEIGHT = 360;

function title(text: string, source?: string): ChartSpec {
  return source ? { text, subtitle: source, anchor: "start" } : { text, anchor: "start" };
}

function finite(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x) && x > 0;
}

/**
 * Time versus cost: every size tried per chip as a faint line, the chosen size as a large point,
 * frontier rows as filled diamonds. Both axes are logarithmic (sizes double).
 */
export function frontierChartSpec(
  rows: readonly FrontierRow[],
  frontier: readonly string[] = [],
  meta: ChartMeta = {},
): ChartSpec {
  const tried = rows.flatMap((r) =>
    (r.candidates ?? [])
      .filter((c) => finite(c.days) && finite(c.costUsd))
      .map((c) => ({ chip: r.chip, chips: c.chips, days: c.days, costUsd: c.costUsd })),
  );
  const picked = rows
    .filter((r) => finite(r.days) && finite(r.costUsd))
    .map((r) => ({
      chip: r.chip,
      chips: r.chips,
      days: r.days,
      costUsd: r.costUsd,
      onFrontier: frontier.includes(r.chip) ? "on frontier" : "chosen size",
    }));
  const x = { field: "days", type: "quantitative", title: "time to train (days)", scale: { type: "log" } };
  const y = {
    field: "costUsd",
    type: "quantitative",
    title: "cost (USD)",
    scale: { type: "log" },
    axis: { format: "$.2s" },
  };
  // Chips are named by colour and legend (and the tooltip), not by text beside each point: points of
  // similar chips sit close together and their labels overlapped. 20 colours: the catalog has 15 chips.
  const color = { field: "chip", type: "nominal", title: "chip", scale: { scheme: "tableau20" } };
  return {
    $schema: SCHEMA,
    title: title(meta.title ?? "Time to train versus cost", meta.source),
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: tried },
        mark: { type: "line", point: true, opacity: 0.35 },
        encoding: { x, y, color, order: { field: "chips", type: "quantitative" } },
      },
      {
        data: { values: picked },
        mark: { type: "point", filled: true, size: 160 },
        encoding: {
          x,
          y,
          color,
          shape: {
            field: "onFrontier",
            type: "nominal",
            title: "size",
            scale: { domain: ["chosen size", "on frontier"], range: ["circle", "diamond"] },
          },
          tooltip: [
            { field: "chip" },
            { field: "chips" },
            { field: "days", format: ".1f" },
            { field: "costUsd", format: "$,.0f" },
          ],
        },
      },
    ],
  };
}

/** Hours of every 1,000 wall-clock hours, as goodput.ts reports them. */
export interface BreakdownRow {
  chip: string;
  costUsd: number | null;
  goodputDetail: {
    hoursPer1000: { useful: number; checkpointing: number; rework: number; restart: number };
  } | null;
}

const ACTIVITIES = ["useful", "checkpointing", "rework", "restart"] as const;

/** Where the money goes: each chip's cost split into useful training, checkpoint writes, rework and restarts. */
export function costBreakdownChartSpec(rows: readonly BreakdownRow[], meta: ChartMeta = {}): ChartSpec {
  const values = rows.flatMap((r) => {
    const h = r.goodputDetail?.hoursPer1000;
    if (!finite(r.costUsd) || !h) return [];
    const cost = r.costUsd;
    return ACTIVITIES.map((a, i) => ({ chip: r.chip, activity: a, order: i, costUsd: (cost * h[a]) / 1000 }));
  });
  return {
    $schema: SCHEMA,
    title: title(meta.title ?? "Cost breakdown by activity", meta.source),
    width: WIDTH,
    height: { step: 28 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: {
        field: "chip",
        type: "nominal",
        title: "chip",
        sort: { field: "costUsd", op: "sum", order: "ascending" },
      },
      x: {
        field: "costUsd",
        type: "quantitative",
        title: "cost (USD)",
        stack: "zero",
        axis: { format: "$.2s" },
      },
      color: {
        field: "activity",
        type: "nominal",
        title: "wall-clock time spent on",
        scale: { domain: [...ACTIVITIES], range: ["#4c78a8", "#f58518", "#e45756", "#b279a2"] },
      },
      order: { field: "order", type: "quantitative" },
      tooltip: [{ field: "chip" }, { field: "activity" }, { field: "costUsd", format: "$,.0f" }],
    },
  };
}

/** One year of a capacity plan (capacity.ts CapacityYear). */
export interface FleetYear {
  year: number;
  chipId: string;
  sustainedChips: number;
  chipHours: number;
  budgetUsd: number;
}

/** The fleet a budget sustains each year, coloured by the generation bought. */
export function fleetChartSpec(years: readonly FleetYear[], meta: ChartMeta = {}): ChartSpec {
  const values = years.map((y) => ({ ...y, year: String(y.year) }));
  return {
    $schema: SCHEMA,
    title: title(meta.title ?? "Fleet sustained by the budget, per year", meta.source),
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x: { field: "year", type: "ordinal", title: "year" },
          y: {
            field: "sustainedChips",
            type: "quantitative",
            title: "chips held all year (chip-hours / 8,760)",
          },
          color: { field: "chipId", type: "nominal", title: "chip bought" },
          tooltip: [
            { field: "year" },
            { field: "chipId" },
            { field: "sustainedChips", format: ",.0f" },
            { field: "chipHours", format: ",.3s" },
            { field: "budgetUsd", format: "$,.3s" },
          ],
        },
      },
      {
        mark: { type: "text", dy: -6, fontSize: 11 },
        encoding: {
          x: { field: "year", type: "ordinal" },
          y: { field: "sustainedChips", type: "quantitative" },
          text: { field: "sustainedChips", type: "quantitative", format: ",.0f" },
        },
      },
    ],
  };
}

/** The parts of a simulated plan the breakdown charts read (engine/simulate.ts SimulationResult). */
export interface BreakdownPlan {
  chip: string;
  chips: number;
  step: { seconds: number; breakdown: Readonly<Record<string, number>> };
  memory: { perChipBytes: number; capacityBytes: number; breakdown: Readonly<Record<string, number>> };
}

const GIB = 2 ** 30;

/** Horizontal bars in the order given (the engine's own order: compute first, then exposed communication). */
function partsBarSpec(
  heading: string,
  unit: string,
  values: { part: string; value: number }[],
  meta: ChartMeta,
): ChartSpec {
  return {
    $schema: SCHEMA,
    title: title(meta.title ?? heading, meta.source),
    width: WIDTH,
    height: { step: 24 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "part", type: "nominal", title: null, sort: null },
      x: { field: "value", type: "quantitative", title: unit },
      tooltip: [{ field: "part" }, { field: "value", format: ",.3f" }],
    },
  };
}

/** Where one training step's time goes: the exposed (not overlapped) parts of the step-time model, in ms. */
export function stepBreakdownChartSpec(plan: BreakdownPlan, meta: ChartMeta = {}): ChartSpec {
  const values = Object.entries(plan.step.breakdown)
    .filter(([, s]) => Number.isFinite(s) && s > 0)
    .map(([part, s]) => ({ part, value: s * 1000 }));
  const heading = `Step time on ${plan.chips} × ${plan.chip}: ${(plan.step.seconds * 1000).toFixed(0)} ms`;
  return partsBarSpec(heading, "ms per step (exposed)", values, meta);
}

/** What fills each chip's memory, in GiB, against the chip's capacity. */
export function memoryBreakdownChartSpec(plan: BreakdownPlan, meta: ChartMeta = {}): ChartSpec {
  const values = Object.entries(plan.memory.breakdown)
    .filter(([, b]) => Number.isFinite(b) && b >= 0)
    .map(([part, b]) => ({ part, value: b / GIB }));
  const used = (plan.memory.perChipBytes / GIB).toFixed(1);
  const cap = (plan.memory.capacityBytes / GIB).toFixed(0);
  const heading = `Memory per ${plan.chip} chip: ${used} of ${cap} GiB`;
  return partsBarSpec(heading, "GiB per chip", values, meta);
}

/**
 * Renders a Vega-Lite spec to SVG text with vega's headless View (renderer "none"); nothing is
 * fetched, since every spec above carries its data inline. vega is loaded lazily so importing the
 * spec builders stays cheap.
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  // biome-ignore lint/suspicious/noExplicitAny: the spec is plain JSON built above
  const compiled = vegaLite.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
