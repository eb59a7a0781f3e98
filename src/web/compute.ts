/**
 * The page's side of the engine workers: a small pool (pool.ts splits the chips across it) that
 * gets each new state, and the rows it sends back gathered into the store in the table's order.
 * A newer request makes every older answer stale; stale answers are dropped.
 */

import { chips as catalogChips } from "../hardware/catalog.js";
import { defaultComparisonChips } from "../hardware/profiles.js";
import { $ } from "./dom.js";
import type { Row } from "./engine.js";
import { engineWorkers, workerErrorSoFar } from "./engineWorkers.js";
import { fmt } from "./format.js";
import { splitChips } from "./pool.js";
import { setBusy } from "./status.js";
import { store } from "./store.js";
import type { WorkerReply, WorkerRequest } from "./worker.js";

/** What the page draws: the table as each row arrives, everything once every worker is done. */
export interface Views {
  onRow(): void;
  onDone(): void;
}

let pool: Worker[] = [];
let views: Views;
let requestId = 0;

/** The request in flight: rows as they arrive (by chip id), their order, and the workers yet to finish. */
let order: string[] = [];
let arrived = new Map<string, Row>();
let pending = 0;

/** Milliseconds from sending the request to the first row and to the whole table. */
let sentAt = 0;
let firstAt = 0;
let tableAt = 0;

/** The id of the latest request; results drawn for an older one are out of date. */
export function latestRequest(): number {
  return requestId;
}

/**
 * Listens to the pool of engine workers (engineWorkers.ts, started by the page's entry): with one
 * worker the 14 chips ran one after another. One core is left to the page (poolSize).
 */
export function startWorkers(draw: Views): void {
  views = draw;
  pool = engineWorkers();
  const failed = (message: string) => {
    pending = 0;
    setBusy(false, `Worker error: ${message}`);
  };
  for (const worker of pool) {
    worker.addEventListener("message", onReply);
    worker.addEventListener("error", (e) => failed(e.message));
  }
  const early = workerErrorSoFar();
  if (early !== null) queueMicrotask(() => failed(early));
}

/** Makes every answer in flight stale (a refused field means nothing is to be computed). */
export function cancel(): void {
  requestId++;
  pending = 0;
  order = [];
  arrived = new Map();
}

/** Sends the store's state to every worker, each with its share of the chips. */
export function request(): void {
  const { state } = store;
  requestId++;
  sentAt = performance.now();
  firstAt = 0;
  tableAt = 0;
  const defaults = new Set(defaultComparisonChips(catalogChips).map((c) => c.id));
  const ids = catalogChips
    .filter((c) => (state.chipIds.length === 0 ? defaults.has(c.id) : state.chipIds.includes(c.id)))
    .map((c) => c.id);
  // The selected chip first, then catalog order: the table keeps this order however the rows arrive.
  order = [...ids.filter((id) => id === state.selected), ...ids.filter((id) => id !== state.selected)];
  arrived = new Map();
  pending = pool.length;
  setBusy(true, "Computing…");
  // Every worker gets the new id, even with no chips to compute, so it drops any older sweep.
  splitChips(ids, state.selected, pool.length).forEach((share, i) => {
    pool[i].postMessage({ id: requestId, state, ...share } satisfies WorkerRequest);
  });
}

function onReply(event: MessageEvent<WorkerReply>): void {
  const reply = event.data;
  if (reply.id !== requestId || pending === 0) return;
  if (reply.type === "error") {
    pending = 0;
    setBusy(false, `Error: ${reply.message}`);
    return;
  }
  if (reply.type === "row") {
    if (arrived.size === 0) firstAt = performance.now() - sentAt;
    arrived.set(reply.row.chip, reply.row);
    store.rows = order.flatMap((id) => arrived.get(id) ?? []);
    if (store.rows.length === order.length) tableAt = performance.now() - sentAt;
    setBusy(
      true,
      `Computing… ${store.rows.length} of ${order.length} chips (${reply.modelName}, ${fmt(reply.paramsB, 1)}B parameters)`,
    );
    views.onRow();
    return;
  }
  if (reply.capacity) {
    store.capacity = reply.capacity.result;
    store.capacityError = reply.capacity.error;
  }
  if (--pending > 0) return;
  // A view that throws must not leave the page saying "Computing…" forever: say what failed.
  try {
    views.onDone();
  } catch (e) {
    setBusy(false, `Error drawing the results: ${(e as Error).message}`);
    return;
  }
  reportTimings();
}

/** The request's timings, in words on the status line and as data attributes. */
function reportTimings(): void {
  const doneAt = performance.now() - sentAt;
  setBusy(
    false,
    `First chip in ${fmt(firstAt, 0)} ms, all ${store.rows.length} in ${fmt(tableAt, 0)} ms, capacity by ${fmt(doneAt, 0)} ms (${pool.length} worker${pool.length > 1 ? "s" : ""})`,
  );
  // The same figures for tests and tools, without parsing the sentence; and, since the page began to
  // load (its time origin), when the first row and the table came: on a fresh page that includes the
  // workers' and the page's own loading, which the figures from the request leave out.
  Object.assign($("status").dataset, {
    firstMs: firstAt.toFixed(0),
    tableMs: tableAt.toFixed(0),
    pageFirstMs: (sentAt + firstAt).toFixed(0),
    pageTableMs: (sentAt + tableAt).toFixed(0),
    doneMs: doneAt.toFixed(0),
    workers: String(pool.length),
  });
}
