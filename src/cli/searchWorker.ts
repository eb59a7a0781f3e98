// Worker-thread entry (bundled to dist/searchWorker.js): runs one plan search per message.
import { parentPort } from "node:worker_threads";
import { findChip } from "../hardware/catalog.js";
import { searchPlans } from "../search/searchPlans.js";
import { toWorkerFailure } from "./workerMessages.js";
import type { WorkerReply, WorkerRequest } from "./workerPool.js";

parentPort?.on("message", (msg: { id: number; req: WorkerRequest }) => {
  let reply: WorkerReply;
  try {
    const chip = findChip(msg.req.chipId);
    if (!chip) throw new Error(`unknown chip ${msg.req.chipId}`);
    const { chipId: _ignored, ...rest } = msg.req;
    reply = { id: msg.id, result: searchPlans({ ...rest, chip }, () => performance.now()) };
  } catch (e) {
    // Thrown here it would surface as a bare 'error' event without its class; post it instead.
    reply = { id: msg.id, error: toWorkerFailure(e) };
  }
  parentPort?.postMessage(reply);
});
