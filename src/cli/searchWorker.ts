// Worker-thread entry (bundled to dist/searchWorker.js): runs one plan search per message.
import { parentPort } from "node:worker_threads";
import { toWorkerFailure } from "./workerMessages.js";
import { searchInProcess, type WorkerReply, type WorkerRequest } from "./workerPool.js";

parentPort?.on("message", (msg: { id: number; req: WorkerRequest }) => {
  let reply: WorkerReply;
  try {
    reply = { id: msg.id, result: searchInProcess(msg.req) };
  } catch (e) {
    // Thrown here it would surface as a bare 'error' event without its class; post it instead.
    reply = { id: msg.id, error: toWorkerFailure(e) };
  }
  parentPort?.postMessage(reply);
});
