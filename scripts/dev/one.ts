import { simulate } from "../../src/engine/simulate.js";
import { findChip } from "../../src/hardware/catalog.js";
import { findModelPreset } from "../../src/workload/presets.js";

const [model, chip, n, gbs, par] = process.argv.slice(2);
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
