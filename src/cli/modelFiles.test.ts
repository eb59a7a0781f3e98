import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCaptured } from "./captured.js";

const FIXTURES = new URL("../../test/fixtures/huggingface/", import.meta.url);
const fixturePath = (name: string) => new URL(`${name}.json`, FIXTURES).pathname;
const scratch = () => mkdtempSync(join(tmpdir(), "trainplan-model-"));

const scenario = (model: string) => `id: hf-run
model: ${model}
hardware: { chip: h100-sxm, count: 64 }
parallelism: { tp: 8, pp: 1 }
globalBatch: 64
microBatch: 1
`;

describe("models given as files and by Hugging Face id", () => {
  it("plans from a Hugging Face config.json, printing its parameter counts and guesses", async () => {
    const r = await runCaptured([
      "plan",
      "--model",
      fixturePath("meta-llama--Llama-3.1-405B"),
      "--chip",
      "h100",
      "--chips",
      "1024",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const notes: string[] = JSON.parse(r.stdout).notes;
    expect(notes[0]).toBe(
      "meta-llama--Llama-3.1-405B.json (Hugging Face llama config): 405.9B parameters, 405.9B active per token; check them against the model card",
    );
    expect(notes.join("\n")).toMatch(/gated MLP .*silu/);
    const text = await runCaptured([
      "plan",
      "--model",
      fixturePath("mistralai--Mixtral-8x7B-v0.1"),
      "--chip",
      "h100",
      "--chips",
      "64",
    ]);
    expect(text.stdout).toMatch(
      /note: mistralai--Mixtral-8x7B-v0.1.json \(Hugging Face mixtral config\): 46.70B parameters, 12.88B active per token/,
    );
  });

  it("prints the counts of a model file in trainplan's own fields too, and for compare on stderr", async () => {
    const dir = scratch();
    const file = join(dir, "tiny.yaml");
    writeFileSync(
      file,
      "model: { layers: 2, hidden: 256, ffnHidden: 1024, heads: 4, vocab: 1000, seqLen: 512 }\n",
    );
    const r = await runCaptured([
      "compare",
      "--model",
      file,
      "--tokens",
      "1B",
      "--chip",
      "h100",
      "--chips",
      "8",
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^note: tiny\.yaml \(trainplan model fields\): 0\.002B parameters/m);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it("takes a preset by its Hugging Face id and suggests close ids", async () => {
    const ok = await runCaptured([
      "plan",
      "--model",
      "meta-llama/Llama-3.1-70B",
      "--chip",
      "h100",
      "--chips",
      "64",
      "--json",
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).model).toBe("llama3-70b");
    const typo = await runCaptured([
      "plan",
      "--model",
      "meta-llama/Llama-3.1-405",
      "--chip",
      "h100",
      "--chips",
      "64",
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean meta-llama\/Llama-3\.1-405B/);
  });

  it("refuses an unknown architecture with the missing fields named, exit 2", async () => {
    const file = join(scratch(), "config.json");
    writeFileSync(file, JSON.stringify({ model_type: "rwkv", hidden_size: 2048, vocab_size: 50277 }));
    const r = await runCaptured(["plan", "--model", file, "--chip", "h100", "--chips", "8"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: Invalid config\.json: got "rwkv"\. .*lacks num_hidden_layers .*num_attention_heads .*intermediate_size/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("simulates a scenario whose model is a config.json path beside it, stating the reading", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "config.json"), readFileSync(fixturePath("meta-llama--Meta-Llama-3-8B")));
    writeFileSync(join(dir, "run.yaml"), scenario("config.json"));
    const r = await runCaptured(["simulate", join(dir, "run.yaml"), "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.assumptions[0]).toMatch(/^config\.json \(Hugging Face llama config\): 8\.03B parameters/);
    const preset = JSON.parse(
      (await runCaptured(["simulate", "-", "--json"], { stdin: scenario("llama3-8b") })).stdout,
    );
    expect(out.throughput.tokensPerSecondPerChip).toBeCloseTo(preset.throughput.tokensPerSecondPerChip, 6);
  });

  it("reads a scenario from standard input, its model an inline Hugging Face config", async () => {
    const config = JSON.parse(readFileSync(fixturePath("Qwen--Qwen3-8B"), "utf8"));
    const asJson = JSON.stringify({
      model: config,
      hardware: { chip: "h100-sxm", count: 64 },
      parallelism: { tp: 8 },
      globalBatch: 64,
    });
    const asYaml = scenario(JSON.stringify(config)); // YAML holds JSON flow syntax as is
    for (const input of [asJson, asYaml]) {
      const r = await runCaptured(["simulate", "-", "--json"], { stdin: input });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).assumptions.join("\n")).toMatch(
        /model \(Hugging Face qwen3 config\): 8\.19B parameters/,
      );
    }
  });

  it("validates a case list read from standard input", async () => {
    const cases = JSON.stringify([
      {
        id: "piped",
        model: "llama3-8b",
        hardware: { chip: "h100-sxm", count: 8 },
        parallelism: { tp: 8 },
        globalBatch: 8,
        measured: { tokensPerSecondPerChip: 5000 },
      },
    ]);
    const r = await runCaptured(["validate", "-", "--json"], { stdin: cases });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("piped");
  });
});
