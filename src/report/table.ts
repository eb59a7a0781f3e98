/** Plain-text, Markdown and CSV tables from string cells. Pure: returns strings, prints nothing. */

import { csvRecords } from "./csv.js";

// Part of the library's API (src/index.ts re-exports this module), so it stays reachable from here.
export { csvField } from "./csv.js";

export interface Column {
  header: string;
  align?: "left" | "right";
}

/** Display width; counts code points so "…" and "×" take one column. */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, w - width(s)));
  return align === "right" ? fill + s : s + fill;
}

/** Rows shorter than the header are padded with empty cells; longer ones are cut. */
function normalize(columns: Column[], rows: string[][]): string[][] {
  return rows.map((r) => columns.map((_, i) => r[i] ?? ""));
}

/**
 * An aligned plain-text table: header, a rule of dashes, then rows; columns separated by two
 * spaces, trailing spaces trimmed.
 */
export function renderTable(columns: Column[], rows: string[][]): string {
  const body = normalize(columns, rows);
  const widths = columns.map((c, i) => Math.max(width(c.header), ...body.map((r) => width(r[i]))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i], columns[i].align ?? "left"))
      .join("  ")
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [header, rule, ...body.map(line)].join("\n") + "\n";
}

function escapeMarkdown(cell: string): string {
  return cell.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** A GitHub-flavoured Markdown table; right-aligned columns get `---:`. */
export function renderMarkdownTable(columns: Column[], rows: string[][]): string {
  const body = normalize(columns, rows);
  const line = (cells: string[]) => `| ${cells.map(escapeMarkdown).join(" | ")} |`;
  const rule = `|${columns.map((c) => (c.align === "right" ? " ---: " : " --- ")).join("|")}|`;
  return [line(columns.map((c) => c.header)), rule, ...body.map(line)].join("\n") + "\n";
}

/** CSV with a header record and CRLF line breaks, as RFC 4180 specifies (the writer is csv.ts). */
export function renderCsv(columns: Column[], rows: string[][]): string {
  return csvRecords([columns.map((c) => c.header), ...normalize(columns, rows)]);
}
