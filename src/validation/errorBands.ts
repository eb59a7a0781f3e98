import type { ErrorBand, ErrorBands } from "../hardware/profile.js";

/**
 * Error bands from out-of-sample residuals. Each prediction's band is the central 80% of the
 * leave-one-source-out errors of its class: dense or MoE, and whether the chip's profile was fitted on
 * its own runs ("seen") or not ("unseen": in leave-one-source-out, a chip whose every case sat in the
 * held-out source; in use, a chip whose profile is a prior, borrowed or the default). A band is a
 * pair of multipliers on predicted throughput: the measured value lay between low x and high x the
 * prediction for 80% of such runs.
 */
export const BAND_LEVEL = 0.8;
/** Fewer residuals than this and a class borrows its kind's (dense/MoE) band, then the overall one. */
export const MIN_BAND_CASES = 8;

export interface BandResidual {
  /** (predicted - measured) / measured, percent, out of sample. */
  errorPct: number;
  moe: boolean;
  chipSeen: boolean;
  /** The source the case belongs to (held out together). */
  source: string;
}

export function bandClass(moe: boolean, chipSeen: boolean): string {
  return `${moe ? "moe" : "dense"}/${chipSeen ? "seen" : "unseen"}`;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * Measured / predicted ratios of the central BAND_LEVEL of `residuals`, widened in log space about
 * their median by `widening` (runs of one source share a bias the pooled residuals understate).
 */
function bandOfWidened(residuals: readonly BandResidual[], from: string, widening: number): ErrorBand {
  // measured / predicted = 1 / (1 + error)
  const logs = residuals.map((r) => -Math.log1p(r.errorPct / 100)).sort((a, b) => a - b);
  const tail = (1 - BAND_LEVEL) / 2;
  const mid = quantile(logs, 0.5);
  const widen = (q: number) => Math.exp(mid + widening * (q - mid));
  return {
    low: widen(quantile(logs, tail)),
    high: widen(quantile(logs, 1 - tail)),
    cases: logs.length,
    from,
  };
}

/** The smallest widening (>= 1) at which bands built without each source hold BAND_LEVEL of its runs. */
export function bandWidening(residuals: readonly BandResidual[]): number {
  for (let k = 1; k < 4; k += 0.05) if (heldOutCoverage(residuals, () => k) >= BAND_LEVEL) return k;
  return 4;
}

/**
 * The band of every class, each from its own residuals or, when too few, its kind's or all; widened so
 * that it holds on sources left out of it (bandWidening) unless `widening` is given.
 */
export function errorBands(
  residuals: readonly BandResidual[],
  widening = bandWidening(residuals),
): ErrorBands {
  const bands: ErrorBands = {};
  const bandOf = (rs: readonly BandResidual[], from: string) => bandOfWidened(rs, from, widening);
  const all = bandOf(residuals, "all");
  for (const moe of [false, true]) {
    const kind = residuals.filter((r) => r.moe === moe);
    for (const seen of [true, false]) {
      const own = kind.filter((r) => r.chipSeen === seen);
      const name = bandClass(moe, seen);
      bands[name] =
        own.length >= MIN_BAND_CASES
          ? bandOf(own, name)
          : kind.length >= MIN_BAND_CASES
            ? bandOf(kind, moe ? "moe" : "dense")
            : all;
    }
  }
  return bands;
}

/** Share of runs inside the bands built from the other sources, at the widening `widenFor` gives. */
function heldOutCoverage(
  residuals: readonly BandResidual[],
  widenFor: (others: readonly BandResidual[]) => number,
): number {
  let covered = 0;
  for (const source of new Set(residuals.map((r) => r.source))) {
    const others = residuals.filter((r) => r.source !== source);
    const bands = errorBands(others, widenFor(others));
    for (const r of residuals.filter((x) => x.source === source)) {
      const band = bands[bandClass(r.moe, r.chipSeen)];
      const ratio = 1 / (1 + r.errorPct / 100);
      if (ratio >= band.low && ratio <= band.high) covered++;
    }
  }
  return covered / residuals.length;
}

/**
 * How often the band holds on sources it was not built from: for each source, the bands (and their
 * widening) built from the other sources' residuals alone, checked on its own runs.
 */
export function bandCoverage(residuals: readonly BandResidual[]): { covered: number; cases: number } {
  return { covered: heldOutCoverage(residuals, bandWidening), cases: residuals.length };
}
