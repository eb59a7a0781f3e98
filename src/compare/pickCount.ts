import { RUN_DEFAULTS } from "../plan/runDefaults.js";
import { formatCount, formatUsd } from "../report/format.js";

/** One chip count that has a plan, with its economics. */
export interface CountOutcome {
  chips: number;
  days: number;
  /** Null when the chip has no price; chip-hours then rank the sizes (same order at a fixed price). */
  costUsd: number | null;
  chipHours: number;
}

export interface PickConstraints {
  deadlineDays?: number;
  budgetUsd?: number;
  /** Longest run considered without a deadline; default 120 days. */
  maxDays?: number;
}

export interface Pick {
  index: number;
  /** False when no size meets the deadline and budget: the closest miss is returned. */
  meetsConstraints: boolean;
  reason: string;
}

/** Without a deadline, runs longer than this are not considered (about the longest published pre-training). */
export const DEFAULT_MAX_DAYS = RUN_DEFAULTS.maxDays;
/** Sizes within 1% of the cheapest cost count as tied; the faster wins. */
const TIE = 0.01;

function spend(o: CountOutcome): number {
  return o.costUsd ?? o.chipHours;
}

function cheapest(list: readonly { o: CountOutcome; i: number }[]): { o: CountOutcome; i: number } {
  const min = Math.min(...list.map((c) => spend(c.o)));
  const near = list.filter((c) => spend(c.o) <= min * (1 + TIE));
  return near.reduce((a, b) => (b.o.days < a.o.days ? b : a));
}

function fastest(list: readonly { o: CountOutcome; i: number }[]): { o: CountOutcome; i: number } {
  return list.reduce((a, b) => (b.o.days < a.o.days ? b : a));
}

function sizes(n: number): string {
  return `${n} size${n === 1 ? "" : "s"}`;
}

function days(d: number): string {
  if (Number.isInteger(d)) return String(d);
  return d >= 100 ? d.toFixed(0) : d.toFixed(1);
}

/**
 * Picks the chip count for one chip (docs/compare.md "How the chip count is chosen"):
 * - the cheapest size that meets the deadline (if given) and the budget (if given, and the chip is priced);
 * - with no deadline, the cheapest size that finishes within `maxDays` (120);
 * - ties within 1% of the cheapest go to the faster size.
 * When nothing qualifies, the closest miss (fastest for a deadline, cheapest for a budget) is returned
 * with meetsConstraints = false and a reason that says why.
 */
export function pickCount(outcomes: readonly CountOutcome[], constraints: PickConstraints = {}): Pick {
  if (outcomes.length === 0) throw new Error("pickCount needs at least one outcome");
  const all = outcomes.map((o, i) => ({ o, i }));
  const priced = outcomes.every((o) => o.costUsd !== null);
  const { deadlineDays, budgetUsd } = constraints;
  const maxDays = deadlineDays ?? constraints.maxDays ?? DEFAULT_MAX_DAYS;
  const inTime = all.filter((c) => c.o.days <= maxDays);
  if (inTime.length === 0) {
    const f = fastest(all);
    const what =
      deadlineDays !== undefined
        ? `cannot meet the ${days(deadlineDays)}-day deadline`
        : `no size finishes within ${maxDays} days`;
    return {
      index: f.i,
      meetsConstraints: deadlineDays === undefined && budgetUsd === undefined,
      reason: `${what}: the fastest of ${sizes(all.length)} takes ${days(f.o.days)} days on ${formatCount(f.o.chips)} chips`,
    };
  }
  const deadlineText =
    deadlineDays !== undefined
      ? `the ${days(deadlineDays)}-day deadline`
      : `${maxDays} days (no deadline given)`;
  if (budgetUsd !== undefined && priced) {
    const inBudget = inTime.filter((c) => (c.o.costUsd as number) <= budgetUsd);
    if (inBudget.length === 0) {
      const c = cheapest(inTime);
      return {
        index: c.i,
        meetsConstraints: false,
        reason: `cannot meet the ${formatUsd(budgetUsd)} budget within ${deadlineText}: the cheapest of ${sizes(inTime.length)} costs ${formatUsd(c.o.costUsd)}`,
      };
    }
    const c = cheapest(inBudget);
    return {
      index: c.i,
      meetsConstraints: true,
      reason: `cheapest of ${sizes(inBudget.length)} meeting ${deadlineText} and the ${formatUsd(budgetUsd)} budget`,
    };
  }
  const c = cheapest(inTime);
  const unchecked = budgetUsd !== undefined ? "; budget not checked (no price)" : "";
  const by = priced ? "cheapest" : "fewest chip-hours";
  const verb = deadlineDays !== undefined ? "meeting" : "finishing within";
  return {
    index: c.i,
    meetsConstraints: true,
    reason: `${by} of ${sizes(inTime.length)} ${verb} ${deadlineText}${unchecked}`,
  };
}
