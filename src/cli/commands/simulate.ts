import { emitInputOf } from "../../emit/emit.js";
import { emitTargetOf, emittedText } from "../../emit/emitText.js";
import { EMIT_TARGETS, type EmitTarget } from "../../emit/types.js";
import { InputError } from "../../errors.js";
import { renderSimulation } from "../../report/simulationReport.js";
import { parseScenario } from "../../scenario/parse.js";
import { simulateResolved } from "../../scenario/simulateScenario.js";
import { parseCommandArgs } from "../args.js";
import { fillOf, fillOption, fillUsage } from "../fillFlag.js";
import { readProfiles } from "../inputs.js";
import { writeJson } from "../output.js";
import { readScenarioFile } from "../scenarioFile.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan simulate FILE [--json]

Predicts memory per chip, step time (with its breakdown), tokens/s and MFU for one training run.
FILE is YAML or JSON in the case format of data/validation/FORMAT.md ("measured" optional), or - to
read it from standard input. "model" may be a preset name or Hugging Face id (see trainplan models),
a model object, a Hugging Face config.json object, or the path of a model file (.json/.yaml, relative
to FILE; a Hugging Face config.json or trainplan's model fields). Layout sizes left out (tp, pp, cp,
ep, vpp) are the fastest layout that fits with the given fields fixed (the plan search, within the
"constraints" block if any); other fields left null are filled with what such a run most likely used.
Each such assumption is listed. A "constraints" block (what plan --scenario and compare --scenario
search within) must hold the plan simulated, or FILE is refused. Exits 1 when the plan does not fit in
memory (the report is still printed).

Example scenario (YAML):
  model: llama3-70b
  hardware: { chip: h100-sxm, count: 64 }
  precision: bf16
  parallelism: { tp: 4, pp: 4, cp: 1, vpp: 5 }
  globalBatch: 128
  microBatch: 1

Options:
  --json            print one JSON object (fits, memory, step, throughput, assumptions)
  --emit TARGET     print the scenario's plan as ${EMIT_TARGETS.join(", ")} arguments or config
                    (a plan the framework cannot express exits 2 with the reason)
  --profiles FILE   performance profiles to use (e.g. from trainplan calibrate --out FILE)
${fillUsage}
  -h, --help  show this help`;

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "simulate",
    args,
    { json: { type: "boolean" }, profiles: { type: "string" }, emit: { type: "string" }, ...fillOption },
    true,
  );
  const profiles = typeof values.profiles === "string" ? await readProfiles(values.profiles) : undefined;
  const fill = fillOf(values["fill-unpublished"]);
  if (positionals.length !== 1) {
    throw new InputError({
      field: "FILE",
      value: positionals.length === 0 ? "(none)" : positionals.join(" "),
      allowed: "exactly one scenario file (YAML or JSON); see trainplan simulate --help",
    });
  }
  const { raw, modelNotes } = await readScenarioFile(positionals[0], io);
  const scenario = parseScenario(raw, "", { searchOmittedLayout: true });
  scenario.assumptions.unshift(...modelNotes);
  const result = simulateResolved(scenario, {
    profiles,
    ...(fill !== undefined ? { unpublishedFill: fill } : {}),
  });
  if (values.emit !== undefined) {
    const target = emitTarget(values.emit, values.json === true);
    const run = {
      globalBatch: scenario.globalBatch,
      layers: scenario.model.layers,
      chip: scenario.chip,
      unit: scenario.parallelism.unit,
      model: scenario.model,
      software: scenario.software,
    };
    io.stdout.write(emittedText(target, emitInputOf(result.parallelism, run)));
    return exitCodeOf(result);
  }
  const measured = scenario.measured?.tokensPerSecondPerChip ?? null;
  if (values.json) {
    const errorPct = measured
      ? (100 * (result.throughput.tokensPerSecondPerChip - measured)) / measured
      : null;
    writeJson(io, {
      id: scenario.id,
      ...result,
      measured: measured ? { tokensPerSecondPerChip: measured, errorPct } : null,
    });
    return exitCodeOf(result);
  }
  io.stdout.write(renderSimulation(result, measured));
  return exitCodeOf(result);
}

/** 1 when the plan does not fit in memory (the report is still printed), as plan exits when none fits. */
function exitCodeOf(result: { fits: boolean }): number {
  return result.fits ? 0 : 1;
}

function emitTarget(value: unknown, json: boolean): EmitTarget {
  const target = emitTargetOf(value);
  if (json) throw new InputError({ field: "--emit", value, allowed: "--emit without --json" });
  return target;
}

export const command: Command = {
  name: "simulate",
  summary: "predict memory, step time and throughput for one scenario",
  usage,
  run,
};
