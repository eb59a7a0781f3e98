import { withProfile } from "../engine/prepare.js";
import { evaluatePlan, type ResolvedRun, resolveRun } from "../engine/simulate.js";
import { OUT_SIZE, OUT_TOKENS_PER_SECOND_PER_RANK } from "../engine/slots.js";
import type { Profile, ProfileFile } from "../hardware/profile.js";
import { groupBy, type ValidationCase } from "./validate.js";

/**
 * Fits the per-chip performance profiles to measured runs. The loss is the mean smoothed absolute
 * log error of tokens/s per chip (robust to a few odd cases, symmetric in over/under-prediction),
 * plus a ridge pulling every parameter towards its prior in log space so that chips with few cases
 * stay close to physically plausible values. Minimised by cyclic coordinate descent with a golden-
 * section line search per parameter, round after round until no parameter moves by 0.1%: deterministic,
 * no random restarts, seconds on the dev set.
 */

type Key = keyof Profile;

interface ParamSpec {
  key: Key;
  min: number;
  max: number;
  /**
   * The cases the parameter moves, when not all: its loss is their mean, so that a mechanism few
   * runs have is weighed against its prior by those runs, as a chip's parameters are by its cases.
   */
  movesCase?: (run: ResolvedRun) => boolean;
}

/** Parameters fitted separately for each chip (its silicon and software stack). */
export const CHIP_PARAMS: readonly ParamSpec[] = [
  // No dense GEMM library reaches more than ~85% of the datasheet peak on real shapes (power and
  // clock limits; data/measurements: 0.67-0.70 on H200), so the fit may not go past it.
  { key: "gemmEfficiency", min: 0.3, max: 0.85 },
  { key: "attentionEfficiency", min: 0.1, max: 0.9 },
  // B200 sat at the lower bound while its MoE runs' host time had no sourced prior (relaxed to 0.15 it
  // settled at 0.28 and every cross-validated figure got worse; docs/model.md, "Fitted parameters").
  { key: "memoryEfficiency", min: 0.3, max: 0.95 },
  // The network behind the chip (NICs, switches, NCCL's tuning for them) differs by system.
  { key: "scaleOutBusEfficiency", min: 0.2, max: 1 },
  // FlashAttention-2 was written for Ampere; on Hopper and later it falls further behind the fused kernels.
  { key: "flash2AttentionRatio", min: 0.3, max: 1 },
];

/** Parameters shared by all chips (how frameworks overlap work; GEMM shape fall-off). */
export const GLOBAL_PARAMS: readonly ParamSpec[] = [
  // Kernel launch is the host's and the framework's time, not the chip's: one value, near the eager
  // launch measured on an H200 (per chip it only bent B200 to twice that, absorbing what else is slow there).
  { key: "launchSeconds", min: 1e-6, max: 1e-4 },
  // Per chip it came out at 0.19-0.21 everywhere: the cases carry no chip-specific information about it.
  { key: "tpOverlap", min: 0, max: 0.9 },
  { key: "gemmFixedSeconds", min: 1e-6, max: 5e-5 },
  { key: "scaleUpBusEfficiency", min: 0.4, max: 1 },
  { key: "dpOverlap", min: 0, max: 1 },
  { key: "epOverlap", min: 0, max: 0.9 },
  { key: "overlapInterference", min: 0, max: 0.6 },
  { key: "fp8EfficiencyRatio", min: 0.6, max: 1.2 },
  { key: "attentionSwitchSeconds", min: 1e-5, max: 2e-2, movesCase: (run) => run.prep.alternatingAttention },
  {
    key: "dispatchSyncSecondsPerExpert",
    min: 1e-6,
    max: 2e-2,
    movesCase: (run) => run.prep.dispatcherSyncs && run.prep.moeLayers > 0,
  },
];

export interface CalibrationOptions {
  prior: Profile;
  /** Weight of the log-space ridge towards the prior, per parameter. */
  ridge?: number;
  /** Most rounds of coordinate descent; it stops earlier once no parameter moves (`converged`). */
  rounds?: number;
}

interface PreparedCase {
  c: ValidationCase;
  run: ResolvedRun;
  chip: string;
}

const SMOOTH = 0.02;

/**
 * Coordinate descent stops when a whole round moves no parameter by more than 0.1%: with a fixed
 * four rounds it had not settled (5-fold 5.3% at four rounds, 4.9% at eight; docs/model.md).
 */
const MAX_ROUNDS = 60;
const SETTLED = 1e-3;

function prepareCases(cases: readonly ValidationCase[], prior: Profile): PreparedCase[] {
  return cases.map((c) => {
    const run = resolveRun(c.input, { profile: prior });
    return { c, run, chip: c.input.chip.id };
  });
}

const scratch = new Float64Array(OUT_SIZE);

function predict(pc: PreparedCase, profile: Profile): number {
  const prep = withProfile(pc.run.prep, profile);
  evaluatePlan(prep, pc.run.plan, pc.c.input.globalBatch, scratch);
  return scratch[OUT_TOKENS_PER_SECOND_PER_RANK] * prep.hw.ranksPerChip;
}

function caseLoss(pc: PreparedCase, profile: Profile): number {
  const d = Math.log(predict(pc, profile) / pc.c.measuredTokensPerSecondPerChip);
  return Math.sqrt(d * d + SMOOTH * SMOOTH);
}

function ridgeLoss(profile: Profile, prior: Profile, specs: readonly ParamSpec[], ridge: number): number {
  let r = 0;
  for (const s of specs) {
    const a = Math.max(profile[s.key], 1e-9);
    const b = Math.max(prior[s.key], 1e-9);
    const d = Math.log(a / b);
    r += ridge * d * d;
  }
  return r;
}

/** Golden-section search of f over [lo, hi] in log space (parameters are positive scales). */
function lineSearch(f: (x: number) => number, lo: number, hi: number, iterations = 24): number {
  const useLog = lo > 0;
  const tf = (x: number) => (useLog ? Math.log(x) : x);
  const inv = (t: number) => (useLog ? Math.exp(t) : t);
  let a = tf(lo);
  let b = tf(hi);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(inv(c));
  let fd = f(inv(d));
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(inv(c));
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(inv(d));
    }
  }
  return inv((a + b) / 2);
}

function meanLoss(cases: readonly PreparedCase[], profileOf: (chip: string) => Profile): number {
  let s = 0;
  for (const pc of cases) s += caseLoss(pc, profileOf(pc.chip));
  return cases.length ? s / cases.length : 0;
}

export interface CalibrationResult {
  profiles: Record<string, Profile>;
  /** Globals plus the case-weighted geometric mean of chip parameters: for chips with no cases. */
  fallback: Profile;
  /** Rounds of coordinate descent run, and whether they settled before the cap. */
  rounds: number;
  settled: boolean;
  loss: number;
}

/** Fits profiles for every chip that has cases. */
export function calibrate(cases: readonly ValidationCase[], options: CalibrationOptions): CalibrationResult {
  const ridge = options.ridge ?? 0.05;
  const rounds = options.rounds ?? MAX_ROUNDS;
  const prior = options.prior;
  const prepared = prepareCases(cases, prior);
  const chips = [...new Set(prepared.map((p) => p.chip))].sort();
  const profiles: Record<string, Profile> = {};
  for (const chip of chips) profiles[chip] = { ...prior };
  const byChip = groupBy(prepared, (pc) => pc.chip);
  const profileOf = (chip: string) => profiles[chip];

  let ran = 0;
  let settled = false;
  while (ran < rounds && !settled) {
    ran++;
    const before = chips.map((chip) => ({ ...profiles[chip] }));
    for (const spec of GLOBAL_PARAMS) {
      const moved = spec.movesCase ? prepared.filter((pc) => spec.movesCase!(pc.run)) : prepared;
      if (moved.length === 0) continue;
      const f = (x: number) => {
        for (const chip of chips) profiles[chip][spec.key] = x;
        return meanLoss(moved, profileOf) + ridgeLoss(profiles[chips[0]], prior, [spec], ridge);
      };
      const best = lineSearch(f, spec.min, spec.max);
      f(best);
    }
    for (const chip of chips) {
      const own = byChip[chip];
      for (const spec of CHIP_PARAMS) {
        const f = (x: number) => {
          profiles[chip][spec.key] = x;
          // The chip's mean loss plus the ridge: fewer cases do not weaken the pull to the prior.
          return meanLoss(own, profileOf) + ridgeLoss(profiles[chip], prior, [spec], ridge);
        };
        const best = lineSearch(f, spec.min, spec.max);
        f(best);
      }
    }
    settled = converged(
      before,
      chips.map((chip) => profiles[chip]),
    );
  }
  const fallback: Profile = { ...profiles[chips[0]] };
  for (const spec of CHIP_PARAMS) {
    let logSum = 0;
    for (const pc of prepared) logSum += Math.log(profiles[pc.chip][spec.key]);
    fallback[spec.key] = Math.exp(logSum / prepared.length);
  }
  return { profiles, fallback, loss: meanLoss(prepared, profileOf), rounds: ran, settled };
}

function converged(before: readonly Profile[], after: readonly Profile[]): boolean {
  for (let i = 0; i < after.length; i++) {
    for (const key of Object.keys(after[i]) as Key[]) {
      const a = before[i][key];
      const b = after[i][key];
      if (Math.abs(b - a) > SETTLED * Math.max(Math.abs(a), 1e-12)) return false;
    }
  }
  return true;
}

/** Writes a calibration into the profile file format (with the residuals of the fitted cases). */
export function toProfileFile(
  result: CalibrationResult,
  residuals: ProfileFile["residuals"],
  fittedOn: string,
  generatedBy: string,
): ProfileFile {
  return { generatedBy, fittedOn, default: result.fallback, chips: result.profiles, residuals };
}
