/**
 * The order in which the worker pool hands out searches: each thread keeps to one key (a chip) while
 * that key has searches left, then takes a key no thread has started, and only when none is left
 * helps with the longest queue, from its far end. A thread's plan searches share what one run
 * prepares (src/search/searchRuns.ts: the prepared run and its micro-batch costs), so a chip's counts
 * on one thread prepare it once, where dealing them out in turn prepared every chip on every thread.
 * A key's requests go last first: requests come in ascending chip counts, and a search where nothing
 * fits looks for the smallest count above it that fits, which the larger counts' searches, done first,
 * have already answered (searchRuns.ts fitsKnown).
 */
export class SearchQueue {
  private readonly queues = new Map<string, number[]>();
  private readonly started = new Set<string>();
  private readonly current: (string | null)[];

  /** `keys[i]` is the key of request i; `workers` the number of threads asking. */
  constructor(keys: readonly string[], workers: number) {
    keys.forEach((key, i) => {
      const queue = this.queues.get(key);
      if (queue) queue.push(i);
      else this.queues.set(key, [i]);
    });
    this.current = new Array(workers).fill(null);
  }

  /** The next request for `worker` to run, or null when every request has been handed out. */
  next(worker: number): number | null {
    const own = this.current[worker];
    const mine = own === null ? undefined : this.queues.get(own);
    if (mine && mine.length > 0) return mine.pop() as number;
    for (const [key, queue] of this.queues) {
      if (this.started.has(key) || queue.length === 0) continue;
      this.started.add(key);
      this.current[worker] = key;
      return queue.pop() as number;
    }
    let longest: number[] | null = null;
    for (const queue of this.queues.values()) if (queue.length > (longest?.length ?? 0)) longest = queue;
    return longest ? (longest.shift() as number) : null;
  }
}
