/**
 * The engine in a Web Worker, so the page never freezes. Chips are computed one at a time and each
 * finished row is posted at once (the first answer comes in a few ms); between chips the worker
 * yields, so a newer request cancels an older one instead of queueing behind it.
 */
import { countParameters } from "../workload/parameters.js";
import { capacityFor, chipsFor, modelFor, type Row, safeRow } from "./engine.js";
import type { AppState } from "./state.js";

export interface WorkerRequest {
  id: number;
  state: AppState;
}

export type WorkerReply =
  | { id: number; type: "rows"; rows: Row[]; total: number; paramsB: number; modelName: string }
  | {
      id: number;
      type: "done";
      rows: Row[];
      capacity: ReturnType<typeof capacityFor> | null;
      capacityError: string | null;
      elapsedMs: number;
    }
  | { id: number; type: "error"; message: string };

let latest = 0;
const post = (reply: WorkerReply) => (self as unknown as Worker).postMessage(reply);
const pause = () => new Promise<void>((ok) => setTimeout(ok, 0));

/** The selected chip first: it is the one whose details the page shows. */
function ordered<T extends { id: string }>(chips: T[], selected: string): T[] {
  const first = chips.filter((c) => c.id === selected);
  return [...first, ...chips.filter((c) => c.id !== selected)];
}

async function run({ id, state }: WorkerRequest): Promise<void> {
  const t0 = performance.now();
  try {
    const model = modelFor(state);
    const params = countParameters(model).total;
    const chips = ordered(chipsFor(state), state.selected);
    const rows: Row[] = [];
    for (const chip of chips) {
      if (id !== latest) return;
      rows.push(safeRow(state, model, chip));
      post({ id, type: "rows", rows, total: chips.length, paramsB: params / 1e9, modelName: model.name });
      await pause();
    }
    if (id !== latest) return;
    let capacity = null;
    let capacityError = null;
    try {
      capacity = capacityFor(state, model);
    } catch (e) {
      capacityError = (e as Error).message;
    }
    post({ id, type: "done", rows, capacity, capacityError, elapsedMs: performance.now() - t0 });
  } catch (e) {
    post({ id, type: "error", message: (e as Error).message });
  }
}

self.addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  latest = event.data.id;
  void run(event.data);
});
