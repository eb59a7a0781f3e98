#!/usr/bin/env node
// Thin launcher for the CLI bundled in dist/cli.js. The package ships dist/ (built by `prepack`); a git
// checkout has none until `npm run build`, so the first run there builds it (its log on stderr).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

const cli = new URL("../dist/cli.js", import.meta.url);
const buildScript = new URL("../scripts/build.mjs", import.meta.url);
if (!existsSync(cli) && existsSync(buildScript)) {
  execFileSync(process.execPath, [fileURLToPath(buildScript)], { stdio: ["ignore", 2, 2] });
}
prestartSearchWorkers();
const { main } = await import(cli.href);

// A closed pipe (`trainplan ... | head`) is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}
process.exitCode = await main(process.argv.slice(2));

/**
 * The commands that always search on several threads start their workers now, so that each loads the
 * engine while this thread loads the CLI bundle (about 0.3 s each), and leave them for the CLI's pool
 * (src/cli/prestartedWorkers.ts, under the same key). Unreferenced until taken: an unused one does not
 * keep the process alive.
 */
function prestartSearchWorkers() {
  const workerFile = fileURLToPath(new URL("../dist/searchWorker.js", import.meta.url));
  const command = process.argv[2];
  if ((command !== "compare" && command !== "capacity") || !existsSync(workerFile)) return;
  const workers = Array.from({ length: Math.max(0, availableParallelism() - 1) }, () => {
    const w = new Worker(workerFile);
    // A worker that fails to load before it is taken is skipped by the pool (it starts another).
    w.on("error", () => {});
    w.unref();
    return w;
  });
  globalThis[Symbol.for("trainplan.prestartedWorkers")] = { file: workerFile, workers };
}
