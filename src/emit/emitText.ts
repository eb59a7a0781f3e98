import { InputError } from "../errors.js";
import type { Framework } from "../plan/software.js";
import { planLabel } from "../report/planLabel.js";
import { emitPlan } from "./emit.js";
import { EMIT_TARGETS, type EmitInput, type EmitTarget } from "./types.js";

/** The stack each emit target is: what a search for it keeps to (src/plan/stackCapabilities.ts). */
export const EMIT_FRAMEWORK: Record<EmitTarget, Framework> = {
  megatron: "megatron-core",
  "megatron-bridge": "megatron-core",
  torchtitan: "torchtitan",
  neuronx: "neuronx-distributed",
};

/**
 * The emitted plan as the CLI prints it and the web app exports it: `#` comment lines (the plan, the
 * release the mapping was read at, notes; valid in a shell script, TOML and YAML alike) and then the
 * arguments or config; or, for a plan the framework cannot express, the reason.
 */
export function emittedFile(
  target: EmitTarget,
  input: EmitInput,
): { ok: true; text: string } | { ok: false; reason: string } {
  const e = emitPlan(target, input);
  if (!e.ok) return { ok: false, reason: `${planLabel(input.plan)} cannot be: ${e.reason}` };
  const header = [
    `# trainplan: ${planLabel(input.plan)}, global batch ${input.globalBatch}`,
    `# for ${e.version}`,
  ];
  const text = [...header, ...e.notes.map((n) => `# ${n}`), e.text].join("\n");
  // Ends with a newline, as a file or a shell's next prompt wants it.
  return { ok: true, text: text.endsWith("\n") ? text : `${text}\n` };
}

/** emittedFile's text; a plan the framework cannot express is an InputError naming the reason (exit 2). */
export function emittedText(target: EmitTarget, input: EmitInput): string {
  const file = emittedFile(target, input);
  if (file.ok) return file.text;
  throw new InputError({
    field: "--emit",
    value: target,
    allowed: `a plan ${target} can express; ${file.reason}`,
  });
}

/** An --emit value checked against the targets. */
export function emitTargetOf(value: unknown): EmitTarget {
  if (typeof value === "string" && (EMIT_TARGETS as readonly string[]).includes(value))
    return value as EmitTarget;
  throw new InputError({ field: "--emit", value, allowed: `one of ${EMIT_TARGETS.join(", ")}` });
}
