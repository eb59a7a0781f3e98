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
]);
console.log(`built dist/cli.js and dist/index.js in ${Date.now() - started} ms`);
