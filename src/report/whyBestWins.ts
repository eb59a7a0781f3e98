import type { SimulationResult } from "../engine/result.js";
import { describePlan } from "./simulationReport.js";

/**
 * One line on why the best plan beats the runner-up: the step-time component whose difference
 * accounts for most of the gap (or, on a tie, that nothing separates them).
 */
export function whyBestWins(best: SimulationResult, runnerUp: SimulationResult): string {
  const gap = runnerUp.step.seconds - best.step.seconds;
  const pct = (100 * gap) / runnerUp.step.seconds;
  if (Math.abs(pct) < 0.05) {
    return `the best and the runner-up (${describePlan(runnerUp)}) tie on step time; the best is listed first by search order`;
  }
  let name = "";
  let delta = 0;
  for (const [k, v] of Object.entries(runnerUp.step.breakdown)) {
    const d = v - (best.step.breakdown[k] ?? 0);
    if (d > delta) {
      delta = d;
      name = k;
    }
  }
  return `${pct.toFixed(1)}% faster step than the runner-up (${describePlan(runnerUp)}), mostly from ${name} (${(1000 * delta).toFixed(1)} ms less per step)`;
}
