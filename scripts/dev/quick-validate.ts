import { readFileSync } from "node:fs";
import { scenarioToInput } from "../../src/engine/fromScenario.js";
import { simulate } from "../../src/engine/simulate.js";
import { parseScenarioList } from "../../src/scenario/parse.js";

const raw = JSON.parse(readFileSync(process.argv[2] ?? "data/validation/dev.json", "utf8"));
const items = parseScenarioList(raw);
const errs: number[] = [];
for (const it of items) {
  if (!it.ok) {
    console.log("BAD", it.id, it.error.message);
    continue;
  }
  const s = it.scenario;
  const r = simulate(scenarioToInput(s));
  const meas = s.measured!.tokensPerSecondPerChip;
  const pred = r.throughput.tokensPerSecondPerChip;
  const e = (pred - meas) / meas;
  errs.push(Math.abs(e));
  const bd = Object.entries(r.step.breakdown)
    .filter(([, v]) => v / r.step.seconds > 0.03)
    .map(([k, v]) => `${k.replace(/^(compute|comm)\./, "")}=${((100 * v) / r.step.seconds).toFixed(0)}`)
    .join(" ");
  console.log(
    `${(100 * e).toFixed(1).padStart(7)}% ${s.id.padEnd(60)} fit=${r.fits ? "y" : "N"} mem=${(r.memory.perChipBytes / 2 ** 30).toFixed(0)}G mfu=${(100 * r.throughput.mfu).toFixed(0)} ${r.parallelism.recompute} | ${bd}`,
  );
}
errs.sort((a, b) => a - b);
console.log(
  "median",
  (100 * errs[Math.floor(errs.length / 2)]).toFixed(1),
  "worst",
  (100 * errs[errs.length - 1]).toFixed(1),
);
