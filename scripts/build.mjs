// Bundles the CLI and the library with esbuild (fast enough to run on every `npm ci`).
// Everything is bundled, dependencies included, so `trainplan` starts without resolving node_modules.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  // Bundled CommonJS dependencies may call require(); give ESM output a real one.
  banner: {
    js: "import { createRequire as __trainplanRequire } from 'node:module'; const require = __trainplanRequire(import.meta.url);",
  },
};

const started = Date.now();
await Promise.all([
  build({ ...common, entryPoints: ["src/cli/index.ts"], outfile: "dist/cli.js" }),
  build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js" }),
  build({ ...common, entryPoints: ["src/cli/searchWorker.ts"], outfile: "dist/searchWorker.js" }),
]);
console.log(`built dist/cli.js, dist/index.js and dist/searchWorker.js in ${Date.now() - started} ms`);

// The web app (issue 5): src/web -> dist/web with Vite, served by `trainplan web`.
const webStarted = Date.now();
const { build: viteBuild } = await import("vite");
await viteBuild({ configFile: new URL("../vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
console.log(`built dist/web in ${Date.now() - webStarted} ms`);
