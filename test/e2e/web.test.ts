import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCaptured } from "../../src/cli/captured.js";
import { findWebRoot, type StaticServer, startStaticServer } from "../../src/cli/commands/web.js";

// Debian's chromium; CI installs it (.ci/run). A missing browser must fail loudly, not skip.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS = "test-results";

let server: StaticServer;
let browser: Browser;
let page: Page;
let errors: string[] = [];

async function openApp(query = "", viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  const p = await context.newPage();
  errors = [];
  p.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  p.on("pageerror", (e) => errors.push(e.message));
  await p.goto(`${server.url}${query}`);
  await waitIdle(p);
  return p;
}

/** Waits until the worker has answered the latest request (status no longer busy). */
async function waitIdle(p: Page): Promise<void> {
  await p.waitForFunction(() => document.querySelector("#results")?.getAttribute("aria-busy") === "false", null, {
    timeout: 30_000,
  });
}

async function tableText(p: Page): Promise<string> {
  return (await p.locator("#compare tbody").innerText()).trim();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the web tests need Debian's chromium (apt-get install -y chromium) or CHROMIUM_PATH`,
    );
  }
  // Build the app as it ships, so the test never runs a stale dist/web.
  await build({ configFile: "vite.config.ts", logLevel: "error" });
  const root = findWebRoot();
  if (!root) throw new Error("dist/web/index.html missing after vite build");
  server = await startStaticServer(root, 0, "127.0.0.1");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && page) {
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}/${ctx.task.name.replace(/\W+/g, "-")}.png`, fullPage: true });
  }
});

describe("web app", () => {
  it("loads with no console errors and shows several chips in a table", async () => {
    page = await openApp();
    const rows = await page.locator("#compare tbody tr").count();
    expect(rows).toBeGreaterThanOrEqual(5);
    expect(await tableText(page)).toContain("h100-sxm");
    // Charts are drawn on the page after the worker's last answer: wait for each, then count.
    for (const chart of ["frontier", "cost", "capacity", "step", "memory"]) {
      await page.locator(`#${chart}-chart svg`).first().waitFor({ timeout: 15_000 });
      expect(await page.locator(`#${chart}-chart svg`).count(), chart).toBe(1);
    }
    expect(errors).toEqual([]);
  });

  it("shows the break-even of a Trainium chip against H100, its chart and the vendor claims, and follows the pair picked", async () => {
    page = await openApp();
    const row = page.locator("#breakeven-body table").first().locator("tbody tr");
    await expect(row.innerText()).resolves.toMatch(/^trn2\s+h100-sxm\s+\$[0-9.]+/);
    await page.locator("#breakeven-chart svg").waitFor({ timeout: 15_000 });
    expect(await page.locator("#breakeven-chart svg text", { hasText: "trn2 = h100-sxm at $" }).count()).toBe(1);
    await expect(page.locator("#breakeven-body").innerText()).resolves.toContain("ranges: over both chips' 80% throughput error bands");
    await expect(page.locator("#claims-body").innerText()).resolves.toContain("https://www.nvidia.com/en-us/data-center/gb200-nvl72/");
    await expect(page.locator("#sources-body").textContent()).resolves.toContain("trn3: no public price");
    await page.getByLabel("Price of").selectOption("trn3");
    await expect(row.innerText()).resolves.toMatch(/^trn3\s+h100-sxm\s+\$[0-9.]+/);
    await page.getByLabel("to match").selectOption("gb200");
    await expect(row.innerText()).resolves.toMatch(/^trn3\s+gb200\s+needs a price\s+[0-9.]+x/);
    expect(errors).toEqual([]);
  });

  it("labels the model picker 'Model' and every control", async () => {
    page = await openApp();
    await expect(page.getByLabel("Model", { exact: true }).count()).resolves.toBe(1);
    const unlabelled = await page.$$eval("#controls input, #controls select", (els) =>
      els.filter((e) => !(e.id && document.querySelector(`label[for="${e.id}"]`))).map((e) => (e as HTMLInputElement).name),
    );
    expect(unlabelled).toEqual([]);
  });

  it("changes the results when the model and the chip count change", async () => {
    page = await openApp();
    const before = await tableText(page);
    await page.getByLabel("Model", { exact: true }).selectOption("llama3-8b");
    await waitIdle(page);
    const afterModel = await tableText(page);
    expect(afterModel).not.toBe(before);
    await page.getByLabel("Chips per run (count)").fill("256");
    await page.waitForFunction(() => location.search.includes("count=256"));
    await waitIdle(page);
    const afterCount = await tableText(page);
    expect(afterCount).not.toBe(afterModel);
    expect(await page.locator("#compare tbody tr td:nth-child(2)").first().innerText()).toBe("256");
    expect(errors).toEqual([]);
  });

  it("updates the table after a chip-count change, each time, and prints how long it took", async () => {
    page = await openApp();
    // Warm the worker's JIT on another count first, as a person's second change would.
    await page.getByLabel("Chips per run (count)").fill("2048");
    await page.waitForFunction(() => location.search.includes("count=2048"));
    await waitIdle(page);
    const timings = await page.evaluate(
      () =>
        new Promise<{ first: number; all: number; chips: number }>((resolve, reject) => {
          const input = document.querySelector<HTMLInputElement>("#controls input[name=count]");
          const table = document.querySelector("#compare");
          if (!input || !table) return reject(new Error("count input or table missing"));
          const total = document.querySelectorAll("#compare tbody tr").length;
          const cells = () => [...document.querySelectorAll("#compare tbody tr td:nth-child(2)")];
          let first = -1;
          const t0 = performance.now();
          const results = document.querySelector("#results");
          const observer = new MutationObserver(() => {
            const updated = cells().filter((c) => c.textContent === "512").length;
            if (updated >= 1 && first < 0) first = performance.now() - t0;
            // Done when every row shows the new count, or when the worker reports it has finished.
            const idle = results?.getAttribute("aria-busy") === "false";
            if (first >= 0 && (updated === total || idle)) {
              observer.disconnect();
              resolve({ first, all: performance.now() - t0, chips: updated });
            }
          });
          observer.observe(table, { childList: true, subtree: true, characterData: true });
          if (results) observer.observe(results, { attributes: true, attributeFilter: ["aria-busy"] });
          setTimeout(() => reject(new Error(`no update in 20 s; first=${first}, rows=${cells().length}`)), 20_000);
          input.value = "512";
          // "change" (Enter or leaving the field) applies at once; typing adds an 80 ms pause first.
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }),
    );
    await waitIdle(page);
    const status = await page.locator("#status").innerText();
    console.log(
      `web latency: first chip ${timings.first.toFixed(0)} ms, all ${timings.chips} chips ${timings.all.toFixed(0)} ms (change event to table); worker: ${status}`,
    );
    // Each change must reach the table (the observer resolves only then). How long it takes is printed,
    // not held: a time bound fails on a busy machine, and speed belongs in the benchmark (200 ms is the goal).
    let best = timings.first;
    for (const count of ["2048", "512"]) {
      const t = await page.evaluate((value) => {
        return new Promise<number>((resolve) => {
          const input = document.querySelector<HTMLInputElement>("#controls input[name=count]")!;
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            const hit = [...document.querySelectorAll("#compare tbody tr td:nth-child(2)")].some(
              (c) => c.textContent === value,
            );
            if (hit) {
              observer.disconnect();
              resolve(performance.now() - t0);
            }
          });
          observer.observe(document.querySelector("#compare")!, { childList: true, subtree: true, characterData: true });
          input.value = value;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      }, count);
      best = Math.min(best, t);
      await waitIdle(page);
    }
    console.log(`web latency, best of three chip-count changes: ${best.toFixed(0)} ms to the first chip`);
    expect(errors).toEqual([]);
  });

  it("shows the whole table for the default state, first chip before the rest, and prints the timings", async () => {
    const dataset = async () => page.locator("#status").evaluate((s) => ({ ...(s as HTMLElement).dataset }));
    // Cold: a fresh page's first request (module start-up, empty search cache); printed, not held.
    page = await openApp();
    const cold = await dataset();
    // Warm workers, empty cache for the default model: load another model, then pick the default one.
    page = await openApp("?model=llama3-8b");
    await page.getByLabel("Model", { exact: true }).selectOption("llama3-70b");
    await page.waitForFunction(() => location.search === "");
    await waitIdle(page);
    const d = await dataset();
    const rows = await page.locator("#compare tbody tr").count();
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(
      `web latency, default state, ${d.workers} worker(s) on ${cores} cores: first chip ${d.firstMs} ms, all ${rows} chips ${d.tableMs} ms, capacity by ${d.doneMs} ms (fresh page: ${cold.firstMs} / ${cold.tableMs} / ${cold.doneMs} ms)`,
    );
    expect(rows).toBeGreaterThanOrEqual(10);
    expect(Number(d.firstMs)).toBeGreaterThan(0);
    expect(Number(d.tableMs)).toBeGreaterThanOrEqual(Number(d.firstMs));
    expect(errors).toEqual([]);
  });

  it("splits the chips across a pool of workers and shows every row once, in the same order", async () => {
    // Pretend to have 5 cores (4 workers) to exercise the split even on a small test machine.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(() => Object.defineProperty(navigator, "hardwareConcurrency", { get: () => 5 }));
    const pooled = await context.newPage();
    await pooled.goto(server.url);
    await waitIdle(pooled);
    expect(await pooled.locator("#status").getAttribute("data-workers")).toBe("4");
    const chips = await pooled.locator("#compare tbody th button").allInnerTexts();
    page = await openApp();
    expect(await page.locator("#compare tbody th button").allInnerTexts()).toEqual(chips);
    expect(await tableText(pooled)).toBe(await tableText(page));
    const d = await pooled.locator("#status").evaluate((s) => ({ ...(s as HTMLElement).dataset }));
    console.log(`web latency (fresh page, 4 workers forced): first chip ${d.firstMs} ms, all ${chips.length} chips ${d.tableMs} ms`);
    await context.close();
  });

  it("applies PUE, grid, restart and assumed-TDP overrides, marks them, and keeps them in the URL", async () => {
    page = await openApp("?chips=h100-sxm,trn2");
    const cell = async (chip: string, column: string) => {
      const headers = await page.locator("#compare thead th").allInnerTexts();
      const i = headers.indexOf(column) + 1;
      return page.locator(`#compare tbody tr[data-chip="${chip}"] > :nth-child(${i})`);
    };
    const energy = async (chip: string) => (await (await cell(chip, "Energy MWh")).innerText()).trim();
    const before = { h100: await energy("h100-sxm"), trn2: await energy("trn2") };
    const co2 = (await (await cell("h100-sxm", "tCO2e")).innerText()).trim();
    const goodput = (await (await cell("h100-sxm", "Goodput")).innerText()).trim();

    const apply = async (label: string, value: string, query: string) => {
      await (label.startsWith("input") ? page.locator(label) : page.getByLabel(label)).fill(value);
      await page.waitForFunction((q) => location.search.includes(q), query);
      await waitIdle(page);
    };
    await apply("PUE (facility / IT power)", "2", "pue=2");
    expect(await energy("h100-sxm")).not.toBe(before.h100);
    expect(await (await cell("h100-sxm", "Energy MWh")).getAttribute("class")).toContain("override");
    await expect(page.getByLabel("PUE (facility / IT power) (your value)").count()).resolves.toBe(1);

    await page.locator("summary", { hasText: "Chip power where the TDP is assumed" }).click();
    const trn2AtPue2 = await energy("trn2");
    await apply('input[name="tdp.trn2"]', "1000", "tdp=trn2%3A1000");
    expect(await energy("trn2")).not.toBe(trn2AtPue2);
    expect(await page.locator('input[name="tdp.h100-sxm"]').count()).toBe(0); // published TDP: no control

    await apply("Grid intensity (gCO2e/kWh)", "0", "gCO2PerKWh=0");
    expect((await (await cell("h100-sxm", "tCO2e")).innerText()).trim()).not.toBe(co2);
    expect((await (await cell("h100-sxm", "tCO2e")).innerText()).trim()).toMatch(/^0/);

    await apply("Restart after a failure (seconds)", "7200", "restartSeconds=7200");
    const slower = (await (await cell("h100-sxm", "Goodput")).innerText()).trim();
    expect(slower).not.toBe(goodput);
    expect(await (await cell("h100-sxm", "Goodput")).getAttribute("class")).toContain("override");

    // A shared link brings every override back, marked.
    const url = page.url();
    const shared = await openApp(url.slice(url.indexOf("?")));
    expect(await shared.getByLabel("PUE (facility / IT power) (your value)").inputValue()).toBe("2");
    expect(await shared.getByLabel("Grid intensity (gCO2e/kWh) (your value)").inputValue()).toBe("0");
    expect(await shared.getByLabel("Restart after a failure (seconds) (your value)").inputValue()).toBe("7200");
    expect(await shared.locator('input[name="tdp.trn2"]').inputValue()).toBe("1000");
    expect(await tableText(shared)).toBe(await tableText(page));

    // Clearing a field goes back to the default.
    await shared.getByLabel("PUE (facility / IT power) (your value)").fill("");
    await shared.waitForFunction(() => !location.search.includes("pue="));
    await waitIdle(shared);
    await expect(shared.getByLabel("PUE (facility / IT power)", { exact: true }).count()).resolves.toBe(1);
    expect(errors).toEqual([]);
  });

  it("restores the same state and results from a shared URL", async () => {
    page = await openApp();
    await page.getByLabel("Model", { exact: true }).selectOption("mixtral-8x7b");
    await waitIdle(page);
    await page.getByLabel("Chips per run (count)").fill("512");
    await page.waitForFunction(() => location.search.includes("count=512"));
    await waitIdle(page);
    const url = page.url();
    const text = await tableText(page);
    const shared = await openApp(url.slice(url.indexOf("?")));
    expect(await shared.getByLabel("Model", { exact: true }).inputValue()).toBe("mixtral-8x7b");
    expect(await shared.getByLabel("Chips per run (count)").inputValue()).toBe("512");
    expect(await tableText(shared)).toBe(text);
  });

  it("exports valid JSON, CSV and SVG files", async () => {
    page = await openApp();
    const save = async (button: string) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
      const path = await download.path();
      return readFileSync(path, "utf8");
    };
    const json = JSON.parse(await save("#export-json"));
    expect(json.rows.length).toBeGreaterThanOrEqual(5);
    const csv = await save("#export-csv");
    expect(csv.split("\n")[0]).toMatch(/^chip,chips,plan,days,costUsd/);
    expect(csv.split("\n").length).toBeGreaterThan(5);
    const svg = await save("#export-svg");
    expect(svg).toContain("<svg");
    expect(errors).toEqual([]);
  });
});

/** A cell of the compare table by chip and column heading. */
async function cellText(p: Page, chip: string, column: string): Promise<string> {
  const headers = await p.locator("#compare thead th").allInnerTexts();
  const i = headers.indexOf(column) + 1;
  expect(i, `column ${column} in ${headers.join("|")}`).toBeGreaterThan(0);
  // The figure without its error band (shown under it, in a .band element).
  const cell = p.locator(`#compare tbody tr[data-chip="${chip}"] > :nth-child(${i})`);
  const band = (await cell.locator(".band").count()) > 0 ? await cell.locator(".band").innerText() : "";
  return (await cell.innerText()).replace(band, "").trim();
}

/** Types into a field and waits for the page to settle (computed or refused). */
async function typeInto(p: Page, label: string, value: string): Promise<void> {
  await p.getByLabel(label, { exact: true }).fill(value);
  // The form is marked while a change waits to be read; then the page is computing or has refused it.
  await p.waitForFunction(() => document.querySelector<HTMLElement>("#controls")?.dataset.pending === undefined);
  await waitIdle(p);
}

describe("web app and CLI give one answer", () => {
  it("shows the CLI's figures for the same compare (405B on 8,192 H100: 115.6 days, not 138.4)", async () => {
    const cli = await runCaptured([
      ...["compare", "--model", "llama3-405b", "--tokens", "15T", "--chip", "h100", "--chips", "8192", "--json"],
    ]);
    const row = JSON.parse(cli.stdout).rows[0];
    page = await openApp("?model=llama3-405b&tokensB=15000&chips=h100-sxm&count=8192");
    const oneDecimal = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    expect(await cellText(page, "h100-sxm", "Days")).toBe(oneDecimal(row.days));
    expect(await cellText(page, "h100-sxm", "Days")).not.toBe("138.4");
    expect(await cellText(page, "h100-sxm", "MFU (bf16 peak)")).toBe(`${oneDecimal(row.plan.throughput.mfu * 100)}%`);
    expect(await cellText(page, "h100-sxm", "Cost")).toBe(`$${(row.costUsd / 1e6).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}M`);
    // Every assumption the CLI prints is on the page.
    const shown = await page.locator("#assumptions li").allInnerTexts();
    for (const a of JSON.parse(cli.stdout).assumptions) expect(shown).toContain(a);
    expect(errors).toEqual([]);
  });

  it("offers the CLI's settings: precision, sequence and batch with the model's defaults, deadline and budget, every architecture field", async () => {
    page = await openApp("?chips=h100-sxm&model=llama3-8b");
    const precision = page.getByLabel("Precision", { exact: true });
    expect(await precision.locator("option").evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(["bf16", "fp8", "auto"]);
    expect(await precision.inputValue()).toBe("bf16");
    expect(await page.getByLabel("Global batch (sequences)", { exact: true }).getAttribute("placeholder")).toBe("512 (default)");
    await page.getByLabel("Model", { exact: true }).selectOption("llama3-405b");
    await waitIdle(page);
    expect(await page.getByLabel("Global batch (sequences)", { exact: true }).getAttribute("placeholder")).toBe("2048 (default)");
    expect(await page.getByLabel("Sequence length", { exact: true }).getAttribute("placeholder")).toBe("8192 (the model's)");
    for (const f of ["moe.experts", "moe.topK", "headDim", "mla.kvLoraRank", "gatedMlp", "tiedEmbeddings"]) {
      expect(await page.locator(`#controls [name="arch.${f}"]`).count(), f).toBe(1);
    }
    await expect(page.getByLabel("Deadline (days)", { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByLabel("Run budget (USD millions)", { exact: true }).count()).resolves.toBe(1);
    // auto precision may use fp8 on H100; the table says so in the plan.
    await precision.selectOption("auto");
    await page.waitForFunction(() => location.search.includes("precision=auto"));
    await waitIdle(page);
    expect(await cellText(page, "h100-sxm", "Best plan")).toMatch(/fp8|bf16/);
    // A blank count is compare's pick, with a deadline: the row says so.
    await page.getByLabel("Chips per run (count)", { exact: true }).fill("");
    await typeInto(page, "Deadline (days)", "60");
    expect(await cellText(page, "h100-sxm", "Notes")).toMatch(/60-day deadline/);
    expect(errors).toEqual([]);
  });

  it("opens any top plan and a typed layout, each with its breakdown", async () => {
    page = await openApp("?chips=h100-sxm&model=llama3-8b&count=64");
    const best = await page.locator("#plan-detail p").first().innerText();
    await page.locator('#top-plans button[data-rank="2"]').click();
    await page.waitForFunction(() => location.search.includes("planRank=2"));
    expect(await page.locator("#plan-detail p").first().innerText()).toMatch(/plan #3/);
    expect(await page.locator("#plan-detail p").first().innerText()).not.toBe(best);
    await typeInto(page, "Layout to simulate", "tp2 pp1 dp32 mb1 full-recompute zero1 sp bf16");
    expect(await page.locator("#plan-detail p").first().innerText()).toContain("your layout");
    expect(await page.locator("#plan-detail p").first().innerText()).toContain("tp2 pp1 dp32 mb1 full-recompute zero1 sp bf16");
    await page.locator("#step-chart svg").waitFor();
    await typeInto(page, "Layout to simulate", "tp2 fast");
    expect(await page.locator("#plan-detail .error").innerText()).toMatch(/Invalid layout: got "fast"/);
    expect(errors).toEqual([]);
  });

  it("marks chips that borrow another chip's profile and labels MFU by its peak", async () => {
    page = await openApp("?chips=h100-sxm,trn2&model=llama3-8b&count=64");
    expect(await page.locator('#compare tr[data-chip="trn2"] .borrowed').getAttribute("title")).toMatch(/trn2 has no validation cases of its own: a prior from its hardware/);
    expect(await page.locator('#compare tr[data-chip="h100-sxm"] .borrowed').count()).toBe(0);
    expect(await page.locator("#compare thead th").allInnerTexts()).toContain("MFU (bf16 peak)");
  });
});

describe("web app refuses bad input beside the field", () => {
  it("shows an error for a refused number, computes nothing, and recomputes once it is fixed", async () => {
    page = await openApp("?chips=h100-sxm&model=llama3-8b&count=64");
    for (const [label, value, message] of [
      ["Chips per run (count)", "-5", /Invalid count: got "-5"\. A whole number from 1 to 1,048,576 chips/],
      ["PUE (facility / IT power)", "5", /Invalid pue: got "5"\. A number from 1 to 3/],
      ["PUE (facility / IT power)", "1.2kW", /Invalid pue: got "1.2kW"/],
      ["Failures per chip-hour", "0", /Invalid failuresPerChipHour: got "0"\. A number from 1e-12 to 1/],
      ["Years", "31", /Invalid years: got "31"\. A whole number from 1 to 30/],
      ["Training tokens (billions)", "0", /Invalid tokensB: got "0"/],
    ] as const) {
      await typeInto(page, label, value);
      const input = page.getByLabel(label, { exact: true });
      expect(await input.getAttribute("aria-invalid"), label).toBe("true");
      const id = await input.getAttribute("id");
      expect(await page.locator(`#${id}-error`).innerText()).toMatch(message);
      expect(await page.locator("#compare tbody tr").count()).toBe(0);
      expect(await page.locator("#status").innerText()).toMatch(/Not computed: 1 field refused/);
      await typeInto(page, label, label === "Training tokens (billions)" ? "1000" : label === "Years" ? "3" : label === "Chips per run (count)" ? "64" : "");
      expect(await input.getAttribute("aria-invalid")).toBeNull();
      expect(await page.locator("#compare tbody tr").count()).toBe(1);
    }
    expect(errors).toEqual([]);
  });

  it("refuses a model the architecture fields make impossible, naming the field", async () => {
    page = await openApp("?chips=h100-sxm&model=mixtral-8x7b&count=64");
    await page.locator("summary", { hasText: "Edit architecture" }).click();
    await typeInto(page, "moe.topK", "9");
    expect(await page.locator("#arch-error").innerText()).toMatch(/moe\.topK.*at most the number of experts \(8\)/i);
    expect(await page.locator("#compare tbody tr").count()).toBe(0);
  });

  for (const name of ["__proto__", "constructor", "toString"]) {
    it(`loads with ?region=${name}, says it was ignored, and computes every chip`, async () => {
      page = await openApp(`?region=${name}&chips=h100-sxm,trn2&model=llama3-8b&count=64`);
      expect(await page.locator("#ignored").isVisible()).toBe(true);
      expect(await page.locator("#ignored").innerText()).toContain(`region="${name}": not a price region`);
      expect(await page.locator("#compare tbody tr").count()).toBe(2);
      expect(await page.locator("#status").innerText()).not.toMatch(/Computing/);
      expect(errors).toEqual([]);
    });
  }
});

describe("web app layout and focus", () => {
  it("fits the whole table at 1400x900, goodput, MFU and notes included", async () => {
    page = await openApp("", { width: 1400, height: 900 });
    const box = await page.locator("#compare").evaluate((t) => {
      const scroll = t.parentElement as HTMLElement;
      return { scroll: scroll.scrollWidth, client: scroll.clientWidth, right: scroll.getBoundingClientRect().right };
    });
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    for (const heading of ["Goodput", "MFU (bf16 peak)", "Notes"]) {
      const right = await page.locator("#compare thead th", { hasText: heading }).evaluate((h) => h.getBoundingClientRect().right);
      expect(right, heading).toBeLessThanOrEqual(1400);
    }
  });

  it("fits a 390 px phone: no sideways scroll, charts no wider than the screen", async () => {
    page = await openApp("", { width: 390, height: 844 });
    for (const chart of ["frontier", "cost", "capacity", "step", "memory"]) {
      await page.locator(`#${chart}-chart svg`).waitFor();
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const widths = await page.locator("figure.chart svg").evaluateAll((s) => s.map((x) => x.getBoundingClientRect().right));
    for (const w of widths) expect(w).toBeLessThanOrEqual(390);
  });

  it("says why a chart is empty", async () => {
    page = await openApp("?chips=gb200&model=llama3-8b&count=64");
    expect(await page.locator("#frontier-chart").innerText()).toMatch(/No chip with a plan has a price/);
    expect(await page.locator("#frontier-chart svg").count()).toBe(0);
  });

  it("keeps keyboard focus on the control being changed, and on the chosen chip", async () => {
    page = await openApp("?chips=h100-sxm,trn2&model=llama3-8b&count=64");
    const count = page.getByLabel("Chips per run (count)", { exact: true });
    await count.focus();
    await count.fill("128");
    await page.waitForFunction(() => location.search.includes("count=128"));
    await waitIdle(page);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe("count");
    // A model change rebuilds the form: focus stays on the model picker.
    await page.getByLabel("Model", { exact: true }).focus();
    await page.getByLabel("Model", { exact: true }).selectOption("llama3-70b");
    await waitIdle(page);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("model");
    // Choosing a chip in the table redraws it: focus stays on that chip's button.
    await page.locator('#compare button[data-chip="trn2"]').focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.search.includes("selected=trn2"));
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.chip)).toBe("trn2");
  });
});

describe("web app: plan constraints and the plan in a framework's own words", () => {
  const base = "?chips=h100-sxm&model=llama3-8b&count=64";

  it("keeps the searches to the constraints typed, in the URL, and says what each removed as the CLI does", async () => {
    page = await openApp(base);
    await page.locator("summary", { hasText: "Plan constraints" }).click();
    await typeInto(page, "Tensor parallel (tp)", "2");
    await typeInto(page, "ZeRO stage", "1");
    await page.waitForFunction(() => location.search.includes("tp=2") && location.search.includes("zero=zero1"));
    const labels = await page.locator("#top-plans tbody tr td:nth-child(2)").allInnerTexts();
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).toMatch(/^tp2 .* zero1\b/);
    const limits = await page.locator("#search-limits").innerText();
    expect(limits).toMatch(/constraints: tp 2, zero zero1; [\d,]+ plans removed/);
    expect(limits).toMatch(/outside the constraint on tp: [\d,]+/);
    // The same link gives the same form and table.
    const shared = await openApp(page.url().slice(page.url().indexOf("?")));
    expect(await shared.getByLabel("ZeRO stage", { exact: true }).inputValue()).toBe("zero1");
    expect(await tableText(shared)).toBe(await tableText(page));
    expect(errors).toEqual([]);
  });

  it("refuses a bad constraint beside its field, and one from a link as ignored", async () => {
    page = await openApp(base);
    await page.locator("summary", { hasText: "Plan constraints" }).click();
    await typeInto(page, "Pipeline stages (pp)", "4..2");
    const input = page.getByLabel("Pipeline stages (pp)", { exact: true });
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(`#${await input.getAttribute("id")}-error`).innerText()).toMatch(/--pp: got "4\.\.2"/);
    expect(await page.locator("#compare tbody tr").count()).toBe(0);
    await typeInto(page, "Pipeline stages (pp)", "1..2");
    expect(await page.locator("#compare tbody tr").count()).toBe(1);
    const linked = await openApp(`${base}&recompute=sometimes&framework=pytorch`);
    const ignored = await linked.locator("#ignored").innerText();
    expect(ignored).toContain('recompute="sometimes": one of none, selective, full, offload');
    expect(ignored).toContain('framework="pytorch": one of megatron-core');
  });

  it("ships a browser bundle with no node: imports (src/emit and the engine are pure)", () => {
    const root = findWebRoot();
    const assets = readdirSync(`${root}/assets`).filter((f) => f.endsWith(".js"));
    expect(assets.length).toBeGreaterThan(0);
    for (const f of assets) {
      expect(readFileSync(`${root}/assets/${f}`, "utf8"), f).not.toMatch(/from ?["']node:|require\(["']node:|createRequire/);
    }
  });

  it("exports the plan shown for each framework, as plan --emit prints it, or says why it cannot", async () => {
    page = await openApp(`${base}&tp=2&zero=zero1`);
    const cli = await runCaptured([
      ...["plan", "--model", "llama3-8b", "--chip", "h100-sxm", "--chips", "64"],
      ...["--global-batch", "512", "--tp", "2", "--zero", "1", "--framework", "megatron-core", "--emit", "megatron"],
    ]);
    expect(cli.code).toBe(0);
    await page.locator("#emit-target").selectOption("megatron");
    const shown = await page.locator("#emit-text").innerText();
    expect(shown).toContain("--tensor-model-parallel-size 2");
    expect(shown).toContain("--use-distributed-optimizer");
    const best = (await page.locator("#top-plans tbody tr td:nth-child(2)").first().innerText()).trim();
    expect(shown).toContain(`# trainplan: ${best}, global batch`);
    expect(shown.trim()).toBe(cli.stdout.trim());
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("#emit-download")]);
    expect(readFileSync(await file.path(), "utf8")).toBe(shown);
    for (const target of ["megatron-bridge", "torchtitan"]) {
      await page.locator("#emit-target").selectOption(target);
      const text = await page.locator("#emit-text").innerText();
      const reason = await page.locator("#emit-reason").innerText();
      expect(text !== "" || reason !== "", target).toBe(true);
    }
    // torchtitan has no ZeRO-1 (FSDP2 shards parameters too): the reason, not a config.
    await page.locator("#emit-target").selectOption("torchtitan");
    expect(await page.locator("#emit-reason").innerText()).toMatch(/^torchtitan cannot take this plan: tp2 .*zero1/);
    expect(await page.locator("#emit-download").isDisabled()).toBe(true);
    await page.locator("#emit-target").selectOption("neuronx");
    expect(await page.locator("#emit-reason").innerText()).toMatch(/neuronx cannot take this plan/);
    expect(errors).toEqual([]);
  });
});
