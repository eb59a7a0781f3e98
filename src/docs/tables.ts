import { type Profile, type ProfileFile, ProfileSchema } from "../hardware/profile.js";
import { type ProfileBasis, profileForChip } from "../hardware/profiles.js";
import type { Chip } from "../hardware/schema.js";
import { renderMarkdownTable } from "../report/table.js";
import { CHIP_PARAMS, GLOBAL_PARAMS } from "../validation/calibrate.js";
import type { PlanQuality } from "../validation/planQuality.js";
import { median } from "../validation/stats.js";
import type { CaseResult, ErrorSummary, ValidationReport } from "../validation/validate.js";

/**
 * The Markdown of the generated documentation blocks (docs/model.md, README.md). Pure: the numbers
 * come in, text goes out, always with fixed decimals and sorted rows so that the same engine gives
 * the same bytes.
 */

interface ParamDisplay {
  key: keyof Profile;
  label: string;
  scale: number;
  decimals: number;
}

/**
 * Display of each profile parameter, derived from the schema so that a new parameter shows up by
 * itself: times in µs, "half" constants (dimensions, lengths) as integers, fractions with 3 decimals.
 */
function paramDisplay(): ParamDisplay[] {
  return (Object.keys(ProfileSchema.shape) as (keyof Profile)[]).map((key) => {
    if (key.includes("Seconds")) return { key, label: `${key} (µs)`, scale: 1e6, decimals: 1 };
    if (/Half|Dim/.test(key)) return { key, label: key, scale: 1, decimals: 0 };
    return { key, label: key, scale: 1, decimals: 3 };
  });
}

function fixed(x: number, decimals: number): string {
  return Number.isFinite(x) ? x.toFixed(decimals) : "n/a";
}

function pct(x: number, decimals = 1): string {
  return `${fixed(x, decimals)}%`;
}

function signedPct(x: number): string {
  return `${x >= 0 ? "+" : ""}${fixed(x, 1)}%`;
}

function share(x: number): string {
  return `${fixed(100 * x, 0)}%`;
}

/** Is `value` within 0.5% (relative) of a fit bound? Values pinned at a bound deserve a look. */
function atBound(value: number, min: number, max: number): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) <= 0.005 * Math.max(Math.abs(b), 1e-12);
  return near(value, min) || near(value, max);
}

function scopeOf(d: ParamDisplay): { scope: string; bounds: string; min?: number; max?: number } {
  const key = d.key;
  const show = (v: number) => fixed(v * d.scale, d.scale === 1 && d.decimals > 0 ? 2 : 0);
  const c = CHIP_PARAMS.find((p) => p.key === key);
  if (c) return { scope: "per chip", bounds: `${show(c.min)}–${show(c.max)}`, min: c.min, max: c.max };
  const g = GLOBAL_PARAMS.find((p) => p.key === key);
  if (g) return { scope: "shared", bounds: `${show(g.min)}–${show(g.max)}`, min: g.min, max: g.max };
  return { scope: "fixed (prior)", bounds: "not fitted" };
}

/** Free parameters against the cases that fit them: per chip, that chip's cases; shared, all of them. */
function freeParametersLine(file: ProfileFile, fitted: readonly string[]): string {
  const cases = (chip: string) => file.residuals.filter((r) => r.chip === chip).length;
  const perChip = fitted.map((c) => `${c} ${cases(c)}`).join(", ");
  return (
    `Free parameters: ${CHIP_PARAMS.length} per chip (${CHIP_PARAMS.map((p) => `\`${p.key}\``).join(", ")}) ` +
    `against that chip's dev cases (${perChip}); ${GLOBAL_PARAMS.length} shared against all ` +
    `${file.residuals.length}.`
  );
}

/** Fitted profile values, one column per chip, beside the prior and the cross-chip default. */
export function profilesBlock(file: ProfileFile, prior: Profile, chips: readonly Chip[]): string {
  const fitted = Object.keys(file.chips).sort();
  const columns = [
    { header: "parameter" },
    { header: "fitted" },
    { header: "bounds", align: "right" as const },
    { header: "prior", align: "right" as const },
    ...fitted.map((c) => ({ header: c, align: "right" as const })),
    { header: "default", align: "right" as const },
  ];
  let pinned = false;
  const rows = paramDisplay().map((d) => {
    const s = scopeOf(d);
    const cell = (v: number) => {
      const mark = s.min != null && s.max != null && atBound(v, s.min, s.max);
      if (mark) pinned = true;
      return `${fixed(v * d.scale, d.decimals)}${mark ? " ‡" : ""}`;
    };
    return [
      `\`${d.label}\``,
      s.scope,
      s.bounds,
      fixed(prior[d.key] * d.scale, d.decimals),
      ...fitted.map((c) => cell(file.chips[c][d.key])),
      fixed(file.default[d.key] * d.scale, d.decimals),
    ];
  });
  const lines = [renderMarkdownTable(columns, rows).trimEnd(), "", freeParametersLine(file, fitted), ""];
  if (pinned)
    lines.push("‡ at (within 0.5% of) a bound of the fit: the data push past what the bounds allow.", "");
  const chosen = chips
    .filter((c) => !file.chips[c.id])
    .map((c) => ({ id: c.id, choice: profileForChip(c, file) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const named = (basis: ProfileBasis, withFrom: boolean) =>
    chosen
      .filter((c) => c.choice.basis === basis)
      .map((c) => (withFrom && c.choice.from !== c.id ? `${c.id} → ${c.choice.from}` : c.id));
  const borrowing = named("borrowed", true);
  const priors = named("prior", true);
  const defaults = named("default", false);
  if (borrowing.length)
    lines.push(
      `Chips without cases of their own borrow a fit (\`profileFrom\` in data/chips.json): ${borrowing.join(", ")}.`,
    );
  if (priors.length)
    lines.push(
      `Chips with a prior (data/profile-priors.json: published hardware figures, each software parameter from a stated fit): ${priors.join(", ")}.`,
    );
  if (defaults.length)
    lines.push(
      `Chips that use \`default\` (the case-weighted geometric mean of the per-chip values; compared only when named): ${defaults.join(", ")}.`,
    );
  lines.push(
    "",
    `Source: data/profiles.json (generated by \`${file.generatedBy}\`, fitted on ${file.fittedOn}).`,
  );
  return lines.join("\n");
}

function summaryCells(s: ErrorSummary): string[] {
  return [
    String(s.cases),
    pct(s.medianAbsErrorPct),
    pct(s.worstAbsErrorPct),
    share(s.within10Pct),
    share(s.within20Pct),
  ];
}

export interface CrossValidationSummary {
  kfold: { engine: ErrorSummary; naive: ErrorSummary };
  source: { engine: ErrorSummary; naive: ErrorSummary };
}

export const STAMP = /^Generated by `npm run docs` on \d{4}-\d{2}-\d{2}\.$/m;

/** Per-chip in-sample accuracy beside the naive baseline, then the out-of-sample checks. */
export function accuracyBlock(report: ValidationReport, cv: CrossValidationSummary, date: string): string {
  const s = report.summary;
  const columns = [
    { header: "chip" },
    { header: "cases", align: "right" as const },
    { header: "median |error|", align: "right" as const },
    { header: "worst |error|", align: "right" as const },
    { header: "within 10%", align: "right" as const },
    { header: "within 20%", align: "right" as const },
    { header: "naive median", align: "right" as const },
    { header: "naive worst", align: "right" as const },
    { header: "naive within 10%", align: "right" as const },
  ];
  const row = (name: string, e: ErrorSummary, n: ErrorSummary) => [
    name,
    ...summaryCells(e),
    pct(n.medianAbsErrorPct),
    pct(n.worstAbsErrorPct),
    share(n.within10Pct),
  ];
  const rows = [row("**all**", s.overall, s.baseline.overall)];
  for (const chip of Object.keys(s.perChip).sort())
    rows.push(row(chip, s.perChip[chip], s.baseline.perChip[chip]));
  // The out-of-sample table: the same columns but the last, a check per row instead of a chip.
  const cvColumns = [{ header: "check" }, ...columns.slice(1, -1)];
  const cvRow = (name: string, e: ErrorSummary, n: ErrorSummary) => row(name, e, n).slice(0, -1);
  const cvRows = [
    cvRow("in-sample (fitted on all cases)", s.overall, s.baseline.overall),
    cvRow("5-fold cross-validation", cv.kfold.engine, cv.kfold.naive),
    cvRow("leave one source out", cv.source.engine, cv.source.naive),
  ];
  return [
    "Error = (predicted − measured) / measured tokens/s per chip, on the published runs of data/validation/dev.json.",
    `Naive baseline: 6N FLOPs per token (N = active parameters) at one fixed MFU of the dense bf16 peak, the median of the cases (${fixed(100 * s.baseline.mfu, 1)}%; in the cross-validation rows, the median of the training folds).`,
    "",
    renderMarkdownTable(columns, rows).trimEnd(),
    "",
    renderMarkdownTable(cvColumns, cvRows).trimEnd(),
    "",
    "Reproduce: `npx trainplan validate` prints the in-sample rows; `npx trainplan calibrate --out /tmp/profiles.json` refits",
    "the profiles and prints the 5-fold and leave-one-source-out rows (without `--out` it overwrites data/profiles.json).",
    `Generated by \`npm run docs\` on ${date}.`,
  ].join("\n");
}

function byAbsError(a: CaseResult, b: CaseResult): number {
  return Math.abs(b.errorPct) - Math.abs(a.errorPct) || a.id.localeCompare(b.id);
}

/** The `count` cases the engine gets most wrong, in-sample. */
export function residualsBlock(cases: readonly CaseResult[], count = 15): string {
  const worst = [...cases].sort(byAbsError).slice(0, count);
  const columns = [
    { header: "case" },
    { header: "chip" },
    { header: "measured tok/s/chip", align: "right" as const },
    { header: "predicted", align: "right" as const },
    { header: "error", align: "right" as const },
    { header: "naive error", align: "right" as const },
  ];
  const rows = worst.map((c) => [
    `\`${c.id}\``,
    c.chip,
    fixed(c.measured, 0),
    fixed(c.predicted, 0),
    signedPct(c.errorPct),
    signedPct(c.baselineErrorPct),
  ]);
  const over = cases.filter((c) => c.errorPct > 0).length;
  return [
    renderMarkdownTable(columns, rows).trimEnd(),
    "",
    `Of all ${cases.length} cases, ${over} are over-predicted (engine too fast) and ${cases.length - over} under-predicted. Same profiles as the accuracy table (data/profiles.json).`,
  ].join("\n");
}

/** How the published configurations rank among the plans the search enumerates. */
export function planQualityBlock(results: readonly PlanQuality[], top = 10): string {
  const n = results.length;
  const first = results.filter((r) => r.publishedRank === 1).length;
  const topTen = results.filter((r) => r.publishedRank <= 10).length;
  const fits = results.filter((r) => r.publishedFits).length;
  const gains = results.map((r) => r.gainPct);
  const big = results.filter((r) => r.gainPct > 10).length;
  const sorted = [...results].sort((a, b) => b.gainPct - a.gainPct || a.id.localeCompare(b.id)).slice(0, top);
  const columns = [
    { header: "case" },
    { header: "chips", align: "right" as const },
    { header: "published (predicted tok/s/chip)", align: "right" as const },
    { header: "best found", align: "right" as const },
    { header: "gain", align: "right" as const },
    { header: "published rank", align: "right" as const },
    { header: "best plan" },
  ];
  const rows = sorted.map((r) => [
    `\`${r.id}\``,
    String(r.chips),
    fixed(r.publishedPredicted, 0),
    fixed(r.bestPredicted, 0),
    signedPct(r.gainPct),
    `${r.publishedRank} of ${r.searched}`,
    `\`${r.bestPlan}\``,
  ]);
  return [
    `- Cases: ${n}; the published configuration fits in memory (as the engine sees it) in ${fits}.`,
    `- The published configuration is the engine's #1 plan in ${first} cases and in its top 10 in ${topTen}.`,
    `- Median predicted gain of the best plan found over the published one: ${signedPct(median(gains))}; gain above 10% in ${big} cases.`,
    "",
    `The ${sorted.length} largest predicted gains (gain = best / published − 1, both predicted by the engine; the search runs at the published precision, and rank counts the plans it timed):`,
    "",
    renderMarkdownTable(columns, rows).trimEnd(),
    "",
    "Plan notation: tensor (tp), pipeline (pp), virtual stages per rank (vpp), data (dp), context (cp) and expert (ep) parallel",
    "sizes, micro-batch (mb), recomputation, ZeRO stage, `sp` for sequence parallelism, precision.",
  ].join("\n");
}
