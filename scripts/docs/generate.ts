/**
 * Regenerates the generated blocks of the documentation from the engine, in-process:
 *   <!-- generated:NAME --> ... <!-- /generated:NAME -->
 * in README.md and docs/*.md. Blocks: profiles, accuracy, residuals, plan-quality.
 * Run: npx tsx scripts/docs/generate.ts   (or npm run docs)
 * A missing file or marker is skipped with a warning. A block whose content did not change keeps
 * its date, so a re-run without engine changes leaves the files untouched.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import chipData from "../../data/chips.json" with { type: "json" };
import validationSet from "../../data/validation/dev.json" with { type: "json" };
import { blockNames, keepStampIfUnchanged, readBlock, replaceBlock } from "../../src/docs/markers.js";
import {
  accuracyBlock,
  planQualityBlock,
  profilesBlock,
  residualsBlock,
  STAMP,
} from "../../src/docs/tables.js";
import { shippedProfiles } from "../../src/hardware/profiles.js";
import type { Chip } from "../../src/hardware/schema.js";
import { loadCases } from "../../src/validation/cases.js";
import { crossValidate } from "../../src/validation/crossValidate.js";
import { planQuality } from "../../src/validation/planQuality.js";
import { measuredPrior } from "../../src/validation/prior.js";
import { summarize, validateCases } from "../../src/validation/validate.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** Where each block is expected; a missing one is reported. */
const EXPECTED: Record<string, string[]> = {
  "README.md": ["accuracy"],
  "docs/model.md": ["profiles", "accuracy", "residuals"],
  "docs/plan.md": ["plan-quality"],
};

function targetFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs];
}

function buildBlocks(): Record<string, () => string> {
  const loaded = loadCases(validationSet);
  for (const r of loaded.rejected) console.warn(`warning: dev case ${r.id} rejected: ${r.error.message}`);
  const cases = loaded.cases;
  const prior = measuredPrior().profile;
  const date = new Date().toISOString().slice(0, 10);
  let report: ReturnType<typeof validateCases> | null = null;
  const validation = () => (report ??= validateCases(cases));
  const cv = (split: "kfold" | "source") => {
    const results = crossValidate(cases, prior, split);
    return {
      engine: summarize(results.map((c) => c.errorPct)),
      naive: summarize(results.map((c) => c.baselineErrorPct)),
    };
  };
  let accuracy: string | null = null;
  return {
    profiles: () => profilesBlock(shippedProfiles, prior, chipData as Chip[]),
    accuracy: () =>
      (accuracy ??= accuracyBlock(validation(), { kfold: cv("kfold"), source: cv("source") }, date)),
    residuals: () => residualsBlock(validation().cases),
    "plan-quality": () => planQualityBlock(cases.map(planQuality)),
  };
}

function main(): void {
  const blocks = buildBlocks();
  let changed = 0;
  for (const file of targetFiles()) {
    const path = join(ROOT, file);
    const expected = EXPECTED[file] ?? [];
    if (!existsSync(path)) {
      if (expected.length)
        console.warn(`warning: ${file} does not exist; skipped blocks ${expected.join(", ")}`);
      continue;
    }
    const before = readFileSync(path, "utf8");
    let text = before;
    for (const name of expected) {
      if (!blockNames(text).includes(name))
        console.warn(`warning: ${file} has no <!-- generated:${name} --> marker; skipped`);
    }
    for (const name of blockNames(text)) {
      const make = blocks[name];
      if (!make) {
        console.warn(`warning: ${file}: unknown generated block "${name}" left as is`);
        continue;
      }
      const content = keepStampIfUnchanged(readBlock(text, name), make(), STAMP);
      const r = replaceBlock(text, name, content);
      if (r.status === "unclosed")
        console.warn(`warning: ${file}: block "${name}" has no closing marker; skipped`);
      text = r.text;
    }
    if (text !== before) {
      writeFileSync(path, text);
      changed++;
      console.log(`updated ${file}`);
    }
  }
  console.log(changed ? `${changed} file(s) updated` : "documentation already up to date");
}

main();
