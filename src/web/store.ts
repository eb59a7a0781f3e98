/**
 * The page's one mutable record: the state its controls show, mirrored in the URL, and the results
 * the workers last sent for it. Views read it; main.ts (the state) and compute.ts (the results)
 * write it.
 */

import type { Row } from "./engine.js";
import { type AppState, decodeState, encodeState } from "./state.js";
import type { Capacity } from "./worker.js";

export interface Store {
  state: AppState;
  /** One row per compared chip, in the table's order. */
  rows: Row[];
  capacity: Capacity | null;
  /** Why the capacity view has no result, when it has none. */
  capacityError: string | null;
  /** Fields whose value was refused, by control name, with the message shown beside each; nothing is computed while any is. */
  fieldErrors: Record<string, string>;
  /** What the page's link held that was ignored, and why (shown once above the results). */
  ignored: string[];
}

const fromLink = decodeState(location.search);

export const store: Store = {
  state: fromLink.state,
  rows: [],
  capacity: null,
  capacityError: null,
  fieldErrors: {},
  ignored: fromLink.ignored,
};

/** Writes the state into the address bar (no history entry); the default state is the bare path. */
export function writeUrl(): void {
  const query = encodeState(store.state);
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

/** The row whose plan is shown in detail: the chosen chip's, else the cheapest that has a plan. */
export function selectedRow(): Row | undefined {
  const usable = store.rows.filter((r) => r.plan);
  return (
    usable.find((r) => r.chip === store.state.selected) ??
    [...usable].sort(
      (a, b) => (a.costUsd ?? Number.POSITIVE_INFINITY) - (b.costUsd ?? Number.POSITIVE_INFINITY),
    )[0]
  );
}
