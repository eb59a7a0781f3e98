// The package as another project gets it: `npm pack`, installed offline into a scratch project, then
// used from JavaScript, from TypeScript under three module resolutions, from a Vite app, and through its bin.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const repo = new URL("../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
const fixture = join(repo, "test/fixtures/huggingface/meta-llama--Meta-Llama-3-8B.json");

let scratch = "";
let tarball = "";
let packedFiles: string[] = [];

const node = (args: string[], cwd = scratch, input?: string) => {
  const run = exec(process.execPath, args, { cwd, maxBuffer: 64 << 20 });
  if (input !== undefined) {
    run.child.stdin?.end(input);
  }
  return run;
};
const npm = (args: string[], cwd: string) => exec("npm", args, { cwd, maxBuffer: 64 << 20 });

beforeAll(async () => {
  // `npm test` builds first; build here when run alone. `npm pack` below skips prepack for that reason.
  if (!existsSync(join(repo, "dist/types/index.d.ts"))) await node(["scripts/build.mjs"], repo);
  scratch = mkdtempSync(join(tmpdir(), "trainplan-package-"));
  const { stdout } = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], repo);
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(scratch, packed.filename);
  packedFiles = packed.files.map((f) => f.path);
  // trainplan from the tarball; its dependencies linked to this checkout's installed copies, so that
  // nothing downloads (npm's cache holds tarballs but not the registry metadata a range needs).
  const linked = Object.fromEntries(
    [...Object.keys(pkg.dependencies), "@types/node"].map((d) => [d, `file:${join(repo, "node_modules", d)}`]),
  );
  const scratchPackage = { name: "scratch", private: true, type: "module", dependencies: { trainplan: `file:${tarball}`, ...linked } };
  writeFileSync(join(scratch, "package.json"), JSON.stringify(scratchPackage));
  await npm(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], scratch);
}, 600_000);

describe("the packed tarball", () => {
  it("builds in prepack, not prepare", () => {
    expect(pkg.scripts.prepack).toBe("npm run build");
    expect(pkg.scripts.prepare).toBeUndefined();
  });

  it("is under 1 MB, with declarations, LICENSE and CHANGELOG, without source maps, tests or sources", () => {
    expect(statSync(tarball).size).toBeLessThan(1_000_000);
    for (const f of ["LICENSE", "CHANGELOG.md", "README.md", "dist/types/index.d.ts", "dist/scenario.schema.json"]) {
      expect(packedFiles, f).toContain(f);
    }
    expect(packedFiles.filter((f) => /\.map$|\.test\.|^src\/|^test\//.test(f))).toEqual([]);
  });

  it("keeps its dependencies as imports rather than bundling them", () => {
    const index = readFileSync(join(scratch, "node_modules/trainplan/dist/index.js"), "utf8");
    expect(index).toMatch(/from\s*"zod"/);
    expect(index).not.toMatch(/ZodError\s*=|class Composer/); // zod's and yaml's own code
  });
});

describe("an installed trainplan", () => {
  it("is imported from JavaScript: library, schema and CLI entries, the one call from scenario text", async () => {
    const script = `
      import { simulateScenario, countParameters, modelFromHuggingFace } from "trainplan";
      import { ScenarioSchema, scenarioJsonSchema } from "trainplan/schema";
      import { main, VERSION } from "trainplan/cli";
      import { readFileSync } from "node:fs";
      const { result } = simulateScenario("model: llama3-8b\\nhardware: { chip: h100-sxm, count: 8 }\\nparallelism: { tp: 8 }\\nglobalBatch: 8\\n");
      const hf = modelFromHuggingFace(JSON.parse(readFileSync(${JSON.stringify(fixture)}, "utf8")));
      const shipped = JSON.parse(readFileSync(new URL(import.meta.resolve("trainplan/scenario.schema.json")), "utf8"));
      console.log(JSON.stringify({
        fits: result.fits, tokens: result.throughput.tokensPerSecondPerChip,
        params: countParameters(hf.model).total, schemaKeys: Object.keys(ScenarioSchema.shape).length,
        schemaSame: JSON.stringify(shipped) === JSON.stringify(scenarioJsonSchema()),
        version: VERSION, main: typeof main,
      }));`;
    writeFileSync(join(scratch, "use.mjs"), script);
    const out = JSON.parse((await node(["use.mjs"])).stdout);
    expect(out.fits).toBe(true);
    expect(out.tokens).toBeGreaterThan(0);
    expect(out.params).toBe(8_030_261_248);
    expect(out.schemaKeys).toBeGreaterThan(5);
    expect(out.schemaSame).toBe(true);
    expect(out.version).toBe(pkg.version);
    expect(out.main).toBe("function");
  });

  it("type-checks from TypeScript under node16, nodenext and bundler resolution with strict", async () => {
    writeFileSync(
      join(scratch, "use.ts"),
      `import { simulateScenario, type SimulationResult, type Model, findModelPreset } from "trainplan";
import { ModelSchema, type Scenario } from "trainplan/schema";
import { main, type CliIO } from "trainplan/cli";
const model: Model = ModelSchema.parse(findModelPreset("llama3-8b")!.model);
const out: { result: SimulationResult } = simulateScenario({ model: model.name });
const s: Partial<Scenario> = { id: "x" };
const io: CliIO = { stdout: process.stdout, stderr: process.stderr, isTTY: false };
export const used = [out.result.fits, s, main, io];
`,
    );
    for (const [module, resolution] of [
      ["node16", "node16"],
      ["nodenext", "nodenext"],
      ["esnext", "bundler"],
    ]) {
      const tsconfig = `tsconfig.${resolution}.json`;
      writeFileSync(
        join(scratch, tsconfig),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, module, moduleResolution: resolution, target: "es2022", types: ["node"] },
          files: ["use.ts"],
        }),
      );
      const tsc = join(repo, "node_modules/typescript/bin/tsc");
      const run = await node([tsc, "-p", tsconfig]).catch((e) => e);
      expect(`${run.stdout ?? ""}${run.stderr ?? ""}`, resolution).toBe("");
    }
  }, 600_000);

  it("builds into a Vite app for the browser, and the app runs the engine", async () => {
    const app = join(scratch, "app");
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, "index.html"), `<!doctype html><div id="out"></div><script type="module" src="./main.js"></script>`);
    writeFileSync(
      join(app, "main.js"),
      `import { simulateScenario } from "trainplan";
const { result } = simulateScenario({ model: "llama3-8b", hardware: { chip: "h100-sxm", count: 8 }, parallelism: { tp: 8 }, globalBatch: 8 });
document.getElementById("out").textContent = "tokens/s/chip " + result.throughput.tokensPerSecondPerChip.toFixed(1);
`,
    );
    const { build } = await import("vite");
    await build({ root: app, logLevel: "silent", build: { outDir: join(app, "dist"), minify: false, modulePreload: { polyfill: false } } });
    const assets = join(app, "dist/assets");
    const [bundle] = (await import("node:fs")).readdirSync(assets).filter((f) => f.endsWith(".js"));
    const code = readFileSync(join(assets, bundle), "utf8");
    expect(code).not.toMatch(/from ["']node:|createRequire/);
    // Run the browser bundle against a one-element document.
    const runner = `const out = {}; globalThis.document = { getElementById: () => out };
await import(${JSON.stringify(join(assets, bundle))}); console.log(out.textContent);`;
    writeFileSync(join(scratch, "run-app.mjs"), runner);
    expect((await node(["run-app.mjs"])).stdout).toMatch(/^tokens\/s\/chip \d+\.\d\n$/);
  }, 300_000);

  it("runs its bin: --version, a Hugging Face config, the schema, a scenario on standard input", async () => {
    const bin = join(scratch, "node_modules/trainplan/bin/trainplan.js");
    expect((await node([bin, "-V"])).stdout).toBe(`${pkg.version}\n`);
    const plan = await node([bin, "plan", "--model", fixture, "--chip", "h100", "--chips", "8", "--json"]);
    expect(JSON.parse(plan.stdout).notes[0]).toMatch(/Hugging Face llama config\): 8\.03B parameters/);
    const schema = JSON.parse((await node([bin, "schema"])).stdout);
    expect(schema.title).toBe("trainplan scenario");
    const sim = await node(
      [bin, "simulate", "-", "--json"],
      scratch,
      "model: meta-llama/Meta-Llama-3-8B\nhardware: { chip: h100-sxm, count: 8 }\nparallelism: { tp: 8 }\nglobalBatch: 8\n",
    );
    expect(JSON.parse(sim.stdout).fits).toBe(true);
    // validate with no FILE reads the dev set the package ships in data/ (not bundled a second time).
    const validated = JSON.parse((await node([bin, "validate", "--json"], scratch)).stdout);
    expect(validated.cases.length).toBe(JSON.parse(readFileSync(join(repo, "data/validation/dev.json"), "utf8")).length);
  }, 300_000);

  it("runs each part of meeting users in their formats from the bin: HF config, --emit, constraints, scenario constraints", async () => {
    const bin = join(scratch, "node_modules/trainplan/bin/trainplan.js");
    const run = ["--chip", "h100-sxm", "--chips", "64", "--global-batch", "256"];
    // A Hugging Face config.json in, a Megatron-LM command line out, read back by the library.
    const emitted = (await node([bin, "plan", "--model", fixture, ...run, "--emit", "megatron"])).stdout;
    expect(emitted).toMatch(/^# trainplan: tp\d+ /);
    expect(emitted).toMatch(/--tensor-model-parallel-size \d+ --pipeline-model-parallel-size \d+/);
    expect(emitted).toContain("--global-batch-size 256");
    writeFileSync(join(scratch, "emitted.txt"), emitted);
    const back = `import { parseMegatronArgs, planLabel } from "trainplan"; import { readFileSync } from "node:fs";
      const args = readFileSync("emitted.txt", "utf8").split("\\n").filter((l) => !l.startsWith("#")).join(" ");
      console.log(planLabel(parseMegatronArgs(args, { worldSize: 64, layers: 32 }).plan));`;
    writeFileSync(join(scratch, "back.mjs"), back);
    const label = /^# trainplan: (.*), global batch 256$/m.exec(emitted)?.[1];
    expect((await node(["back.mjs"])).stdout.trim()).toBe(label);
    // A constrained search: every plan at tp 8, and the plans the constraint removed counted.
    const tp8 = JSON.parse((await node([bin, "plan", "--model", "llama3-8b", ...run, "--tp", "8", "--json"])).stdout);
    expect(tp8.plans.length).toBeGreaterThan(0);
    expect(tp8.plans.every((p: { parallelism: { tp: number } }) => p.parallelism.tp === 8)).toBe(true);
    expect(tp8.rejected["outside the constraint on tp"]).toBeGreaterThan(0);
    // A scenario's constraints: block, with a flag over it that wins and says so.
    const scenario = "model: llama3-8b\nhardware: { chip: h100-sxm, count: 64 }\nglobalBatch: 256\nconstraints: { tp: 4, pp: { min: 1, max: 2 }, recompute: none }\n";
    const fromFile = JSON.parse((await node([bin, "plan", "--scenario", "-", "--json"], scratch, scenario)).stdout);
    expect(fromFile.constraints).toEqual({ tp: 4, pp: { min: 1, max: 2 }, recompute: ["none"] });
    expect(fromFile.plans.every((p: { parallelism: { tp: number; pp: number } }) => p.parallelism.tp === 4 && p.parallelism.pp <= 2)).toBe(true);
    const over = (await node([bin, "plan", "--scenario", "-", "--tp", "2"], scratch, scenario)).stdout;
    expect(over).toContain("note: --tp 2 replaces the scenario's constraints.tp (4): the command line wins");
    const compared = await node([bin, "compare", "--scenario", "-", "--tokens", "100B", "--json"], scratch, scenario);
    expect(JSON.parse(compared.stdout).rows[0].plan.parallelism.tp).toBe(4);
    // The JSON Schema carries the constraints block, unknown keys refused.
    const schema = JSON.parse((await node([bin, "schema"])).stdout);
    const block = schema.properties.constraints.anyOf.find((b: { type: string }) => b.type === "object");
    expect(block.additionalProperties).toBe(false);
    expect(Object.keys(block.properties)).toEqual(expect.arrayContaining(["tp", "pp", "ep", "cp", "microBatch", "recompute", "zero", "precision", "framework"]));
    const typo = await node([bin, "plan", "--scenario", "-"], scratch, scenario.replace("recompute:", "recompte:")).catch((e) => e);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean recompute\?/);
  }, 300_000);

  it("searches a scenario's constraints through the library, from JavaScript and TypeScript", async () => {
    const script = `import { planScenario, planLabel } from "trainplan";
      const { result } = planScenario("model: llama3-8b\\nhardware: { chip: h100-sxm, count: 64 }\\nglobalBatch: 256\\nconstraints: { tp: 8, zero: [zero1] }\\n");
      console.log(JSON.stringify(result.plans.map((p) => planLabel(p.parallelism))));`;
    writeFileSync(join(scratch, "plan.mjs"), script);
    const labels = JSON.parse((await node(["plan.mjs"])).stdout) as string[];
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l).toMatch(/^tp8 .*zero1/);
    writeFileSync(
      join(scratch, "plan.ts"),
      `import { planScenario, type PlanSearchResult, type SearchConstraints } from "trainplan";
import { SearchConstraintsSchema } from "trainplan/schema";
const limits: SearchConstraints = SearchConstraintsSchema.parse({ tp: 8, recompute: "none", framework: "megatron-core" });
const out: { result: PlanSearchResult } = planScenario({ model: "llama3-8b", hardware: { chip: "h100-sxm", count: 64 }, constraints: limits });
export const used = out.result.plans.length;
`,
    );
    writeFileSync(
      join(scratch, "tsconfig.plan.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: ["node"] },
        files: ["plan.ts"],
      }),
    );
    const tsc = join(repo, "node_modules/typescript/bin/tsc");
    const checked = await node([tsc, "-p", "tsconfig.plan.json"]).catch((e) => e);
    expect(`${checked.stdout ?? ""}${checked.stderr ?? ""}`).toBe("");
  }, 300_000);
});
