/**
 * The page's engine workers, created once. The page's entry (boot.ts) creates them before it loads the
 * rest of the page, so a worker fetches and evaluates its bundle (the engine, the catalogs and their
 * schemas: about 0.6 s on a fresh page on two cores) while the page loads its own, not after. A worker
 * that fails before the page listens for it is remembered, so the page can still say so.
 */
import { poolSize } from "./pool.js";

let workers: Worker[] | null = null;
let earlyError: string | null = null;

/** The pool's workers (poolSize: one core is left to the page), started on the first call. */
export function engineWorkers(): Worker[] {
  if (workers === null) {
    workers = Array.from(
      { length: poolSize(navigator.hardwareConcurrency) },
      () => new Worker(new URL("./worker.ts", import.meta.url), { type: "module" }),
    );
    for (const w of workers) w.addEventListener("error", (e) => (earlyError ??= e.message));
  }
  return workers;
}

/** The message of a worker error raised so far, if any (the page's own listeners may have come late). */
export function workerErrorSoFar(): string | null {
  return earlyError;
}
