import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMegatronArgs } from "../../emit/parseMegatron.js";
import { runCaptured } from "../captured.js";

const cli = (argv: string[]) => runCaptured(argv);
const llama70bOn64 = [
  "plan",
  "--model",
  "llama3-70b",
  "--chip",
  "h100-sxm",
  "--chips",
  "64",
  "--global-batch",
  "256",
];

describe("trainplan plan --emit", () => {
  it("prints the best plan as Megatron-LM flags that read back as that plan", async () => {
    const json = JSON.parse((await cli([...llama70bOn64, "--framework", "megatron-core", "--json"])).stdout);
    const r = await cli([...llama70bOn64, "--emit", "megatron"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^# trainplan: tp\d+ pp\d+/);
    expect(lines.some((l) => l.startsWith("# for Megatron-LM core_v0.14.0"))).toBe(true);
    const flags = lines.filter((l) => !l.startsWith("#")).join(" ");
    const parsed = parseMegatronArgs(flags, { worldSize: 64, layers: 80 });
    expect(parsed.plan).toEqual(json.plans[0].parallelism);
    expect(parsed.globalBatch).toBe(256);
  });

  it("searches what the emit target runs: torchtitan's plan has no ZeRO-1", async () => {
    const r = await cli([...llama70bOn64, "--emit", "torchtitan"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[parallelism]");
    expect(r.stdout).not.toMatch(/# trainplan: .* zero1/);
  });

  it("exits 2 with the reason when the framework cannot express the plan", async () => {
    const r = await cli([
      ...llama70bOn64,
      "--framework",
      "megatron-core",
      "--zero",
      "1",
      "--emit",
      "torchtitan",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--emit.*ZeRO-1/);
    expect((await cli([...llama70bOn64, "--emit", "deepspeed"])).code).toBe(2);
    expect((await cli([...llama70bOn64, "--emit", "megatron", "--json"])).code).toBe(2);
  });
});

describe("trainplan simulate --emit", () => {
  it("prints a scenario's plan as NxD Training YAML", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainplan-emit-"));
    const file = join(dir, "run.yaml");
    writeFileSync(
      file,
      "model: llama3-8b\nhardware: { chip: trn2, count: 16 }\nprecision: bf16\nparallelism: { tp: 2, pp: 2, zero: zero1, recompute: full }\nglobalBatch: 64\nmicroBatch: 1\n",
    );
    const r = await cli(["simulate", file, "--emit", "neuronx"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tensor_model_parallel_size: 8");
    expect(r.stdout).toContain("pipeline_model_parallel_size: 2");
    expect(r.stdout).toContain("activations_checkpoint_granularity: full");
    expect(r.stdout).toContain("global_batch_size: 64");
  });
});
