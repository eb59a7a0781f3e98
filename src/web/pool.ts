/**
 * How the page splits a comparison across its pool of engine workers. Pure, so Node tests it.
 * The split is stable for a given chip selection (dealt in catalog order), so each chip goes to the
 * same worker from one request to the next and that worker's plan-search cache answers repeats.
 */

/** The most workers the page starts: beyond four, 14 chips leave little to share out. */
export const MAX_WORKERS = 4;

/** One core is left to the page itself: min(cores - 1, 4), at least 1. */
export function poolSize(hardwareConcurrency: number | undefined): number {
  const cores = Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency as number) : 1;
  return Math.max(1, Math.min(cores - 1, MAX_WORKERS));
}

export interface Share {
  chips: string[];
  capacity: boolean;
}

/**
 * Deals `chips` (catalog order) round-robin over `workers`; within a share the selected chip comes
 * first (its details are shown). The capacity view, the longest single task, goes to the worker with
 * the fewest chips (the last of those, which the deal leaves shortest).
 */
export function splitChips(chips: readonly string[], selected: string, workers: number): Share[] {
  const n = Math.max(1, Math.floor(workers));
  const shares: Share[] = Array.from({ length: n }, () => ({ chips: [], capacity: false }));
  chips.forEach((chip, i) => {
    shares[i % n].chips.push(chip);
  });
  for (const share of shares) {
    const at = share.chips.indexOf(selected);
    if (at > 0) share.chips.unshift(...share.chips.splice(at, 1));
  }
  let lightest = 0;
  shares.forEach((s, i) => {
    if (s.chips.length <= shares[lightest].chips.length) lightest = i;
  });
  shares[lightest].capacity = true;
  return shares;
}
