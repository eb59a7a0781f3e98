/**
 * CSV, one writer for the CLI's `compare --format csv` and the web page's Export CSV. Quoting is
 * RFC 4180's: a field holding a comma, quote, CR or LF is quoted, with embedded quotes doubled.
 * Pure: returns strings, prints nothing.
 */

/** A cell as callers hold it; a missing value (null or undefined) is an empty field. */
export type CsvValue = string | number | boolean | null | undefined;

type LineBreak = "\r\n" | "\n";

/** One field, quoted where RFC 4180 requires it. */
export function csvField(cell: CsvValue): string {
  const s = cell === null || cell === undefined ? "" : String(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Records joined by `lineBreak`, the last one ended too. RFC 4180 says CRLF, which the CLI writes;
 * the web export has always written LF and keeps it, so its files stay byte for byte the same.
 */
export function csvRecords(records: readonly (readonly CsvValue[])[], lineBreak: LineBreak = "\r\n"): string {
  return records.map((r) => r.map(csvField).join(",")).join(lineBreak) + lineBreak;
}
