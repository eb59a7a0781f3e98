import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import type { PlanSearchResult } from "../search/types.js";
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

/** A stand-in for the main thread's own searches: the request's count, marked as searched here. */
const searchHere = (req: WorkerRequest) => ({ chips: req.chips, here: true }) as unknown as PlanSearchResult;

describe("runSearches on worker threads", () => {
  it("returns each result in request order", async () => {
    const workerFile = fakeWorker("port.postMessage({ id: msg.id, result: { chips: msg.req.chips } });");
    const results = await runSearches(requests, undefined, { workerFile, threads: 2, searchHere });
    expect(results.map((r) => (r as unknown as { chips: number }).chips)).toEqual([1, 2, 3]);
  });

  it("searches on the main thread too, beside one worker per other thread", async () => {
    // A slow stand-in worker, so the main thread takes some of the requests whatever the machine's load.
    const workerFile = fakeWorker(
      "setTimeout(() => port.postMessage({ id: msg.id, result: { chips: msg.req.chips } }), 200);",
    );
    const many = Array.from(
      { length: 12 },
      (_, i) => ({ chipId: `chip-${i % 3}`, chips: i + 1 }) as WorkerRequest,
    );
    const done: number[] = [];
    const results = await runSearches(many, (n) => done.push(n), { workerFile, threads: 2, searchHere });
    const here = results.filter((r) => (r as unknown as { here?: boolean }).here === true).length;
    expect(here).toBeGreaterThan(0);
    expect(here).toBeLessThan(many.length);
    expect(results.map((r) => (r as unknown as { chips: number }).chips)).toEqual(many.map((r) => r.chips));
    expect(done).toEqual(many.map((_, i) => i + 1));
  });

  it("rethrows an error of a search on the main thread, and stops its workers", async () => {
    const workerFile = fakeWorker(
      "setTimeout(() => port.postMessage({ id: msg.id, result: { chips: msg.req.chips } }), 200);",
    );
    const refuse = () => {
      throw new InputError({ field: "--chips", value: 3, allowed: "an even count" });
    };
    const e = await runSearches(requests, undefined, { workerFile, threads: 2, searchHere: refuse }).catch(
      (x) => x,
    );
    expect(e).toBeInstanceOf(InputError);
  });

  it("rejects when a worker dies without answering instead of hanging", async () => {
    const workerFile = fakeWorker("process.exit(7);");
    await expect(runSearches(requests, undefined, { workerFile, threads: 2, searchHere })).rejects.toThrow(
      /exit code 7/,
    );
  });

  it("rethrows a worker's InputError as an InputError (exit 2, not 1)", async () => {
    const failure = toWorkerFailure(new InputError({ field: "--chips", value: 3, allowed: "an even count" }));
    const workerFile = fakeWorker(`port.postMessage({ id: msg.id, error: ${JSON.stringify(failure)} });`);
    const e = await runSearches(requests, undefined, { workerFile, threads: 2, searchHere }).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe("Invalid --chips: got 3. An even count.");
  });

  it("rethrows any other worker error with its message", async () => {
    const workerFile = fakeWorker("throw new RangeError('kaput');");
    await expect(runSearches(requests, undefined, { workerFile, threads: 2, searchHere })).rejects.toThrow(
      /kaput/,
    );
  });
});
