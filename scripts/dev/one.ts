/**
 * One run from the command line, no scenario file: the resolved plan, memory and step-time breakdowns
 * and the assumptions on three lines, to compare a few layouts by hand. The parallelism JSON may also
 * carry precision and microBatch.
 * Usage: npx tsx scripts/dev/one.ts MODEL CHIP COUNT GLOBAL_BATCH PARALLELISM_JSON
 *   e.g. npx tsx scripts/dev/one.ts llama3-70b h100-sxm 64 128 '{"tp":4,"pp":8}'
 */
import { simulate } from "../../src/engine/simulate.js";
import { findChip } from "../../src/hardware/catalog.js";
import { findModelPreset } from "../../src/workload/presets.js";

const [model, chip, n, gbs, par] = process.argv.slice(2);
if (par === undefined) {
  console.error("usage: npx tsx scripts/dev/one.ts MODEL CHIP COUNT GLOBAL_BATCH PARALLELISM_JSON");
  process.exit(1);
}
const p = JSON.parse(par);
const r = simulate({
  model: findModelPreset(model)!.model,
  chip: findChip(chip)!,
  chipCount: +n,
  precision: p.precision ?? "bf16",
  parallelism: p,
  globalBatch: +gbs,
  microBatch: p.microBatch ?? 1,
});
const g = (x: number) => (x / 2 ** 30).toFixed(1);
console.log(
  JSON.stringify(r.parallelism),
  "fits",
  r.fits,
  "mem",
  g(r.memory.perChipBytes),
  Object.entries(r.memory.breakdown)
    .map(([k, v]) => `${k}=${g(v)}`)
    .join(" "),
);
console.log(
  "step",
  r.step.seconds.toFixed(2),
  "tps/chip",
  r.throughput.tokensPerSecondPerChip.toFixed(1),
  "mfu",
  (100 * r.throughput.mfu).toFixed(1),
  Object.entries(r.step.breakdown)
    .map(([k, v]) => `${k}=${v.toFixed(2)}`)
    .join(" "),
);
console.log(r.assumptions.join("; "));
