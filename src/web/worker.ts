/**
 * One engine worker of the page's pool (pool.ts), so the page never freezes. Each request names this
 * worker's share of the chips; they are computed one at a time and each finished row is posted at
 * once. Between chips the worker yields, so a newer request cancels an older one instead of queueing
 * behind it. Plan searches are remembered per worker (engine.ts), and the pool always gives a chip to
 * the same worker for the same chip selection, so a repeated input hits the cache.
 */
import { chips as catalogChips } from "../hardware/catalog.js";
import { countParameters } from "../workload/parameters.js";
import { capacityFor, modelFor, type Row, safeRow } from "./engine.js";
import type { AppState } from "./state.js";
import { warmUp } from "./warmUp.js";

export interface WorkerRequest {
  id: number;
  state: AppState;
  /** This worker's chips, in the order to compute them. */
  chips: string[];
  /** Whether this worker also computes the capacity view (one worker per request does). */
  capacity: boolean;
}

export type Capacity = ReturnType<typeof capacityFor>;

export type WorkerReply =
  | { id: number; type: "row"; row: Row; paramsB: number; modelName: string }
  | {
      id: number;
      type: "done";
      /** Present only from the worker that computed the capacity view. */
      capacity?: { result: Capacity | null; error: string | null };
      elapsedMs: number;
    }
  | { id: number; type: "error"; message: string };

let latest = 0;
const post = (reply: WorkerReply) => (self as unknown as Worker).postMessage(reply);
const pause = () => new Promise<void>((ok) => setTimeout(ok, 0));

function capacityOf(
  state: AppState,
  model: ReturnType<typeof modelFor>,
): { result: Capacity | null; error: string | null } {
  try {
    return { result: capacityFor(state, model), error: null };
  } catch (e) {
    return { result: null, error: (e as Error).message };
  }
}

async function run({ id, state, chips, capacity }: WorkerRequest): Promise<void> {
  const t0 = performance.now();
  try {
    const model = modelFor(state);
    const paramsB = countParameters(model).total / 1e9;
    for (const chipId of chips) {
      if (id !== latest) return;
      const chip = catalogChips.find((c) => c.id === chipId);
      if (!chip) continue;
      post({ id, type: "row", row: safeRow(state, model, chip), paramsB, modelName: model.name });
      await pause();
    }
    if (id !== latest) return;
    post({
      id,
      type: "done",
      ...(capacity ? { capacity: capacityOf(state, model) } : {}),
      elapsedMs: performance.now() - t0,
    });
  } catch (e) {
    post({ id, type: "error", message: (e as Error).message });
  }
  // Idle until the next request: compile the other models' code paths meanwhile (warmUp.ts).
  await pause();
  await warmUp(() => id === latest, pause);
}

self.addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  latest = event.data.id;
  void run(event.data);
});
