import { type PreparedRun, prepareRun } from "../engine/run.js";
import type { SearchFilter } from "./constraintFilter.js";
import type { MicroBatchCache } from "./lowerBound.js";
import type { PlanSearchRequest } from "./types.js";

/**
 * The prepared runs of recent searches, each with its micro-batch costs (lowerBound.ts), so the
 * searches of one run at many chip counts (a sweep, a comparison, the web app's table and capacity
 * view) prepare it once and share the costs. A run is keyed by everything prepareRun reads, in full,
 * so a changed model, chip, stack or profile file is a new run.
 */

export interface SearchRun {
  run: PreparedRun;
  microBatches: MicroBatchCache;
  /** The least floors of each (tp, cp) pair (boundedSearch.ts), by pair, batch and allowed shapes. */
  pairFloors: Map<string, Float64Array>;
  /** Whether any plan fits at a rank count (fitsKnown), by filter, then batch, precisions and stack. */
  fits: WeakMap<SearchFilter, Map<string, FitsByRanks>>;
}

/** Whether any plan fits, by rank count: what a search found (feasible > 0) or the first-fit probe did. */
export type FitsByRanks = Map<number, boolean>;

/** Runs kept: a comparison's chips (15) and a few more. Oldest dropped first. */
const KEPT = 24;
const runs = new Map<string, SearchRun>();

function runKey(req: PlanSearchRequest): string {
  return JSON.stringify([
    req.model,
    req.chip,
    req.unit,
    req.neuronCoresPerChip,
    req.seqLen,
    req.software,
    req.attentionKernel,
    req.gradientReduce,
    req.profiles,
  ]);
}

/** The prepared run of a search request, from the cache when the same run was searched recently. */
export function searchRun(req: PlanSearchRequest): SearchRun {
  const key = runKey(req);
  const hit = runs.get(key);
  if (hit !== undefined) {
    // Most recently used last, so the oldest is dropped first.
    runs.delete(key);
    runs.set(key, hit);
    return hit;
  }
  const fresh = {
    run: prepareRun(req, { profiles: req.profiles }),
    microBatches: new Map(),
    pairFloors: new Map(),
    fits: new WeakMap(),
  };
  if (runs.size >= KEPT) runs.delete(runs.keys().next().value as string);
  runs.set(key, fresh);
  return fresh;
}

/**
 * What is known of which rank counts fit, for searches of `run` under `filter` and the rest of what
 * decides a fit (`setting`: the batch, the precisions tried, ZeRO with pipelining). A comparison
 * searches a chip at many counts and, at each where nothing fits, looks for the smallest count on its
 * doubling chain that fits (searchPlans.ts): the counts it searched answer those probes, and the
 * probes answer each other, where each was a search of its own.
 */
export function fitsKnown(run: SearchRun, filter: SearchFilter, setting: string): FitsByRanks {
  let bySetting = run.fits.get(filter);
  if (bySetting === undefined) {
    bySetting = new Map();
    run.fits.set(filter, bySetting);
  }
  let known = bySetting.get(setting);
  if (known === undefined) {
    known = new Map();
    bySetting.set(setting, known);
  }
  return known;
}

/** Forgets every kept run (a benchmark's cold start; nothing else needs it). */
export function clearSearchRuns(): void {
  runs.clear();
}
