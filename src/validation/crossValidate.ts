import type { Profile, ProfileFile } from "../hardware/profile.js";
import { calibrate, toProfileFile } from "./calibrate.js";
import type { BandResidual } from "./errorBands.js";
import { type CaseResult, fitNaiveMfu, type ValidationCase, validateCases } from "./validate.js";

/**
 * Out-of-sample error: each case is predicted by profiles fitted without it. Two splits:
 * k folds that keep every run of one model from one source together (so near-duplicates such as
 * the same model on 128, 256 and 512 GPUs never sit on both sides), and leave-one-source-out,
 * which holds out a whole publication at once: the harder test, closest to judging on runs from
 * sources the fit never saw.
 */
export function sourceFamily(id: string): string {
  const [a, b] = id.split("-");
  // "megatron-readme" (H100) and "megatron-sc21" (A100) are different publications.
  return a === "megatron" ? `${a}-${b}` : a;
}

/** Stable small hash of a string (FNV-1a), to spread groups over folds deterministically. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function crossValidate(
  cases: readonly ValidationCase[],
  prior: Profile,
  split: "kfold" | "source",
  folds = 5,
): CaseResult[] {
  const sorted = [...cases].sort((a, b) => a.id.localeCompare(b.id));
  const groupOf = (c: ValidationCase) =>
    split === "kfold"
      ? String(hash(`${sourceFamily(c.id)}/${c.input.model.name}`) % folds)
      : sourceFamily(c.id);
  const groups = [...new Set(sorted.map(groupOf))];
  const results: CaseResult[] = [];
  for (const g of groups) {
    const test = sorted.filter((c) => groupOf(c) === g);
    const train = sorted.filter((c) => groupOf(c) !== g);
    const fit = calibrate(train, { prior });
    const profiles: ProfileFile = toProfileFile(fit, [], "cross-validation fold", "crossValidate");
    results.push(...validateCases(test, { profiles, baselineMfu: fitNaiveMfu(train) }).cases);
  }
  return results;
}

/**
 * Leave-one-source-out residuals with their band class: whether the case is MoE, and whether its
 * chip had cases in the fit that predicted it (in another source).
 */
export function bandResiduals(
  cases: readonly ValidationCase[],
  results: readonly CaseResult[],
): BandResidual[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  return results.map((r) => {
    const c = byId.get(r.id)!;
    const source = sourceFamily(c.id);
    const chipSeen = cases.some((o) => o.input.chip.id === c.input.chip.id && sourceFamily(o.id) !== source);
    return { errorPct: r.errorPct, moe: c.input.model.moe != null, chipSeen, source };
  });
}
