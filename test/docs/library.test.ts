// Runs every example of docs/library.md against the built package (as `import ... from "trainplan"`
// resolves it for a user) and compares its output with the block under it; `…` matches any text in a line.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const repo = new URL("../../", import.meta.url).pathname;
const doc = readFileSync(join(repo, "docs/library.md"), "utf8");

/** Each ```js block with the ```text block that follows it. */
function examples(markdown: string): { code: string; output: string }[] {
  const found = [...markdown.matchAll(/```js\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/g)];
  return found.map((m) => ({ code: m[1], output: m[2] }));
}

function linePattern(line: string): RegExp {
  const escaped = line.split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`);
}

let dir = "";

beforeAll(async () => {
  // `npm test` builds first; build here when run alone.
  if (!existsSync(join(repo, "dist/index.js"))) await exec(process.execPath, ["scripts/build.mjs"], { cwd: repo });
  dir = mkdtempSync(join(tmpdir(), "trainplan-docs-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(repo, join(dir, "node_modules/trainplan"));
}, 600_000);

describe("docs/library.md", () => {
  const all = examples(doc);

  it("has examples, each followed by its output", () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(doc.match(/```js\n/g)?.length).toBe(all.length);
  });

  all.forEach(({ code, output }, i) => {
    const title = code.split("\n").find((l) => l.includes("import"))?.trim() ?? `example ${i + 1}`;
    it(`example ${i + 1} prints what the doc says (${title})`, async () => {
      const file = join(dir, `example-${i + 1}.mjs`);
      writeFileSync(file, code);
      const { stdout } = await exec(process.execPath, [file], { cwd: dir });
      const got = stdout.trimEnd().split("\n");
      const want = output.trimEnd().split("\n");
      expect(got.length, stdout).toBe(want.length);
      want.forEach((line, j) => expect(got[j], `line ${j + 1}`).toMatch(linePattern(line)));
    }, 300_000);
  });
});
