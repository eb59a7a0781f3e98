/** Leave-one-source-out errors grouped by source: npx tsx scripts/dev/loso.ts */
import { readFileSync } from "node:fs";
import { loadCases } from "../../src/validation/cases.js";
import { crossValidate } from "../../src/validation/crossValidate.js";
import { measuredPrior } from "../../src/validation/prior.js";

const raw = JSON.parse(readFileSync(new URL("../../data/validation/dev.json", import.meta.url), "utf8"));
const cases = loadCases(raw).cases;
const results = crossValidate(cases, measuredPrior().profile, "source");
const bySource = new Map<string, number[]>();
for (const r of results) {
  const source = cases.find((c) => c.id === r.id)?.source.slice(0, 48) ?? "?";
  bySource.set(source, [...(bySource.get(source) ?? []), Math.abs(r.errorPct)]);
}
for (const [source, errors] of bySource) {
  errors.sort((a, b) => a - b);
  console.log(
    source.padEnd(50),
    String(errors.length).padStart(3),
    "median",
    errors[Math.floor(errors.length / 2)].toFixed(1),
  );
}
