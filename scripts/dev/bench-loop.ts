import { findChip } from "../../src/hardware/catalog.js";
import { searchPlans } from "../../src/search/searchPlans.js";
import { findModelPreset } from "../../src/workload/presets.js";

for (let rep = 0; rep < 3; rep++)
  for (const [model, chip, n, gbs] of [
    ["llama3-405b", "h100-sxm", 16384, 2048],
    ["deepseek-v3", "h100-sxm", 2048, 4096],
    ["llama3-70b", "trn2", 512, 1024],
  ] as const) {
    const t0 = performance.now();
    const r = searchPlans({
      model: findModelPreset(model)!.model,
      chip: findChip(chip)!,
      chips: n,
      globalBatch: gbs,
    });
    const dt = (performance.now() - t0) / 1000;
    const mem = r.rejected["does not fit in memory"] ?? 0;
    console.log(
      rep,
      model,
      n,
      "timed",
      r.evaluated,
      "memchecked",
      r.evaluated + mem,
      "s",
      dt.toFixed(3),
      "timed/s",
      (r.evaluated / dt).toFixed(0),
      "all/s",
      ((r.evaluated + mem) / dt).toFixed(0),
      r.plans[0]?.throughput.tokensPerSecondPerChip.toFixed(0),
    );
  }
