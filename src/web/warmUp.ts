/**
 * What an engine worker does while it waits: one plan search per model preset, each between
 * two yields, so that the JavaScript engine has compiled each model's code paths (MoE routing,
 * multi-head latent attention, sliding windows...) before the user picks that model. Without it the
 * first table of a model not yet seen spent most of its time in the interpreter and in recompiling
 * (DeepSeek-V3's first chip about 500 ms, against about 40 ms once compiled). Each search is one
 * chip at 512 chips, where plans fit and are timed; its plans are thrown away, while the prepared run
 * and its micro-batch costs stay cached for that chip's later searches (src/search/searchRuns.ts).
 */
import { findChip } from "../hardware/catalog.js";
import { workloadDefaults } from "../plan/runDefaults.js";
import { searchPlans } from "../search/searchPlans.js";
import { modelPresets } from "../workload/presets.js";

const WARM_CHIP = "h100-sxm";
const WARM_CHIPS = 512;
let warmed = 0;

/**
 * Warms the presets not yet warmed, one search at a time, while `idle()` holds (a new request stops
 * it; the next idle spell goes on where it stopped).
 */
export async function warmUp(idle: () => boolean, pause: () => Promise<void>): Promise<void> {
  const chip = findChip(WARM_CHIP);
  if (!chip) return;
  while (warmed < modelPresets.length && idle()) {
    const model = modelPresets[warmed++].model;
    try {
      const { seqLen, globalBatch } = workloadDefaults(model, {});
      searchPlans({ model, chip, chips: WARM_CHIPS, seqLen, globalBatch, top: 1 });
    } catch {
      // A preset that cannot be searched at this size warms nothing; the user's request will say why.
    }
    await pause();
  }
}
