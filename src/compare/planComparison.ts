import { InputError, inputErrorFromZod } from "../errors.js";
import { instances as catalogInstances } from "../hardware/catalog.js";
import { defaultComparisonChips } from "../hardware/profiles.js";
import type { Chip } from "../hardware/schema.js";
import { MAX_CHIPS, MAX_GLOBAL_BATCH, MAX_SEQ_LEN } from "../plan/limits.js";
import { RUN_DEFAULTS, workloadDefaults } from "../plan/runDefaults.js";
import { DEFAULT_TRAINIUM_FRAMEWORK, isTrainium } from "../plan/stackCapabilities.js";
import { constraintsText } from "../report/constraintsText.js";
import type { PlanSearchRequest } from "../search/types.js";
import { ModelSchema } from "../workload/schema.js";
import { candidateChipCounts } from "./chipCounts.js";
import { trainingInstance } from "./economics.js";
import { DEFAULT_MAX_DAYS } from "./pickCount.js";
import type { CompareInput, DefaultedInput } from "./types.js";

/** The searches of one chip: its candidate counts, as indices into ComparisonPlan.searches. */
export interface ChipSearches {
  chip: Chip;
  counts: number[];
  /** searches[first + i] is the search at counts[i]. */
  first: number;
}

/**
 * Everything a comparison will search, planned once as data: the CLI's worker threads, the web app's
 * worker pool and the library all run `searches` (in any order, on any thread) and hand the results
 * back by index to compareFromSearches.
 */
export interface ComparisonPlan {
  input: CompareInput;
  seqLen: number;
  globalBatch: number;
  assumptions: string[];
  /** The inputs left unsaid and filled with a default (stated among the assumptions). */
  defaulted: DefaultedInput[];
  /** One plan search per chip and candidate count, chip by chip. */
  searches: PlanSearchRequest[];
  perChip: ChipSearches[];
}

function checkInput(input: CompareInput): void {
  const positive = (field: string, v: number | undefined) => {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) {
      throw new InputError({ field, value: v, allowed: "a number > 0" });
    }
  };
  positive("tokens", input.tokens);
  positive("deadlineDays", input.deadlineDays);
  positive("budgetUsd", input.budgetUsd);
  positive("maxDays", input.maxDays);
  for (const [field, v, max] of [
    ["seqLen", input.seqLen, MAX_SEQ_LEN],
    ["globalBatch", input.globalBatch, MAX_GLOBAL_BATCH],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max)) {
      throw new InputError({
        field,
        value: v,
        allowed: `a whole number from 1 to ${max.toLocaleString("en-US")}`,
      });
    }
  }
  for (const n of input.chipCounts === "auto" ? [] : (input.chipCounts ?? [])) {
    if (n > MAX_CHIPS) {
      throw new InputError({
        field: "chipCounts",
        value: n,
        allowed: `chip counts of at most ${MAX_CHIPS.toLocaleString("en-US")} (2^20), as for the plan search`,
      });
    }
  }
  if (input.chips !== undefined && input.chips.length === 0) {
    throw new InputError({ field: "chips", value: [], allowed: "at least one chip" });
  }
  const model = ModelSchema.safeParse(input.model);
  if (!model.success) throw inputErrorFromZod(model.error, input.model, "model", ModelSchema);
}

/** Checks a comparison's input, fills its defaults (each stated) and lists every search it needs. */
export function planComparison(input: CompareInput): ComparisonPlan {
  checkInput(input);
  // Each chip once: a chip listed twice is one row, not two searches of the same thing.
  const chipList = [...new Map((input.chips ?? defaultComparisonChips()).map((c) => [c.id, c])).values()];
  const { seqLen, globalBatch, batchDefault } = workloadDefaults(input.model, input);
  const assumptions: string[] = [];
  const defaulted: DefaultedInput[] = [];
  if (batchDefault) {
    assumptions.push(batchDefault.note);
    defaulted.push("globalBatch");
  }
  const precision = input.precision ?? RUN_DEFAULTS.precision;
  if (input.precision === undefined) {
    assumptions.push(
      "precision bf16 (what published large runs used); fp8 where the chip has it is not tried",
    );
    defaulted.push("precision");
  }
  const rule =
    input.deadlineDays !== undefined
      ? `chip count: the cheapest size meeting the ${input.deadlineDays}-day deadline${input.budgetUsd !== undefined ? " and the budget" : ""}`
      : `chip count: the cheapest size finishing within ${input.maxDays ?? DEFAULT_MAX_DAYS} days (no deadline given)`;
  assumptions.push(`${rule}; sizes within 1% of the cheapest count as tied and the faster wins`);
  assumptions.push(...stackAssumptions(input, chipList));
  const request = {
    model: input.model,
    seqLen,
    globalBatch,
    precision,
    profiles: input.profiles,
    top: 1,
    constraints: input.constraints,
    framework: input.framework,
    ...(input.software ? { software: input.software } : {}),
  };
  const searches: PlanSearchRequest[] = [];
  const perChip = chipList.map((chip) => {
    const unit = trainingInstance(chip.id, catalogInstances)?.chipsPerInstance ?? 8;
    const counts = candidateChipCounts(input.chipCounts ?? "auto", Math.max(8, unit));
    const first = searches.length;
    for (const chips of counts) searches.push({ ...request, chip, chips });
    return { chip, counts, first };
  });
  return { input, seqLen, globalBatch, assumptions, defaulted, searches, perChip };
}

/** Which stack each chip's searches keep to, when one does: the one named, or Trainium's default. */
function stackAssumptions(input: CompareInput, chipList: readonly Chip[]): string[] {
  const held = input.constraints
    ? [`plans held to the constraints: ${constraintsText(input.constraints)}`]
    : [];
  if (input.framework !== undefined) return [...held, `plans: only what ${input.framework} runs`];
  const trainium = chipList.filter(isTrainium).map((c) => c.id);
  if (trainium.length === 0) return held;
  return [
    ...held,
    `plans on ${trainium.join(", ")}: only what ${DEFAULT_TRAINIUM_FRAMEWORK} runs, the default Neuron stack (--framework to choose another)`,
  ];
}
