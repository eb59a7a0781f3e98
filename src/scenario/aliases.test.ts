import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { withCanonicalNames } from "./aliases.js";
import { parseScenario } from "./parse.js";

const hardware = { chip: "h100-sxm", count: 64 };

describe("scenario aliases", () => {
  it("reads a parallelism block pasted from a Megatron recipe as the scenario's own names", () => {
    const s = parseScenario({
      model: "llama3-70b",
      hardware,
      parallelism: {
        tensor_model_parallel_size: 4,
        pipeline_model_parallel_size: 4,
        virtual_pipeline_model_parallel_size: 5,
        context_parallel_size: 1,
        sequence_parallel: true,
        micro_batch_size: 1,
        global_batch_size: 128,
      },
    });
    expect(s.parallelism).toMatchObject({ tp: 4, pp: 4, vpp: 5, cp: 1, sequenceParallel: true });
    expect(s.microBatch).toBe(1);
    expect(s.globalBatch).toBe(128);
  });

  it("takes torchtitan's degrees, batch sizes at the top level, and Megatron's null for no interleaving", () => {
    const raw = withCanonicalNames({
      global_batch_size: 64,
      parallelism: {
        tensor_parallel_degree: 8,
        pipeline_parallel_degree: 2,
        virtual_pipeline_model_parallel_size: null,
      },
    });
    expect(raw).toEqual({ globalBatch: 64, parallelism: { tp: 8, pp: 2, vpp: 1 } });
  });

  it("accepts an alias beside its canonical name when both say the same", () => {
    expect(withCanonicalNames({ parallelism: { tp: 4, tensor_model_parallel_size: 4 } })).toEqual({
      parallelism: { tp: 4 },
    });
  });

  it("rejects an alias and its canonical name with different values, naming both", () => {
    const bad = () =>
      parseScenario({ model: "llama3-70b", hardware, parallelism: { tp: 8, tensor_model_parallel_size: 4 } });
    expect(bad).toThrow(InputError);
    expect(bad).toThrow(/parallelism\.tensor_model_parallel_size.*parallelism\.tp/);
    expect(() =>
      withCanonicalNames({ globalBatch: 64, parallelism: { global_batch_size: 128 } }, "cases[2]"),
    ).toThrow(/cases\[2\]\.parallelism\.global_batch_size.*cases\[2\]\.globalBatch/);
    expect(() =>
      withCanonicalNames({ parallelism: { tensor_model_parallel_size: 2, tensor_parallel_degree: 4 } }),
    ).toThrow(/tensor_parallel_degree.*tensor_model_parallel_size/);
  });
});
