// Builds what the package ships (run by `npm run build`, `npm test` and `prepack`):
// - dist/index.js, dist/schema.js: the library, platform-neutral ESM (no node: imports), so a browser
//   bundler (Vite) can use it.
// - dist/cli.js, dist/searchWorker.js: the CLI and its worker threads, for Node, shared code in chunks.
// The dependencies (zod, yaml; vega and vega-lite for --chart) stay imports, resolved from the user's
// install, so none is bundled, let alone twice.
// - dist/types: the .d.ts declarations (tsc); dist/scenario.schema.json: the scenario JSON Schema.
// - dist/web: the web app (Vite).
// Source maps are written for development and left out of the tarball (package.json "files"). The library
// and CLI bundles drop whitespace (names are kept, so stack traces still read): the tarball has a 1 MB budget.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
const path = (p) => new URL(p, root).pathname;
// package.json "dependencies": imported at run time from the user's install, never bundled.
const RUNTIME_DEPENDENCIES = Object.keys(
  JSON.parse(readFileSync(new URL("package.json", root), "utf8")).dependencies,
);

const common = {
  bundle: true,
  format: "esm",
  sourcemap: true,
  minifyWhitespace: true,
  logLevel: "warning",
  external: RUNTIME_DEPENDENCIES,
};

const started = Date.now();
rmSync(path("dist"), { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    platform: "neutral",
    target: "es2022",
    entryPoints: { index: path("src/index.ts"), schema: path("src/schema.ts") },
    outdir: path("dist"),
  }),
  build({
    ...common,
    platform: "node",
    target: "node20",
    entryPoints: { cli: path("src/cli/index.ts"), searchWorker: path("src/cli/searchWorker.ts") },
    outdir: path("dist"),
    splitting: true,
    chunkNames: "chunk-[hash]",
  }),
]);
console.log(
  `built dist/index.js, dist/schema.js, dist/cli.js and dist/searchWorker.js in ${Date.now() - started} ms`,
);

const typesStarted = Date.now();
execFileSync(process.execPath, [path("node_modules/typescript/bin/tsc"), "-p", path("tsconfig.build.json")], {
  stdio: "inherit",
});
console.log(`built dist/types in ${Date.now() - typesStarted} ms`);

const { scenarioJsonSchema } = await import(path("dist/schema.js"));
mkdirSync(path("dist"), { recursive: true });
writeFileSync(path("dist/scenario.schema.json"), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log("built dist/scenario.schema.json");

// The web app (issue 5): src/web -> dist/web with Vite, served by `trainplan web`.
const webStarted = Date.now();
const { build: viteBuild } = await import("vite");
await viteBuild({ configFile: path("vite.config.ts"), logLevel: "warn" });
console.log(`built dist/web in ${Date.now() - webStarted} ms`);
