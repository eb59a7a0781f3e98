/**
 * For every MoE case of the dev set: the measured and predicted step, and the gap between them per
 * layer per micro-batch on the critical path (ms). A gap that stays put as micro-batches grow points
 * at a fixed per-layer cost (host overhead, synchronisation) rather than at per-token physics.
 * Usage: npx tsx scripts/dev/moe-gap.ts
 */
import { readFileSync } from "node:fs";
import { simulate } from "../../src/engine/simulate.js";
import { loadCases } from "../../src/validation/cases.js";

const raw = JSON.parse(readFileSync(new URL("../../data/validation/dev.json", import.meta.url), "utf8"));
for (const c of loadCases(raw).cases) {
  const moe = c.input.model.moe;
  if (!moe) continue;
  const r = simulate(c.input);
  const p = r.parallelism;
  const seq = c.input.seqLen ?? c.input.model.seqLen;
  const measuredStep = (c.input.globalBatch * seq) / (c.measuredTokensPerSecondPerChip * c.input.chipCount);
  const microBatches = c.input.globalBatch / (p.dp * p.microBatch);
  const slots = (microBatches + (p.pp - 1) / p.vpp) * (c.input.model.layers / p.pp);
  const gapMs = ((measuredStep - r.step.seconds) / slots) * 1000;
  console.log(
    c.id.slice(0, 52).padEnd(52),
    c.input.chip.id.padEnd(9),
    `mb${p.microBatch} ep${p.ep} local experts ${moe.experts / p.ep}`.padEnd(26),
    `measured ${measuredStep.toFixed(2)} s, predicted ${r.step.seconds.toFixed(2)} s,`,
    `gap ${gapMs.toFixed(2)} ms per layer-micro-batch`,
  );
}
