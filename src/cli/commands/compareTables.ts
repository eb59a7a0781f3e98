import type { CompareResult, CompareRow } from "../../compare/compareChips.js";
import { rowBand } from "../../compare/rowBand.js";
import { formatCount, formatNumber, formatPercent, formatUsd } from "../../report/format.js";
import { planLabel } from "../../report/planLabel.js";
import { borrowedProfileNote } from "../../report/profileNote.js";
import { type Column, renderCsv, renderMarkdownTable, renderTable } from "../../report/table.js";
import { describePrice } from "../output.js";

/** How `trainplan compare` prints as text: a table (the default), Markdown or CSV. */
export type TextFormat = "table" | "markdown" | "csv";

/** The comparison as CSV, or as a Markdown or plain table followed by its notes. */
export function renderComparison(result: CompareResult, format: TextFormat): string {
  if (format === "csv") {
    return renderCsv(
      CSV_COLUMNS,
      result.rows.map((r) => csvCells(r, result.frontier)),
    );
  }
  const rows = result.rows.map((r) => cells(r, result.frontier));
  return format === "markdown"
    ? renderMarkdownTable(COLUMNS, rows) + notes(result, true)
    : renderTable(COLUMNS, rows) + notes(result, false);
}

function planText(r: CompareRow): string {
  return r.plan ? planLabel(r.plan.parallelism) : "";
}

/** Hours of every 1,000 wall-clock hours lost to checkpoint writes, rework after failures and restarts. */
function hoursLost(r: CompareRow): string {
  const h = r.goodputDetail?.hoursPer1000;
  if (!h) return "-";
  return [h.checkpointing, h.rework, h.restart].map((x) => formatNumber(x, 1)).join("/");
}

const COLUMNS: Column[] = [
  { header: "chip" },
  { header: "instance" },
  { header: "chips", align: "right" },
  { header: "days", align: "right" },
  { header: "cost (USD)", align: "right" },
  { header: "$/chip-h", align: "right" },
  { header: "$/M tokens", align: "right" },
  { header: "energy (MWh)", align: "right" },
  { header: "tCO2e", align: "right" },
  { header: "goodput", align: "right" },
  { header: "lost h/1000: ckpt/rework/restart", align: "right" },
  { header: "MFU (bf16 peak)", align: "right" },
  { header: "plan" },
  { header: "why this size" },
];

/** "116 (98-131)": a figure with its 80% error band. */
function withBand(text: string, band: [number, number] | undefined, format: (x: number) => string): string {
  return band ? `${text} (${format(band[0])}-${format(band[1])})` : text;
}

function cells(r: CompareRow, frontier: readonly string[]): string[] {
  const na = (s: string) => (s === "n/a" && r.chips !== null ? "needs --price" : s);
  return [
    `${r.chip}${frontier.includes(r.chip) ? " *" : ""}`,
    (r.instance ?? "-").replace(/^aws:/, ""),
    r.chips === null ? "-" : formatCount(r.chips),
    withBand(formatNumber(r.days, 1), rowBand(r)?.days, (x) => formatNumber(x, 0)),
    na(withBand(formatUsd(r.costUsd), rowBand(r)?.costUsd ?? undefined, formatUsd)),
    na(formatNumber(r.usdPerChipHour, 2)),
    na(formatNumber(r.usdPerMillionTokens, 2)),
    formatCount(r.energyMWh),
    formatCount(r.tCO2e),
    formatPercent(r.goodput),
    hoursLost(r),
    formatPercent(r.plan?.throughput.mfu ?? null),
    planText(r),
    r.reason,
  ];
}

/** The CSV splits the lost hours into a column each and says whether the chip is on the frontier. */
const CSV_COLUMNS: Column[] = [
  ...COLUMNS.slice(0, 10),
  { header: "lost h/1000 checkpointing" },
  { header: "lost h/1000 rework" },
  { header: "lost h/1000 restart" },
  ...COLUMNS.slice(11),
  { header: "frontier" },
];

function csvCells(r: CompareRow, frontier: readonly string[]): string[] {
  const n = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(x));
  return [
    r.chip,
    r.instance ?? "",
    n(r.chips),
    n(r.days),
    n(r.costUsd),
    n(r.usdPerChipHour),
    n(r.usdPerMillionTokens),
    n(r.energyMWh),
    n(r.tCO2e),
    n(r.goodput),
    n(r.goodputDetail?.hoursPer1000.checkpointing),
    n(r.goodputDetail?.hoursPer1000.rework),
    n(r.goodputDetail?.hoursPer1000.restart),
    n(r.plan?.throughput.mfu),
    planText(r),
    r.reason,
    frontier.includes(r.chip) ? "yes" : "no",
  ];
}

/** The flags that change what the comparison assumed by default. */
const DEFAULT_FLAGS = { globalBatch: "--global-batch SEQS", precision: "--precision auto|fp8" } as const;

function changeHint(result: CompareResult, bullet: string): string[] {
  if (result.defaulted.length === 0) return [];
  return [`${bullet}to change the defaults: ${result.defaulted.map((d) => DEFAULT_FLAGS[d]).join(", ")}`];
}

/** The chips whose predictions use another chip's fitted profile (or the default one), by their plan's profile. */
function profileNotes(result: CompareResult): string[] {
  return result.rows.flatMap((r) => {
    const note = r.plan ? borrowedProfileNote(r.chip, r.plan.profileFrom, r.plan.profileBasis) : null;
    return note ? [`performance profile: ${note}`] : [];
  });
}

function notes(result: CompareResult, markdown: boolean): string {
  const bullet = markdown ? "- " : "  ";
  const lines = [
    "",
    `${result.model}, ${formatCount(result.tokens)} tokens, sequence ${result.seqLen}, global batch ${result.globalBatch} sequences.`,
    "* = on the time-versus-cost frontier (no other chip is both faster and cheaper).",
    "lost h/1000: of every 1,000 hours, those spent writing checkpoints, redoing work lost at failures, and restarting.",
    "(a-b) after days and cost: the 80% error band, where runs of the same class (dense or MoE; chip fitted on its own runs or not) measured against trainplan's prediction when their source was left out of the fit; where such runs came out slower than predicted, the band lies above the figure (docs/model.md).",
    "",
    "Prices:",
    ...result.rows.map((r) => bullet + describePrice(r.chip, r.priceSource)),
    "",
    "Assumptions:",
    ...result.assumptions.map((a) => bullet + a),
    ...profileNotes(result).map((a) => bullet + a),
    ...changeHint(result, bullet),
  ];
  return `${lines.join("\n")}\n`;
}
