// Worker-thread entry (bundled to dist/searchWorker.js): runs one plan search per message.
import { parentPort } from "node:worker_threads";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import type { WorkerRequest } from "./workerPool.js";

parentPort?.on("message", (msg: { id: number; req: WorkerRequest }) => {
  const chip = findChip(msg.req.chipId);
  if (!chip) throw new Error(`unknown chip ${msg.req.chipId}`);
  const { chipId: _ignored, ...rest } = msg.req;
  const result = searchPlans({ ...rest, chip }, () => performance.now());
  parentPort?.postMessage({ id: msg.id, result });
});
