import { findChip } from "../../src/hardware/catalog.js";
import { searchPlans } from "../../src/search/searchPlans.js";
import { findModelPreset } from "../../src/workload/presets.js";

for (const [model, chip, n, gbs] of [
  ["llama3-405b", "h100-sxm", 16384, 2048],
  ["deepseek-v3", "h100-sxm", 2048, 4096],
  ["llama3-70b", "trn2", 512, 1024],
] as const) {
  const t0 = performance.now();
  const r = searchPlans(
    { model: findModelPreset(model)!.model, chip: findChip(chip)!, chips: n, globalBatch: gbs },
    () => performance.now(),
  );
  const dt = (performance.now() - t0) / 1000;
  console.log(
    model,
    chip,
    n,
    "evaluated",
    r.evaluated,
    "feasible",
    r.feasible,
    "s",
    dt.toFixed(3),
    "cfg/s",
    (r.evaluated / dt).toFixed(0),
    JSON.stringify(r.rejected),
  );
  for (const p of r.plans)
    console.log(
      "  ",
      JSON.stringify(p.parallelism),
      p.throughput.tokensPerSecondPerChip.toFixed(1),
      (p.throughput.mfu * 100).toFixed(1),
      (p.memory.perChipBytes / 2 ** 30).toFixed(1),
    );
}
