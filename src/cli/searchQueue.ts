/**
 * The order in which the worker pool hands out searches: each worker keeps to one key (a chip) while
 * that key has searches left, then takes a key no worker has started, and only when none is left
 * helps with the longest queue, from its far end. A worker's plan searches share what one run
 * prepares (src/search/searchRuns.ts: the prepared run and its micro-batch costs), so a chip's counts
 * on one worker prepare it once, where dealing them out in turn prepared every chip on every worker.
 */
export class SearchQueue {
  private readonly queues = new Map<string, number[]>();
  private readonly started = new Set<string>();
  private readonly current: (string | null)[];

  /** `keys[i]` is the key of request i; `workers` the number of workers asking. */
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
    if (mine && mine.length > 0) return mine.shift() as number;
    for (const [key, queue] of this.queues) {
      if (this.started.has(key) || queue.length === 0) continue;
      this.started.add(key);
      this.current[worker] = key;
      return queue.shift() as number;
    }
    let longest: number[] | null = null;
    for (const queue of this.queues.values()) if (queue.length > (longest?.length ?? 0)) longest = queue;
    return longest ? (longest.pop() as number) : null;
  }
}
