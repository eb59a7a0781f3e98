import type { Profile, ProfileFile } from "../hardware/profile.js";
import { calibrate, toProfileFile } from "./calibrate.js";
import { type CaseResult, fitNaiveMfu, type ValidationCase, validateCases } from "./validate.js";

/**
 * Out-of-sample error: each case is predicted by profiles fitted without it. Two splits:
 * k folds by position in the id-sorted list, and leave-one-source-out, which holds out a whole
 * publication (llm-foundry, Megatron-Bridge, ...) at once: the harder test, closest to judging on
 * runs from sources the fit never saw.
 */
export function sourceFamily(id: string): string {
  return id.split("-")[0];
}

export function crossValidate(
  cases: readonly ValidationCase[],
  prior: Profile,
  split: "kfold" | "source",
  folds = 5,
): CaseResult[] {
  const sorted = [...cases].sort((a, b) => a.id.localeCompare(b.id));
  const groupOf = (c: ValidationCase, i: number) =>
    split === "kfold" ? String(i % folds) : sourceFamily(c.id);
  const groups = [...new Set(sorted.map(groupOf))];
  const results: CaseResult[] = [];
  for (const g of groups) {
    const test = sorted.filter((c, i) => groupOf(c, i) === g);
    const train = sorted.filter((c, i) => groupOf(c, i) !== g);
    const fit = calibrate(train, { prior });
    const profiles: ProfileFile = toProfileFile(fit, [], "cross-validation fold", "crossValidate");
    results.push(...validateCases(test, { profiles, baselineMfu: fitNaiveMfu(train) }).cases);
  }
  return results;
}
