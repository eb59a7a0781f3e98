// `npm run bench` (after `npm run build`): the speed targets of issue 12, measured here, each with the
// machine it ran on. Figures go in docs/performance.md; tests never hold a time.
//  1. The standard plan searches, bounded (the default) against exhaustive in the same process: cold
//     (first search, JIT warm-up included) and best-of-3 warm, with the memory checks actually made.
//  2. Whole CLI processes (node bin/trainplan.js ...): the median of 3 wall times; target under 2 s.
//  3. The web app in Chromium (headless, /usr/bin/chromium or CHROMIUM_PATH): for every model preset,
//     the time from the change to the first row and to the whole table, as the page measures them
//     (src/web/compute.ts); targets 200 ms and 1 s.
// `npm run bench -- searches|cli|web` runs one part.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { chromium } from "playwright-core";
import { findWebRoot, startStaticServer } from "../src/cli/commands/web.js";
import { findChip } from "../src/hardware/catalog.js";
import { searchPlans } from "../src/search/searchPlans.js";
import type { PlanSearchRequest, PlanSearchResult } from "../src/search/types.js";
import { findModelPreset, modelPresets } from "../src/workload/presets.js";

const parts = process.argv.slice(2);
const wants = (part: string) => parts.length === 0 || parts.includes(part);

const cpu = cpus()[0]?.model ?? "unknown";
console.log(
  `machine: ${cpu} x ${cpus().length}, node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} at start`,
);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const pad = (s: string | number, n: number) => String(s).padStart(n);

function timed(req: PlanSearchRequest): { seconds: number; result: PlanSearchResult } {
  const t = performance.now();
  const result = searchPlans(req);
  return { seconds: (performance.now() - t) / 1000, result };
}

function bestOf3(req: PlanSearchRequest): number {
  return Math.min(...[0, 1, 2].map(() => timed(req).seconds));
}

function searches(): void {
  const cases = [
    { model: "llama3-405b", chip: "h100-sxm", chips: 16384, globalBatch: 2048 },
    { model: "deepseek-v3", chip: "h100-sxm", chips: 2048, globalBatch: 4096 },
    { model: "llama3-70b", chip: "trn2", chips: 512, globalBatch: 1024 },
  ];
  console.log("\nplan searches (top 5): bounded (default) against exhaustive, same process");
  console.log(
    "search                          examined  memory-checked  timed  cold s  warm s  | exhaustive: memory-checked   timed  cold s  warm s  | warm ratio",
  );
  for (const c of cases) {
    const req = {
      model: findModelPreset(c.model)!.model,
      chip: findChip(c.chip)!,
      chips: c.chips,
      globalBatch: c.globalBatch,
    };
    // Exhaustive first, so its cold figure carries the process's JIT warm-up, as it did before.
    const ex = timed({ ...req, exhaustive: true });
    const exWarm = bestOf3({ ...req, exhaustive: true });
    const b = timed(req);
    const bWarm = bestOf3(req);
    const name = `${c.model} on ${c.chips} ${c.chip}`;
    console.log(
      `${name.padEnd(30)}${pad(fmt(b.result.evaluated), 10)}${pad(fmt(b.result.memoryChecks), 16)}${pad(fmt(b.result.feasible), 7)}${pad(b.seconds.toFixed(3), 8)}${pad(bWarm.toFixed(3), 8)}  |${pad(fmt(ex.result.memoryChecks), 27)}${pad(fmt(ex.result.feasible), 8)}${pad(ex.seconds.toFixed(3), 8)}${pad(exWarm.toFixed(3), 8)}  |${pad(`${(exWarm / bWarm).toFixed(1)}x`, 11)}`,
    );
  }
}

const CLI_COMMANDS: string[][] = [
  ["compare", "--model", "deepseek-v3", "--tokens", "15T"],
  ["compare", "--model", "llama3-405b", "--tokens", "15T"],
  ["plan", "--model", "deepseek-v3", "--chip", "h100", "--chips", "2048", "--global-batch", "4096"],
  ["plan", "--model", "llama3-405b", "--chip", "h100", "--chips", "1024..16384", "--global-batch", "2048"],
  ["capacity", "--budget", "1B", "--years", "3", "--run", "deepseek-v3:15T"],
  ["models"],
];

/** Wall and CPU (user + system, all threads) seconds of one process, from GNU time. */
function runTimed(args: string[]): { wall: number; cpu: number } {
  const result = spawnSync(
    "/usr/bin/time",
    ["-f", "%e %U %S", process.execPath, "bin/trainplan.js", ...args],
    {
      encoding: "utf8",
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  // A command that exits non-zero (no plan fits) is still timed; GNU time's line is the last one.
  const [wall, user, sys] = result.stderr.trim().split("\n").at(-1)?.split(" ").map(Number) ?? [];
  return { wall, cpu: user + sys };
}

function cli(): void {
  if (!existsSync("dist/cli.js")) throw new Error("dist/cli.js is missing: run npm run build first");
  if (!existsSync("/usr/bin/time")) throw new Error("the CLI part needs GNU time at /usr/bin/time");
  console.log("\nwhole CLI process, median of 3 (target: under 2 s wall); CPU = user + system, all threads");
  console.log("  wall s  (min-max)      CPU s  command");
  for (const args of CLI_COMMANDS) {
    const runs = [0, 1, 2].map(() => runTimed(args)).sort((a, b) => a.wall - b.wall);
    const range = `(${runs[0].wall.toFixed(2)}-${runs[2].wall.toFixed(2)})`;
    console.log(
      `${pad(runs[1].wall.toFixed(2), 8)}  ${range.padEnd(13)}${pad(runs[1].cpu.toFixed(2), 7)}  trainplan ${args.join(" ")}`,
    );
  }
}

async function web(): Promise<void> {
  const root = findWebRoot();
  if (!root) throw new Error("dist/web is missing: run npm run build first");
  const server = await startStaticServer(root, 0, "127.0.0.1");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const idle = () =>
      page.waitForFunction(
        () => document.querySelector("#results")?.getAttribute("aria-busy") === "false",
        null,
        {
          timeout: 120_000,
        },
      );
    const status = () => page.locator("#status").evaluate((s) => ({ ...(s as HTMLElement).dataset }));
    await page.goto(server.url);
    await idle();
    const fresh = await status();
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(
      `\nweb app in Chromium (${fresh.workers} worker(s) on ${cores} cores): fresh page, default state: first row ${fresh.firstMs} ms, table ${fresh.tableMs} ms, capacity by ${fresh.doneMs} ms after the request; first row ${fresh.pageFirstMs} ms, table ${fresh.pageTableMs} ms after the page began to load`,
    );
    // The worker compiles every preset's code paths while idle (src/web/warmUp.ts): let it finish,
    // as a user reading the first table would.
    await page.waitForTimeout(8000);
    console.log("a change of model on a loaded page (target: first row 200 ms, table 1 s)");
    console.log("preset              first row ms  table ms  capacity by ms");
    const order = [...modelPresets.map((p) => p.id).filter((id) => id !== "llama3-70b"), "llama3-70b"];
    for (const id of order) {
      await page.getByLabel("Model", { exact: true }).selectOption(id);
      // The page writes the state into the address bar, then sends the request, in one handler.
      await page.waitForFunction(
        (want) =>
          want === "llama3-70b" ? location.search === "" : location.search.includes(`model=${want}`),
        id,
      );
      await idle();
      const d = await status();
      console.log(
        `${id.padEnd(20)}${pad(d.firstMs ?? "?", 12)}${pad(d.tableMs ?? "?", 10)}${pad(d.doneMs ?? "?", 16)}`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (wants("searches")) searches();
if (wants("cli")) cli();
if (wants("web")) await web();
