import type { Worker } from "node:worker_threads";

/**
 * Search workers the launcher (bin/trainplan.js) starts before it loads the CLI bundle, for the
 * commands that always search on several threads: a worker then loads and parses the engine while the
 * main thread loads the CLI (about 0.3 s each), instead of after it. They are left unreferenced until
 * the pool takes them, so one never taken does not keep the process alive.
 */
export interface PrestartedWorkers {
  file: string;
  workers: Worker[];
}

const KEY = Symbol.for("trainplan.prestartedWorkers");

/** Registers workers started on `file` (the launcher's side). */
export function registerPrestartedWorkers(entry: PrestartedWorkers): void {
  (globalThis as Record<symbol, unknown>)[KEY] = entry;
}

/** One of the workers started early on `file` that is still running, taken by the caller, or null. */
export function takePrestartedWorker(file: string): Worker | null {
  const entry = (globalThis as Record<symbol, unknown>)[KEY] as PrestartedWorkers | undefined;
  if (!entry || entry.file !== file) return null;
  for (;;) {
    const w = entry.workers.shift();
    if (!w) return null;
    // threadId is -1 once a worker has exited (a failed load): start a fresh one instead.
    if (w.threadId === -1) continue;
    w.ref();
    return w;
  }
}
