import type { InputError } from "../errors.js";
import type { UnpublishedFill } from "../plan/unpublishedFill.js";
import { scenarioToInput } from "../scenario/fromScenario.js";
import { parseScenarioList } from "../scenario/parse.js";
import { withSourceInference } from "../scenario/softwareStack.js";
import type { ValidationCase } from "./validate.js";

export interface LoadedCases {
  cases: ValidationCase[];
  /** Cases that could not be read, each with the reason (the rest still run). */
  rejected: { id: string; error: InputError }[];
  /** Cases without a measurement (nothing to compare with). */
  unmeasured: string[];
}

export interface LoadOptions {
  /** How each case's unpublished plan fields are filled (default DEFAULT_UNPUBLISHED_FILL). */
  unpublishedFill?: UnpublishedFill;
}

/** Reads validation cases (the case format of data/validation/FORMAT.md) from a parsed JSON/YAML value. */
export function loadCases(raw: unknown, options: LoadOptions = {}): LoadedCases {
  const out: LoadedCases = { cases: [], rejected: [], unmeasured: [] };
  for (const item of parseScenarioList(raw, { lenient: true })) {
    if (!item.ok) {
      out.rejected.push({ id: item.id, error: item.error });
      continue;
    }
    const s = item.scenario;
    if (!s.measured) {
      out.unmeasured.push(s.id);
      continue;
    }
    const input = withSourceInference(s, scenarioToInput(s));
    if (options.unpublishedFill !== undefined) input.unpublishedFill = options.unpublishedFill;
    out.cases.push({
      id: s.id,
      input,
      measuredTokensPerSecondPerChip: s.measured.tokensPerSecondPerChip,
      ...(s.measured.peakMemoryBytes ? { measuredPeakMemoryBytes: s.measured.peakMemoryBytes } : {}),
      confidence: typeof s.provenance?.confidence === "string" ? s.provenance.confidence : "unknown",
      source: s.source?.title ?? "",
    });
  }
  return out;
}
