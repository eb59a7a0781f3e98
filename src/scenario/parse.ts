import { parseDocument } from "yaml";
import { InputError, inputErrorFromZod, suggest } from "../errors.js";
import { chipNames, findChip } from "../hardware/catalog.js";
import type { Chip } from "../hardware/schema.js";

import { defaultGlobalBatch } from "../workload/batch.js";
import { findModelPreset, modelPresetIds } from "../workload/presets.js";
import type { Model } from "../workload/schema.js";
import { slidingWindowFromNotes } from "../workload/slidingWindow.js";
import { type Scenario, ScenarioSchema } from "./schema.js";

/** A validated scenario whose model is resolved (presets expanded) and whose chip exists. */
export type ResolvedScenarioInput = Omit<Scenario, "model" | "globalBatch"> & {
  model: Model;
  globalBatch: number;
  /** What was assumed or adjusted while reading the scenario (shown with the prediction). */
  assumptions: string[];
  /** Set when `model` was given as a preset name. */
  modelPresetId?: string;
};

// ---------------------------------------------------------------------------------------------
// Text -> raw value

/**
 * Parses scenario text as JSON or YAML: by extension (.json / .yaml / .yml) when a file name is
 * given, otherwise JSON if it starts with `{` or `[`, else YAML. Syntax errors become an
 * InputError naming the file, line and problem.
 */
export function parseScenarioText(text: string, fileName?: string): unknown {
  const name = fileName ?? "input";
  const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  const looksJson = /^\s*[[{]/.test(text);
  const asJson = ext === "json" || (ext !== "yaml" && ext !== "yml" && looksJson);
  if (text.trim() === "") {
    throw new InputError({
      field: name,
      value: "",
      allowed: "a scenario in YAML or JSON; the file is empty",
    });
  }
  return asJson ? parseJson(text, name) : parseYaml(text, name);
}

function parseYaml(text: string, name: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const col = err.linePos?.[0]?.col;
    throw syntaxError(name, "YAML", text, firstLine(err.message), line, col);
  }
  return doc.toJS();
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const problem = firstLine((e as Error).message);
    const pos = /at position (\d+)/.exec(problem);
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(problem);
    let line: number | undefined;
    let col: number | undefined;
    if (lineCol) {
      line = Number(lineCol[1]);
      col = Number(lineCol[2]);
    } else if (pos) {
      const before = text.slice(0, Number(pos[1]));
      line = before.split("\n").length;
      col = Number(pos[1]) - before.lastIndexOf("\n");
    } else {
      // Older/newer V8 messages omit the position: let the YAML parser (a JSON superset) locate it.
      const located = parseDocument(text, { prettyErrors: true }).errors[0]?.linePos?.[0];
      line = located?.line;
      col = located?.col;
    }
    throw syntaxError(
      name,
      "JSON",
      text,
      problem.replace(/\s*(at position \d+|\(line \d+ column \d+\)).*$/, ""),
      line,
      col,
    );
  }
}

function firstLine(msg: string): string {
  return msg
    .split("\n")[0]
    .replace(/ at line \d+, column \d+:?$/, "")
    .trim();
}

function syntaxError(
  name: string,
  lang: string,
  text: string,
  problem: string,
  line?: number,
  col?: number,
): InputError {
  const where = line ? `${name} line ${line}${col ? `, column ${col}` : ""}` : name;
  const lineText = line ? text.split("\n")[line - 1]?.trim() : undefined;
  return new InputError({
    field: where,
    value: lineText ?? "unparseable text",
    allowed: `valid ${lang} is required (${problem.replace(/\.$/, "")})`,
  });
}

// ---------------------------------------------------------------------------------------------
// Raw value -> resolved scenario

/**
 * Validates a raw scenario object (ScenarioSchema), resolves a preset model name, checks the chip
 * exists, and checks that the parallel layout fits the model and the hardware. Throws InputError.
 * `prefix` is prepended to field names (e.g. "cases[3]").
 */
export interface ParseOptions {
  /**
   * Published runs sometimes print a layout that does not multiply out, or a batch that does not
   * divide: a validation case must still be predicted, so lenient parsing derives what it can,
   * states the adjustment, and only rejects what cannot be simulated at all.
   */
  lenient?: boolean;
}

export function parseScenario(raw: unknown, prefix = "", options: ParseOptions = {}): ResolvedScenarioInput {
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, raw, prefix);
  const s = parsed.data;
  const f = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const assumptions: string[] = [];

  const resolved = resolveModel(s.model, f("model"));
  const model = withWindowFromNotes(resolved.model, assumptions);
  const modelPresetId = resolved.modelPresetId;
  const chip = resolveChip(s.hardware.chip, f("hardware.chip"));
  const globalBatch = s.globalBatch ?? assumedGlobalBatch(s, model, chip, assumptions);
  const withBatch = { ...s, globalBatch };
  const dp = guarded(
    options,
    assumptions,
    () => checkLayout(withBatch, model, chip, f),
    () => derivedDp(withBatch, chip),
  );
  guarded(
    options,
    assumptions,
    () => checkMoe(withBatch, model, dp, f),
    () => undefined,
  );
  // Lenient: the engine runs such a case at the bf16 rate and says so (simulate.ts).
  if (!options.lenient) checkPrecision(s.precision, chip, f);
  const recompute = guarded(
    options,
    assumptions,
    () => checkOffload(s.parallelism.recompute, chip, f),
    () => "full" as const,
  );

  const out: ResolvedScenarioInput = {
    ...s,
    model,
    globalBatch,
    assumptions,
    hardware: { ...s.hardware, chip: chip.id },
    parallelism: { ...s.parallelism, dp, recompute },
  };
  if (modelPresetId) out.modelPresetId = modelPresetId;
  return out;
}

/** Activation offloading needs a chip with a coherent link to host memory (hostLink in the catalog). */
function checkOffload(recompute: Scenario["parallelism"]["recompute"], chip: Chip, f: (x: string) => string) {
  if (recompute === "offload" && !chip.hostLink) {
    throw new InputError({
      field: f("parallelism.recompute"),
      value: recompute,
      allowed: `none, selective or full on ${chip.id}, which has no coherent host link to offload activations over`,
    });
  }
  return recompute;
}

/** A model whose notes name a sliding window that its fields do not carry gets it, stated. */
function withWindowFromNotes(model: Model, assumptions: string[]): Model {
  if (model.slidingWindow) return model;
  const window = slidingWindowFromNotes(model.notes);
  if (!window) return model;
  assumptions.push(
    `sliding-window attention read from the model notes: ${window.tokens} tokens on ${window.layers === "all" ? "every layer" : "every other layer"}`,
  );
  return { ...model, slidingWindow: window };
}

/** In lenient mode, a failed check becomes a stated adjustment and the fallback's value is used. */
function guarded<T>(options: ParseOptions, assumptions: string[], check: () => T, fallback: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!options.lenient || !(e instanceof InputError) || /attention heads/.test(e.message)) throw e;
    assumptions.push(`published layout adjusted: ${e.message}`);
    return fallback();
  }
}

/** dp from the chip count when the published layout does not multiply out (at least 1). */
function derivedDp(s: Scenario & { globalBatch: number }, chip: Chip): number {
  const cores =
    s.parallelism.unit === "neuroncore" ? (s.hardware.neuronCoresPerChip ?? chip.neuronCoresPerChip ?? 1) : 1;
  const ranks = s.hardware.count * cores;
  const p = s.parallelism;
  return Math.max(1, Math.round(ranks / (p.tp * p.pp * p.cp)));
}

/** A likely global batch when none was published: 4M tokens (16M from 200B parameters), a multiple of dp x micro-batch. */
function assumedGlobalBatch(s: Scenario, model: Model, chip: Chip, assumptions: string[]): number {
  const base = defaultGlobalBatch(model, model.seqLen);
  const dp = s.parallelism.dp ?? derivedDp({ ...s, globalBatch: 1 }, chip);
  const step = dp * (s.microBatch ?? 1);
  const sequences = Math.max(step, Math.round(base.sequences / step) * step);
  assumptions.push(
    `global batch ${sequences} sequences (not published; ${base.note.replace(/; set --global-batch to change$/, "")}, rounded to a multiple of dp x micro-batch)`,
  );
  return sequences;
}

function resolveModel(model: Scenario["model"], field: string): { model: Model; modelPresetId?: string } {
  if (typeof model !== "string") return { model };
  const preset = findModelPreset(model);
  if (!preset) {
    throw new InputError({
      field,
      value: model,
      allowed: "a model preset name (run `trainplan models` for the list) or a model object",
      suggestion: suggest(model, modelPresetIds()),
    });
  }
  return { model: preset.model, modelPresetId: preset.id };
}

/** Nearest chip ids, matching aliases too ("h100x" -> h100-sxm through its alias "h100"). */
export function suggestChipIds(input: string): string[] {
  const ids = suggest(input, chipNames(), 6).map((name) => findChip(name)?.id ?? name);
  return [...new Set(ids)].slice(0, 3);
}

function resolveChip(id: string, field: string): Chip {
  const chip = findChip(id);
  if (!chip) {
    throw new InputError({
      field,
      value: id,
      allowed: "a chip id from the catalog (run `trainplan chips` for the list)",
      suggestion: suggestChipIds(id),
    });
  }
  return chip;
}

/** Ranks available to the parallel layout: chips, or NeuronCores when unit is "neuroncore". */
function rankCount(s: Scenario, chip: Chip, f: (x: string) => string): { ranks: number; unitWord: string } {
  if (s.parallelism.unit !== "neuroncore") return { ranks: s.hardware.count, unitWord: "chips" };
  const cores = s.hardware.neuronCoresPerChip ?? chip.neuronCoresPerChip;
  if (!cores) {
    throw new InputError({
      field: f("hardware.neuronCoresPerChip"),
      value: s.hardware.neuronCoresPerChip,
      allowed: `a positive integer is required with parallelism.unit "neuroncore" (chip ${chip.id} has no NeuronCore count); or use unit "chip"`,
    });
  }
  return { ranks: s.hardware.count * cores, unitWord: `NeuronCores (${s.hardware.count} chips x ${cores})` };
}

/**
 * Checks the rank layout and returns dp (derived when absent). Megatron-LM requires attention
 * heads to split evenly across tensor-parallel ranks and tp x pp x dp x cp to equal the world
 * size; pipeline stages may hold uneven layer counts but each virtual stage needs a layer.
 */
function checkLayout(
  s: Scenario & { globalBatch: number },
  model: Model,
  chip: Chip,
  f: (x: string) => string,
): number {
  const p = s.parallelism;
  if (model.heads % p.tp !== 0) {
    throw new InputError({
      field: f("parallelism.tp"),
      value: p.tp,
      allowed: `a divisor of the model's ${model.heads} attention heads (tp splits heads evenly), e.g. ${divisors(model.heads).join(", ")}`,
    });
  }
  checkKvHeads(p.tp, model, f);
  const { ranks, unitWord } = rankCount(s, chip, f);
  const tpppcp = p.tp * p.pp * p.cp;
  let dp = p.dp ?? undefined;
  if (dp === undefined) {
    if (ranks % tpppcp !== 0) {
      throw new InputError({
        field: f("hardware.count"),
        value: s.hardware.count,
        allowed: `a count whose ${ranks} ${unitWord} are a multiple of tp x pp x cp = ${tpppcp}, so dp can be derived`,
      });
    }
    dp = ranks / tpppcp;
  } else if (tpppcp * dp !== ranks) {
    throw new InputError({
      field: f("parallelism"),
      value: `tp ${p.tp} x pp ${p.pp} x dp ${dp} x cp ${p.cp} = ${tpppcp * dp}`,
      allowed: `a layout whose tp x pp x dp x cp equals the ${ranks} ${unitWord}; omit dp to derive it`,
    });
  }
  if (model.layers < p.pp * p.vpp) {
    throw new InputError({
      field: f("parallelism.pp"),
      value: `pp ${p.pp} x vpp ${p.vpp} = ${p.pp * p.vpp}`,
      allowed: `at most ${model.layers} stages in pp x vpp, one per layer of the model at most`,
    });
  }
  if (s.microBatch != null && s.globalBatch % (dp * s.microBatch) !== 0) {
    throw new InputError({
      field: f("globalBatch"),
      value: s.globalBatch,
      allowed: `a multiple of dp x microBatch = ${dp} x ${s.microBatch} = ${dp * s.microBatch}`,
    });
  }
  return dp;
}

/**
 * Key-value heads under tensor parallelism. Megatron-LM asserts num_query_groups % tp == 0; NeuronX
 * Distributed (and the engine, evaluate.ts) also run tp above the key-value head count by giving
 * each group of tp / kvHeads ranks a copy of one head (the published trn1 Llama 2 70B run: tp 32 over
 * 8 heads). So tp must divide kvHeads, or be a multiple of it; anything else leaves a rank with part
 * of a head. Multi-head latent attention (model.mla) has no shared key-value heads to split.
 */
function checkKvHeads(tp: number, model: Model, f: (x: string) => string): void {
  if (model.mla) return;
  const kv = model.kvHeads ?? model.heads;
  if (kv % tp === 0 || tp % kv === 0) return;
  const multiples: number[] = [];
  for (let m = 2 * kv; m <= model.heads; m += kv) if (model.heads % m === 0) multiples.push(m);
  throw new InputError({
    field: f("parallelism.tp"),
    value: tp,
    allowed: `a divisor of the model's ${kv} key-value heads (tp splits them evenly; Megatron-LM requires this), or a multiple of ${kv} that replicates them (NeuronX Distributed), e.g. ${[...divisors(kv), ...multiples].slice(0, 8).join(", ")}`,
  });
}

/** fp8 needs an fp8 tensor path; the A100 and the TPUs listed have none (peakTflops.fp8 null). */
function checkPrecision(precision: Scenario["precision"], chip: Chip, f: (x: string) => string): void {
  if (precision !== "fp8" || chip.peakTflops.fp8 != null) return;
  throw new InputError({
    field: f("precision"),
    value: precision,
    allowed: `bf16 or fp16 on ${chip.id}, which has no fp8 tensor path (no fp8 peak in the catalog)`,
  });
}

/**
 * Expert parallelism. With Megatron-Core "MoE parallel folding" (arXiv 2504.14960) the expert
 * layers re-fold the tp x cp x dp ranks, so ep must divide tp x cp x dp (not only dp x cp:
 * published Qwen3-235B recipes run tp 2, dp 16, ep 32), and every rank must hold whole experts.
 */
function checkMoe(
  s: Scenario & { globalBatch: number },
  model: Model,
  dp: number,
  f: (x: string) => string,
): void {
  const { ep, tp, cp } = s.parallelism;
  if (ep === 1) return;
  if (!model.moe) {
    throw new InputError({
      field: f("parallelism.ep"),
      value: ep,
      allowed: "1 for a dense model; expert parallelism needs a mixture-of-experts model (model.moe)",
    });
  }
  const folded = tp * cp * dp;
  if (folded % ep !== 0) {
    throw new InputError({
      field: f("parallelism.ep"),
      value: ep,
      allowed: `a divisor of tp x cp x dp = ${folded} (expert layers re-fold those ranks), e.g. ${divisors(folded).join(", ")}`,
    });
  }
  if (model.moe.experts % ep !== 0) {
    throw new InputError({
      field: f("parallelism.ep"),
      value: ep,
      allowed: `a divisor of the model's ${model.moe.experts} experts, e.g. ${divisors(model.moe.experts).join(", ")}`,
    });
  }
}

/** Up to eight divisors of n, to show valid choices in messages. */
function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n && out.length < 8; d++) if (n % d === 0) out.push(d);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lists (validation files)

export type ScenarioListItem =
  | { ok: true; scenario: ResolvedScenarioInput }
  | { ok: false; id: string; error: InputError };

/**
 * Parses a list of scenarios (a validation file). Each case is checked on its own so one bad
 * case does not hide the others. A non-list input throws.
 */
export function parseScenarioList(raw: unknown, options: ParseOptions = {}): ScenarioListItem[] {
  if (!Array.isArray(raw)) {
    throw new InputError({
      field: "input",
      value: raw,
      allowed: "a list of scenarios (a JSON or YAML array)",
    });
  }
  return raw.map((item, i): ScenarioListItem => {
    const id = caseId(item, i);
    try {
      return { ok: true, scenario: parseScenario(item, `[${i}]`, options) };
    } catch (e) {
      if (e instanceof InputError) return { ok: false, id, error: e };
      throw e;
    }
  });
}

function caseId(item: unknown, i: number): string {
  const id = item && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 ? id : `case ${i}`;
}
