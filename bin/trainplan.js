#!/usr/bin/env node
// Thin launcher for the CLI bundled in dist/cli.js. The package ships dist/ (built by `prepack`); a git
// checkout has none until `npm run build`, so the first run there builds it (its log on stderr).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli.js", import.meta.url);
const buildScript = new URL("../scripts/build.mjs", import.meta.url);
if (!existsSync(cli) && existsSync(buildScript)) {
  execFileSync(process.execPath, [fileURLToPath(buildScript)], { stdio: ["ignore", 2, 2] });
}
const { main } = await import(cli.href);

// A closed pipe (`trainplan ... | head`) is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}
process.exitCode = await main(process.argv.slice(2));
