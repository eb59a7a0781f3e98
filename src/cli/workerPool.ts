import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import { SearchQueue } from "./searchQueue.js";
import { fromWorkerFailure, type WorkerFailure } from "./workerMessages.js";

/** A search request that can cross a thread boundary (the chip by id). */
export type WorkerRequest = Omit<PlanSearchRequest, "chip"> & { chipId: string };

/** A worker's answer to one request: the result, or the error it threw. */
export type WorkerReply = { id: number; result: PlanSearchResult } | { id: number; error: WorkerFailure };

export interface PoolOptions {
  /** The worker script; default the bundled dist/searchWorker.js beside this file. */
  workerFile?: string;
  /** Threads to start (default one per core, at most one per request). */
  threads?: number;
}

/**
 * Runs many plan searches (a chip-count sweep) on worker threads, one per core, in the bundled
 * CLI; from source (tests, tsx) the worker bundle does not exist and the searches run in turn. Each
 * worker keeps to one chip's searches while it can (searchQueue.ts).
 * A worker that throws rejects with its error (an InputError stays one); a worker that dies
 * (out of memory, process.exit) rejects instead of leaving the sweep waiting forever.
 */
export async function runSearches(
  requests: WorkerRequest[],
  onDone?: (done: number, total: number) => void,
  options: PoolOptions = {},
): Promise<PlanSearchResult[]> {
  const workerFile = options.workerFile ?? fileURLToPath(new URL("./searchWorker.js", import.meta.url));
  const threads = Math.min(options.threads ?? availableParallelism(), requests.length);
  if (!existsSync(workerFile) || threads <= 1) return runInProcess(requests, onDone);
  const results: PlanSearchResult[] = new Array(requests.length);
  const queue = new SearchQueue(
    requests.map((r) => r.chipId),
    threads,
  );
  let done = 0;
  const workers = Array.from({ length: threads }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (w, worker) =>
          new Promise<void>((resolve, reject) => {
            let finished = false;
            const send = () => {
              const id = queue.next(worker);
              if (id === null) {
                finished = true;
                return resolve();
              }
              w.postMessage({ id, req: requests[id] });
            };
            w.on("message", (msg: WorkerReply) => {
              if ("error" in msg) return reject(fromWorkerFailure(msg.error));
              results[msg.id] = msg.result;
              onDone?.(++done, requests.length);
              send();
            });
            w.on("error", reject);
            // 'exit' follows 'error' too; then the promise is already settled and this is a no-op.
            w.on("exit", (code) => {
              if (finished) return;
              reject(
                new Error(
                  `a plan-search worker thread stopped with exit code ${code} before finishing (out of memory?)`,
                ),
              );
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

async function runInProcess(requests: WorkerRequest[], onDone?: (done: number, total: number) => void) {
  const results: PlanSearchResult[] = [];
  for (const { chipId, ...rest } of requests) {
    const chip = findChip(chipId);
    if (!chip) throw new Error(`unknown chip ${chipId}`);
    results.push(searchPlans({ ...rest, chip }, () => performance.now()));
    onDone?.(results.length, requests.length);
  }
  return results;
}
