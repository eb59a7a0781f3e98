// `npm run bench`: configurations per second and wall time of the standard plan searches.
// Each search runs once cold (as a CLI call would) and then best-of-3 warm, in one process.
import { cpus } from "node:os";
import { findChip } from "../src/hardware/catalog.js";
import { searchPlans } from "../src/search/searchPlans.js";
import { findModelPreset } from "../src/workload/presets.js";

const cases = [
  { model: "llama3-405b", chip: "h100-sxm", chips: 16384, globalBatch: 2048 },
  { model: "deepseek-v3", chip: "h100-sxm", chips: 2048, globalBatch: 4096 },
  { model: "llama3-70b", chip: "trn2", chips: 512, globalBatch: 1024 },
];

console.log(`machine: ${cpus()[0]?.model ?? "unknown"} x ${cpus().length}, node ${process.version}`);
console.log(
  "search                          configs timed  memory-checked  cold s  warm s  timed/s (warm)  checked/s (warm)",
);
for (const c of cases) {
  const req = {
    model: findModelPreset(c.model)!.model,
    chip: findChip(c.chip)!,
    chips: c.chips,
    globalBatch: c.globalBatch,
  };
  const t0 = performance.now();
  const first = searchPlans(req);
  const cold = (performance.now() - t0) / 1000;
  let warm = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    searchPlans(req);
    warm = Math.min(warm, (performance.now() - t) / 1000);
  }
  // `evaluated` counts every configuration examined (memory-checked, one by one or as a group); the
  // timed ones are those that fit.
  const timed = first.feasible;
  const checked = first.evaluated;
  const name = `${c.model} on ${c.chips} ${c.chip}`;
  console.log(
    `${name.padEnd(32)}${String(timed).padStart(13)}${String(checked).padStart(16)}${cold.toFixed(3).padStart(8)}${warm.toFixed(3).padStart(8)}${Math.round(
      timed / warm,
    )
      .toLocaleString("en-US")
      .padStart(16)}${Math.round(checked / warm)
      .toLocaleString("en-US")
      .padStart(18)}`,
  );
}
