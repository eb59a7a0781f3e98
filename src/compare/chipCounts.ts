import { InputError } from "../errors.js";

/** Largest chip count tried by "auto": about the largest single training jobs published (2024-25). */
export const MAX_AUTO_CHIPS = 65_536;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** unit × 2^k from unit up to MAX_AUTO_CHIPS. */
function doublings(unit: number): number[] {
  const out: number[] = [];
  for (let n = unit; n <= MAX_AUTO_CHIPS; n *= 2) out.push(n);
  return out;
}

/**
 * Candidate chip counts. "auto": unit × 2^k up to 65,536, where unit is the chips in one rentable
 * instance (powers of two for 8- and 16-chip servers; multiples of 72 for an NVL72 rack). When the
 * unit is not a power of two (72, 144), the powers of two from the largest one below the unit are
 * tried too: global batches are powers of two, so data parallelism rarely divides 72 × 2^k, while
 * 64 × 2^k is a whole number of 4-chip trays (whole racks are not required to run a job).
 * A list: exactly those counts, sorted, duplicates dropped.
 */
export function candidateChipCounts(counts: readonly number[] | "auto", unit: number): number[] {
  if (counts !== "auto") {
    for (const n of counts) {
      if (!Number.isInteger(n) || n < 1) {
        throw new InputError({ field: "chipCounts", value: n, allowed: "whole numbers >= 1" });
      }
    }
    return [...new Set(counts)].sort((a, b) => a - b);
  }
  const start = Math.max(1, Math.floor(unit));
  const out = doublings(start);
  if (!isPowerOfTwo(start)) out.push(...doublings(2 ** Math.floor(Math.log2(start))));
  return [...new Set(out)].sort((a, b) => a - b);
}

/** Counts for a range A..B: A, every unit × 2^k (and power of two, see above) strictly between, and B. */
export function countsInRange(min: number, max: number, unit: number): number[] {
  const inside = candidateChipCounts("auto", unit).filter((n) => n > min && n < max);
  return [...new Set([min, ...inside, max])].sort((a, b) => a - b);
}
