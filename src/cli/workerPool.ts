import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";

/** A search request that can cross a thread boundary (the chip by id). */
export type WorkerRequest = Omit<PlanSearchRequest, "chip"> & { chipId: string };

/**
 * Runs many plan searches (a chip-count sweep) on worker threads, one per core, in the bundled
 * CLI; from source (tests, tsx) the worker bundle does not exist and the searches run in turn.
 */
export async function runSearches(
  requests: WorkerRequest[],
  onDone?: (done: number, total: number) => void,
): Promise<PlanSearchResult[]> {
  const workerFile = fileURLToPath(new URL("./searchWorker.js", import.meta.url));
  const threads = Math.min(availableParallelism(), requests.length);
  if (!existsSync(workerFile) || threads <= 1) return runInProcess(requests, onDone);
  const results: PlanSearchResult[] = new Array(requests.length);
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: threads }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= requests.length) return resolve();
              const id = next++;
              w.postMessage({ id, req: requests[id] });
            };
            w.on("message", (msg: { id: number; result: PlanSearchResult }) => {
              results[msg.id] = msg.result;
              onDone?.(++done, requests.length);
              send();
            });
            w.on("error", reject);
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
