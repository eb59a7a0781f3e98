/**
 * Break-even between two chips on one run (docs/compare.md, "Break-even"): the price per chip-hour at
 * which chip A's run costs what chip B's does, and the model FLOPs utilisation A would need at today's
 * price to match B. Pure: it takes each chip's chip-hours, price and MFU from a comparison row.
 *
 * A run's cost is chipHours × $/chip-hour, and chipHours = tokens / (tokens/s per chip × goodput × 3600)
 * (cost/timeToTrain.ts). Goodput depends on the chip count and checkpoint size, not on throughput
 * (cost/goodput.ts), and the size picked for a deadline is the one with the fewest chip-hours at any
 * price, so with A's size and plan held:
 *   break-even $/chip-hour of A = costB / chipHoursA = $B × chipHoursB / chipHoursA
 *   MFU A needs at today's price = MFU_A × costA / costB   (chip-hours scale as 1 / throughput)
 */

/** Multipliers on a chip's predicted throughput: the relative error band (low <= 1 <= high). */
export interface ThroughputBand {
  low: number;
  high: number;
}

/** One chip's side of the comparison, as a comparison row gives it. */
export interface BreakEvenSide {
  chip: string;
  /** Chip-hours of the run at the chosen size (goodput included). */
  chipHours: number;
  /** Today's price; null when the chip has no public price and the user gave none. */
  usdPerChipHour: number | null;
  /** Predicted model FLOPs utilisation of the chosen plan. */
  mfu: number;
  /** The error band on this chip's predicted throughput; absent until the engine states one. */
  band?: ThroughputBand;
}

export interface Range {
  low: number;
  high: number;
}

export interface BreakEven {
  /** The chip whose price or efficiency is solved for. */
  chip: string;
  /** The chip it is matched against. */
  against: string;
  /** A's break-even price as a fraction of B's price per chip-hour: chipHoursB / chipHoursA. */
  priceRatio: number;
  /** A's price per chip-hour at which the two runs cost the same; null when B has no price. */
  usdPerChipHour: number | null;
  /** MFU A would need at its price today to cost what B costs; null when either has no price. */
  mfuNeeded: number | null;
  /** A's predicted MFU, beside the one it would need. */
  mfu: number;
  /** costA / costB at today's prices; null when either has no price. */
  costRatio: number | null;
  /**
   * The same figures over both chips' throughput bands, taken as independent (the widest range);
   * null where the figure is null or no band was given.
   */
  bands: {
    priceRatio: Range;
    usdPerChipHour: Range | null;
    mfuNeeded: Range | null;
  } | null;
  /** Why a figure is null, in words a report can print. */
  missing: string[];
}

function checkSide(side: BreakEvenSide): void {
  if (!(side.chipHours > 0) || !Number.isFinite(side.chipHours)) {
    throw new RangeError(
      `breakEven: ${side.chip} chipHours must be a finite number > 0, got ${side.chipHours}`,
    );
  }
  if (side.usdPerChipHour !== null && !(side.usdPerChipHour > 0)) {
    throw new RangeError(`breakEven: ${side.chip} usdPerChipHour must be > 0, got ${side.usdPerChipHour}`);
  }
  const b = side.band;
  // A band need not hold the prediction itself: where runs of a class measured slower than predicted,
  // both ends lie below 1.
  if (b && !(b.low > 0 && b.low <= b.high && Number.isFinite(b.high))) {
    throw new RangeError(
      `breakEven: ${side.chip} band must satisfy 0 < low <= high, got ${b.low}..${b.high}`,
    );
  }
}

const NO_BAND: ThroughputBand = { low: 1, high: 1 };

function scaled(value: number | null, low: number, high: number): Range | null {
  return value === null ? null : { low: value * low, high: value * high };
}

/** Break-even of chip `a` against chip `b` on the same run. */
export function breakEven(a: BreakEvenSide, b: BreakEvenSide): BreakEven {
  checkSide(a);
  checkSide(b);
  const missing: string[] = [];
  const priceRatio = b.chipHours / a.chipHours;
  const usdPerChipHour = b.usdPerChipHour === null ? null : b.usdPerChipHour * priceRatio;
  if (b.usdPerChipHour === null)
    missing.push(
      `${b.chip} has no price: the break-even is ${priceRatio.toPrecision(3)} x its price per chip-hour`,
    );
  const costA = a.usdPerChipHour === null ? null : a.chipHours * a.usdPerChipHour;
  const costB = b.usdPerChipHour === null ? null : b.chipHours * b.usdPerChipHour;
  const costRatio = costA === null || costB === null ? null : costA / costB;
  if (a.usdPerChipHour === null)
    missing.push(`${a.chip} has no price: the MFU it needs is unknown until one is given`);
  const mfuNeeded = costRatio === null ? null : a.mfu * costRatio;
  const bands =
    a.band || b.band
      ? bandRanges(a.band ?? NO_BAND, b.band ?? NO_BAND, priceRatio, usdPerChipHour, mfuNeeded)
      : null;
  return {
    chip: a.chip,
    against: b.chip,
    priceRatio,
    usdPerChipHour,
    mfuNeeded,
    mfu: a.mfu,
    costRatio,
    bands,
    missing,
  };
}

/**
 * A's throughput × m_A divides its chip-hours by m_A; B's × m_B divides B's cost by m_B. The break-even
 * price scales as m_A / m_B; the MFU A needs scales as m_B only (A's own throughput cancels out).
 */
function bandRanges(
  bandA: ThroughputBand,
  bandB: ThroughputBand,
  priceRatio: number,
  usdPerChipHour: number | null,
  mfuNeeded: number | null,
): NonNullable<BreakEven["bands"]> {
  const low = bandA.low / bandB.high;
  const high = bandA.high / bandB.low;
  return {
    priceRatio: { low: priceRatio * low, high: priceRatio * high },
    usdPerChipHour: scaled(usdPerChipHour, low, high),
    mfuNeeded: scaled(mfuNeeded, bandB.low, bandB.high),
  };
}

/** One point of the break-even chart: cost per million tokens of chip A at a price per chip-hour. */
export interface BreakEvenPoint {
  usdPerChipHour: number;
  usdPerMillionTokens: number;
}

/** Cost per million tokens of a side at a given price: price × chipHours / (tokens / 10^6). */
export function usdPerMillionTokensAt(
  side: Pick<BreakEvenSide, "chipHours">,
  tokens: number,
  usdPerChipHour: number,
): number {
  return (usdPerChipHour * side.chipHours * 1e6) / tokens;
}

/** A pair asked for: solve for `chip` against `against`. */
export interface BreakEvenPair {
  chip: string;
  against: string;
}

/** The row fields break-even reads (a CompareRow has them). */
export interface BreakEvenRow {
  chip: string;
  chipHours: number | null;
  usdPerChipHour: number | null;
  plan: {
    throughput: { mfu: number; tokensPerSecondPerChip?: number };
    band?: { low: number; high: number } | null;
  } | null;
}

/** Each row's throughput error band as multipliers on its predicted throughput (SimulationResult.band). */
export function rowThroughputBands(rows: readonly BreakEvenRow[]): Record<string, ThroughputBand> {
  const bands: Record<string, ThroughputBand> = {};
  for (const r of rows) {
    const perChip = r.plan?.throughput.tokensPerSecondPerChip;
    if (r.plan?.band && perChip)
      bands[r.chip] = { low: r.plan.band.low / perChip, high: r.plan.band.high / perChip };
  }
  return bands;
}

/** A pair's break-even, or why it has none (a chip without a plan at any size). */
export type BreakEvenOutcome =
  | ({ kind: "break-even" } & BreakEven)
  | { kind: "no-plan"; chip: string; against: string; reason: string };

/** Break-even for each pair from a comparison's rows; `bands` by chip id when the engine gives them. */
export function breakEvensFromRows(
  rows: readonly BreakEvenRow[],
  pairs: readonly BreakEvenPair[],
  bands: Readonly<Record<string, ThroughputBand>> = rowThroughputBands(rows),
): BreakEvenOutcome[] {
  return pairs.map((pair) => {
    const a = rows.find((r) => r.chip === pair.chip);
    const b = rows.find((r) => r.chip === pair.against);
    const lacking = [a, b].find((r) => !r || r.plan === null || r.chipHours === null);
    if (lacking !== undefined || !a || !b) {
      const who = lacking?.chip ?? (a ? pair.against : pair.chip);
      return { kind: "no-plan", ...pair, reason: `${who} has no plan for this run, so no break-even` };
    }
    const side = (r: BreakEvenRow): BreakEvenSide => ({
      chip: r.chip,
      chipHours: r.chipHours as number,
      usdPerChipHour: r.usdPerChipHour,
      mfu: (r.plan as { throughput: { mfu: number } }).throughput.mfu,
      band: bands[r.chip],
    });
    return { kind: "break-even", ...breakEven(side(a), side(b)) };
  });
}
