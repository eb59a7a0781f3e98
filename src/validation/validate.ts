import type { SimulationInput, SimulationResult } from "../engine/simulate.js";
import { simulate } from "../engine/simulate.js";
import type { ProfileFile } from "../hardware/profile.js";
import { sixNDFlopsPerToken } from "../workload/flops.js";
import { maxOf, median } from "./stats.js";

/** A published, measured run in engine form. */
export interface ValidationCase {
  id: string;
  input: SimulationInput;
  measuredTokensPerSecondPerChip: number;
  /** Peak memory allocated per chip, where the run measured it. */
  measuredPeakMemoryBytes?: number;
  confidence: string;
  source: string;
}

export interface CaseResult {
  id: string;
  chip: string;
  measured: number;
  predicted: number;
  /** (predicted - measured) / measured, in percent. */
  errorPct: number;
  baselinePredicted: number;
  baselineErrorPct: number;
  fits: boolean;
  mfu: number;
  confidence: string;
  source: string;
  /**
   * Where memory was measured: the predicted bytes the framework allocates (the model's total less its
   * runtime/fragmentation allowance, which an allocator's peak does not count) and the error against it.
   */
  memory?: { predictedBytes: number; measuredBytes: number; errorPct: number };
  /** The prediction's 80% band of tokens/s per chip and whether the measurement lies inside it. */
  band?: { low: number; high: number; inside: boolean };
}

export interface ErrorSummary {
  cases: number;
  medianAbsErrorPct: number;
  worstAbsErrorPct: number;
  /** Share of cases within 10% and 20%. */
  within10Pct: number;
  within20Pct: number;
}

export interface ValidationReport {
  cases: CaseResult[];
  summary: {
    overall: ErrorSummary;
    perChip: Record<string, ErrorSummary>;
    baseline: { mfu: number; overall: ErrorSummary; perChip: Record<string, ErrorSummary> };
    /**
     * How many measurements lie inside their prediction's 80% band, of the cases that have one (the
     * bands come from the profiles: leave-one-source-out residuals of the set they were fitted on).
     */
    bandCoverage: { covered: number; cases: number };
  };
}

/**
 * The naive estimate that trainplan is compared against: 6 x active parameters FLOPs per token
 * (Kaplan et al. 2020) at one fixed MFU of the chip's bf16 peak, whatever the plan, model or scale.
 */
function naiveTokensPerSecondPerChip(input: SimulationInput, mfu: number): number {
  return (mfu * input.chip.peakTflops.bf16 * 1e12) / sixNDFlopsPerToken(input.model);
}

/** The fixed MFU that best fits the measurements (the median of their 6N MFUs): the baseline at its best. */
export function fitNaiveMfu(cases: readonly ValidationCase[]): number {
  return median(
    cases.map(
      (c) =>
        (c.measuredTokensPerSecondPerChip * sixNDFlopsPerToken(c.input.model)) /
        (c.input.chip.peakTflops.bf16 * 1e12),
    ),
  );
}

function memoryCheck(r: SimulationResult, measuredBytes: number): NonNullable<CaseResult["memory"]> {
  const predictedBytes = r.memory.perChipBytes - r.memory.breakdown.reserved;
  return {
    predictedBytes,
    measuredBytes,
    errorPct: (100 * (predictedBytes - measuredBytes)) / measuredBytes,
  };
}

function bandCheck(band: { low: number; high: number }, measured: number): NonNullable<CaseResult["band"]> {
  return { low: band.low, high: band.high, inside: measured >= band.low && measured <= band.high };
}

export function summarize(errorsPct: readonly number[]): ErrorSummary {
  const abs = errorsPct.map(Math.abs);
  return {
    cases: abs.length,
    medianAbsErrorPct: median(abs),
    worstAbsErrorPct: maxOf(abs),
    within10Pct: abs.length ? abs.filter((e) => e <= 10).length / abs.length : 0,
    within20Pct: abs.length ? abs.filter((e) => e <= 20).length / abs.length : 0,
  };
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const it of items) {
    const k = key(it);
    if (!out[k]) out[k] = [];
    out[k].push(it);
  }
  return out;
}

function predictCase(c: ValidationCase, profiles?: ProfileFile): SimulationResult {
  return simulate(c.input, { profiles });
}

/** Predicts every case, compares with its measurement, and summarises the errors. */
export function validateCases(
  cases: readonly ValidationCase[],
  options: { profiles?: ProfileFile; baselineMfu?: number } = {},
): ValidationReport {
  const baselineMfu = options.baselineMfu ?? fitNaiveMfu(cases);
  const results: CaseResult[] = cases.map((c) => {
    const r = predictCase(c, options.profiles);
    const predicted = r.throughput.tokensPerSecondPerChip;
    const base = naiveTokensPerSecondPerChip(c.input, baselineMfu);
    const m = c.measuredTokensPerSecondPerChip;
    return {
      id: c.id,
      chip: c.input.chip.id,
      measured: m,
      predicted,
      errorPct: (100 * (predicted - m)) / m,
      baselinePredicted: base,
      baselineErrorPct: (100 * (base - m)) / m,
      fits: r.fits,
      mfu: r.throughput.mfu,
      confidence: c.confidence,
      source: c.source,
      ...(c.measuredPeakMemoryBytes ? { memory: memoryCheck(r, c.measuredPeakMemoryBytes) } : {}),
      ...(r.band ? { band: bandCheck(r.band, m) } : {}),
    };
  });
  const banded = results.filter((r) => r.band);
  const byChip = groupBy(results, (r) => r.chip);
  const perChip: Record<string, ErrorSummary> = {};
  const basePerChip: Record<string, ErrorSummary> = {};
  for (const [chip, rs] of Object.entries(byChip)) {
    perChip[chip] = summarize(rs.map((r) => r.errorPct));
    basePerChip[chip] = summarize(rs.map((r) => r.baselineErrorPct));
  }
  return {
    cases: results,
    summary: {
      overall: summarize(results.map((r) => r.errorPct)),
      perChip,
      baseline: {
        mfu: baselineMfu,
        overall: summarize(results.map((r) => r.baselineErrorPct)),
        perChip: basePerChip,
      },
      bandCoverage: { covered: banded.filter((r) => r.band?.inside).length, cases: banded.length },
    },
  };
}
