import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { registerPrestartedWorkers, takePrestartedWorker } from "./prestartedWorkers.js";

const idle = () => new Worker("setInterval(() => {}, 1000);", { eval: true });
const started: Worker[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
  registerPrestartedWorkers({ file: "", workers: [] });
});

describe("workers started by the launcher", () => {
  it("are handed to the pool once each, for their own worker file only", () => {
    const a = idle();
    const b = idle();
    started.push(a, b);
    registerPrestartedWorkers({ file: "/dist/searchWorker.js", workers: [a, b] });
    expect(takePrestartedWorker("/elsewhere/searchWorker.js")).toBeNull();
    expect(takePrestartedWorker("/dist/searchWorker.js")).toBe(a);
    expect(takePrestartedWorker("/dist/searchWorker.js")).toBe(b);
    expect(takePrestartedWorker("/dist/searchWorker.js")).toBeNull();
  });

  it("skip a worker that has already exited (a failed load), so the pool starts a fresh one", async () => {
    const dead = new Worker("process.exit(3)", { eval: true });
    await new Promise((resolve) => dead.once("exit", resolve));
    const live = idle();
    started.push(live);
    registerPrestartedWorkers({ file: "/dist/searchWorker.js", workers: [dead, live] });
    expect(takePrestartedWorker("/dist/searchWorker.js")).toBe(live);
  });
});
