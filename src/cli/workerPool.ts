import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "../search/types.js";
import { takePrestartedWorker } from "./prestartedWorkers.js";
import { SearchQueue } from "./searchQueue.js";
import { fromWorkerFailure, type WorkerFailure } from "./workerMessages.js";

/**
 * Half V8's default budget for inlining into one optimized function (920 bytes of bytecode), for this
 * process and its workers, set before any search runs. A comparison is short and runs on code the JIT
 * has just met: its optimizing compiler re-compiled large, deeply inlined functions as each new chip
 * changed their inputs' shapes, and compiling was about a third of all the instructions. With half the
 * budget a comparison over every chip took 7.5% fewer instructions (callgrind, DeepSeek-V3, one
 * thread) and an exhaustive search about as many (-0.6%). Set only on the V8 versions known to have
 * the flag (an unknown one is reported on stderr).
 */
const V8_MAJOR = Number(process.versions.v8.split(".")[0]);
if (V8_MAJOR >= 7 && V8_MAJOR <= 13) setFlagsFromString("--max-inlined-bytecode-size-cumulative=460");

/** A search request that can cross a thread boundary (the chip by id). */
export type WorkerRequest = Omit<PlanSearchRequest, "chip"> & { chipId: string };

/** A worker's answer to one request: the result, or the error it threw. */
export type WorkerReply = { id: number; result: PlanSearchResult } | { id: number; error: WorkerFailure };

export interface PoolOptions {
  /** The worker script; default the bundled dist/searchWorker.js beside this file. */
  workerFile?: string;
  /** Threads searching, the main thread included (default one per core, at most one per request). */
  threads?: number;
  /** How the main thread runs its share (default searchInProcess; tests give a stand-in). */
  searchHere?: (request: WorkerRequest) => PlanSearchResult;
}

/**
 * Requests a worker holds at once: one running and one waiting, so that it does not sit idle while
 * the main thread, busy with a search of its own, cannot yet hand it the next.
 */
const IN_FLIGHT = 2;

/**
 * Runs many plan searches (a chip-count sweep, a comparison) on every core: the main thread searches
 * too, beside one worker thread per other core, in the bundled CLI; from source (tests, tsx) the
 * worker bundle does not exist and the searches run in turn. Each thread keeps to one chip's
 * searches while it can (searchQueue.ts). Each worker loads the whole engine and compiles it anew,
 * so a worker for the main thread's core too (the main thread only handing out requests) cost a
 * third start-up and warm-up on two cores, and about 1 CPU-second on a comparison of every chip.
 * A worker that throws rejects with its error (an InputError stays one); a worker that dies
 * (out of memory, process.exit) rejects instead of leaving the sweep waiting forever.
 */
export async function runSearches(
  requests: WorkerRequest[],
  onDone?: (done: number, total: number) => void,
  options: PoolOptions = {},
): Promise<PlanSearchResult[]> {
  const workerFile = options.workerFile ?? fileURLToPath(new URL("./searchWorker.js", import.meta.url));
  const searchHere = options.searchHere ?? searchInProcess;
  const threads = Math.min(options.threads ?? availableParallelism(), requests.length);
  if (!existsSync(workerFile) || threads <= 1) return runInProcess(requests, searchHere, onDone);
  const results: PlanSearchResult[] = new Array(requests.length);
  const queue = new SearchQueue(
    requests.map((r) => r.chipId),
    threads,
  );
  let done = 0;
  const finish = (id: number, result: PlanSearchResult) => {
    results[id] = result;
    onDone?.(++done, requests.length);
  };
  let stopped = false;
  // Threads 0 .. threads - 2 are workers; the main thread asks the queue as the last.
  const workers = Array.from(
    { length: threads - 1 },
    () => takePrestartedWorker(workerFile) ?? new Worker(workerFile),
  );
  try {
    await Promise.all([
      ...workers.map((w, worker) => feedWorker(w, () => queue.next(worker), requests, finish)),
      searchOnMainThread(
        () => (stopped ? null : queue.next(threads - 1)),
        (id) => finish(id, searchHere(requests[id])),
      ),
    ]);
  } finally {
    stopped = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/** Keeps worker `w` busy with the requests `next` hands out until none is left. */
function feedWorker(
  w: Worker,
  next: () => number | null,
  requests: WorkerRequest[],
  finish: (id: number, result: PlanSearchResult) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let finished = false;
    const send = () => {
      while (inFlight < IN_FLIGHT) {
        const id = next();
        if (id === null) break;
        w.postMessage({ id, req: requests[id] });
        inFlight++;
      }
      if (inFlight === 0) {
        finished = true;
        resolve();
      }
    };
    w.on("message", (msg: WorkerReply) => {
      inFlight--;
      if ("error" in msg) return reject(fromWorkerFailure(msg.error));
      finish(msg.id, msg.result);
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
  });
}

/**
 * The main thread's share: one search at a time, yielding between them so that the workers' replies
 * are read and each worker gets its next request.
 */
async function searchOnMainThread(next: () => number | null, search: (id: number) => void): Promise<void> {
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const id = next();
    if (id === null) return;
    search(id);
  }
}

/** One request searched in this thread. */
export function searchInProcess({ chipId, ...rest }: WorkerRequest): PlanSearchResult {
  const chip = findChip(chipId);
  if (!chip) throw new Error(`unknown chip ${chipId}`);
  return searchPlans({ ...rest, chip }, () => performance.now());
}

function runInProcess(
  requests: WorkerRequest[],
  search: (request: WorkerRequest) => PlanSearchResult,
  onDone?: (done: number, total: number) => void,
): PlanSearchResult[] {
  const results: PlanSearchResult[] = [];
  for (const request of requests) {
    results.push(search(request));
    onDone?.(results.length, requests.length);
  }
  return results;
}
