import type { ErrorSummary } from "../validation/validate.js";
import { formatNumber } from "./format.js";
import { type Column, renderTable } from "./table.js";

/** A table of error summaries (validate, calibrate), optionally beside the naive baseline's. */
export function renderErrorSummaries(
  rows: { name: string; engine: ErrorSummary; naive?: ErrorSummary }[],
): string {
  const withNaive = rows.some((r) => r.naive);
  const columns: Column[] = [
    { header: "" },
    { header: "cases", align: "right" },
    { header: "median |error|", align: "right" },
    { header: "worst |error|", align: "right" },
    { header: "within 10%", align: "right" },
  ];
  if (withNaive)
    columns.push({ header: "naive median", align: "right" }, { header: "naive worst", align: "right" });
  const pct = (x: number, d = 1) => `${formatNumber(x, d)}%`;
  return renderTable(
    columns,
    rows.map(({ name, engine: s, naive: b }) => {
      const cells = [
        name,
        String(s.cases),
        pct(s.medianAbsErrorPct),
        pct(s.worstAbsErrorPct),
        pct(100 * s.within10Pct, 0),
      ];
      if (withNaive) cells.push(b ? pct(b.medianAbsErrorPct) : "", b ? pct(b.worstAbsErrorPct) : "");
      return cells;
    }),
  );
}
