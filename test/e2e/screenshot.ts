// Takes docs/web-screenshot.png from the built app: `npx vite build && npx tsx test/e2e/screenshot.ts`.
import { chromium } from "playwright-core";
import { findWebRoot, startStaticServer } from "../../src/cli/commands/web.js";

const root = findWebRoot();
if (!root) throw new Error("build the app first (npx vite build)");
const server = await startStaticServer(root, 0, "127.0.0.1");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
await page.goto(server.url);
await page.waitForFunction(() => document.querySelector("#results")?.getAttribute("aria-busy") === "false");
await page.waitForSelector("#memory-chart svg");
await page.screenshot({ path: "docs/web-screenshot.png", fullPage: true });
await browser.close();
await server.close();
