import { InputError } from "../errors.js";
import type { ProfileFile } from "../hardware/profile.js";
import type { UnpublishedFill } from "../plan/unpublishedFill.js";
import { parseScenarioList } from "../scenario/parse.js";
import { simulationInputOf } from "../scenario/simulationInput.js";
import type { ValidationCase } from "./validate.js";

export interface LoadedCases {
  cases: ValidationCase[];
  /** Cases that could not be read, each with the reason (the rest still run). */
  rejected: { id: string; error: InputError }[];
  /** Cases without a measurement (nothing to compare with). */
  unmeasured: string[];
  /** What was filled in each case that leaves layout sizes out, as simulate fills it (stated). */
  filled: { id: string; notes: string[] }[];
}

export interface LoadOptions {
  /** How each case's unpublished plan fields are filled (default DEFAULT_UNPUBLISHED_FILL). */
  unpublishedFill?: UnpublishedFill;
  /** The profiles the layout search of a case that leaves sizes out times its plans with (as simulate's). */
  profiles?: ProfileFile;
}

/** Reads validation cases (the case format of data/validation/FORMAT.md) from a parsed JSON/YAML value. */
export function loadCases(raw: unknown, options: LoadOptions = {}): LoadedCases {
  const out: LoadedCases = { cases: [], rejected: [], unmeasured: [], filled: [] };
  // Layout sizes a case leaves out are filled as simulate fills them (scenario/simulationInput.ts).
  for (const item of parseScenarioList(raw, { lenient: true, searchOmittedLayout: true })) {
    if (!item.ok) {
      out.rejected.push({ id: item.id, error: item.error });
      continue;
    }
    const s = item.scenario;
    if (!s.measured) {
      out.unmeasured.push(s.id);
      continue;
    }
    let read: ReturnType<typeof simulationInputOf>;
    try {
      read = simulationInputOf(s, options);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      out.rejected.push({ id: s.id, error: e });
      continue;
    }
    if (read.filled.length > 0) out.filled.push({ id: s.id, notes: read.filled });
    out.cases.push({
      id: s.id,
      input: read.input,
      measuredTokensPerSecondPerChip: s.measured.tokensPerSecondPerChip,
      ...(s.measured.peakMemoryBytes ? { measuredPeakMemoryBytes: s.measured.peakMemoryBytes } : {}),
      confidence: typeof s.provenance?.confidence === "string" ? s.provenance.confidence : "unknown",
      source: s.source?.title ?? "",
    });
  }
  return out;
}
