import { formatCount } from "../../report/format.js";
import { renderTable } from "../../report/table.js";
import { countParameters } from "../../workload/parameters.js";
import { modelPresets } from "../../workload/presets.js";
import { parseCommandArgs } from "../args.js";
import { writeJson } from "../output.js";
import type { CliIO, Command } from "../types.js";

const usage = `Usage: trainplan models [--json]

Lists the model presets that a scenario can name in its "model" field.
Params is the published size; active is the parameters each token passes through
(published figure for MoE models, else computed).

Options:
  --json    print the presets (full model shapes and sources) as JSON
  -h, --help  show this help`;

/** Keeps the table narrow; --json has the full source. */
function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs("models", args, { json: { type: "boolean" } });
  if (values.json) {
    writeJson(
      io,
      modelPresets.map((p) => ({ ...p, computedActiveParams: countParameters(p.model).active })),
    );
    return 0;
  }
  const rows = modelPresets.map((p) => {
    const m = p.model;
    const count = countParameters(m);
    // Published figures first (they are what people quote); the computed count fills the gap.
    const active = p.publishedActiveParamsB != null ? p.publishedActiveParamsB * 1e9 : count.active;
    return [
      p.id,
      formatCount(p.publishedParamsB * 1e9),
      formatCount(active),
      String(m.layers),
      String(m.hidden),
      String(m.seqLen),
      shorten(p.source.title, 60),
    ];
  });
  const columns = [
    { header: "id" },
    { header: "params", align: "right" as const },
    { header: "active", align: "right" as const },
    { header: "layers", align: "right" as const },
    { header: "hidden", align: "right" as const },
    { header: "seq", align: "right" as const },
    { header: "source" },
  ];
  io.stdout.write(renderTable(columns, rows));
  return 0;
}

export const command: Command = {
  name: "models",
  summary: "list model presets (params, layers, hidden size, sequence length, source)",
  usage,
  run,
};
