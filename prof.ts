import { findChip } from "./src/hardware/catalog.js";
import { searchPlans } from "./src/search/searchPlans.js";
import { findModelPreset } from "./src/workload/presets.js";
const req = { model: findModelPreset("deepseek-v3")!.model, chip: findChip("h100-sxm")!, chips: 2048, globalBatch: 4096 };
for (let i = 0; i < 15; i++) searchPlans(req);
