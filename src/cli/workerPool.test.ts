import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { toWorkerFailure } from "./workerMessages.js";
import { runSearches, type WorkerRequest } from "./workerPool.js";

/** A stand-in worker script: `body` runs for each message `msg` with `port` = parentPort. */
function fakeWorker(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "trainplan-worker-"));
  const file = join(dir, "worker.mjs");
  writeFileSync(
    file,
    `import { parentPort as port } from "node:worker_threads";\nport.on("message", (msg) => {\n${body}\n});\n`,
  );
  return file;
}

const requests = [1, 2, 3].map((chips) => ({ chipId: "h100-sxm", chips }) as unknown as WorkerRequest);

describe("runSearches on worker threads", () => {
  it("returns each result in request order", async () => {
    const workerFile = fakeWorker("port.postMessage({ id: msg.id, result: { chips: msg.req.chips } });");
    const results = await runSearches(requests, undefined, { workerFile, threads: 2 });
    expect(results).toEqual([{ chips: 1 }, { chips: 2 }, { chips: 3 }]);
  });

  it("rejects when a worker dies without answering instead of hanging", async () => {
    const workerFile = fakeWorker("process.exit(7);");
    await expect(runSearches(requests, undefined, { workerFile, threads: 2 })).rejects.toThrow(/exit code 7/);
  });

  it("rethrows a worker's InputError as an InputError (exit 2, not 1)", async () => {
    const failure = toWorkerFailure(new InputError({ field: "--chips", value: 3, allowed: "an even count" }));
    const workerFile = fakeWorker(`port.postMessage({ id: msg.id, error: ${JSON.stringify(failure)} });`);
    const e = await runSearches(requests, undefined, { workerFile, threads: 2 }).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe("Invalid --chips: got 3. An even count.");
  });

  it("rethrows any other worker error with its message", async () => {
    const workerFile = fakeWorker("throw new RangeError('kaput');");
    await expect(runSearches(requests, undefined, { workerFile, threads: 2 })).rejects.toThrow(/kaput/);
  });
});
