import { countParameters } from "./parameters.js";
import type { Model } from "./schema.js";

export interface DefaultBatch {
  /** Global batch in sequences. */
  sequences: number;
  tokensPerBatch: number;
  note: string;
}

/**
 * Global batch when the user gives none, by model size. Llama 2 trained every size on 4M-token
 * batches (Touvron et al. 2023, arXiv 2307.09288, §2.2); Llama 3 405B ran most of its 15.6T tokens
 * at 16M tokens per batch (Llama Team 2024, arXiv 2407.21783, §3.4.1). 2^22 and 2^24 tokens keep
 * the sequence count a power of two for power-of-two sequence lengths.
 */
export function defaultGlobalBatch(model: Model, seqLen: number): DefaultBatch {
  const params = countParameters(model).total;
  const large = params >= 200e9;
  const tokens = large ? 2 ** 24 : 2 ** 22;
  const sequences = Math.max(1, Math.round(tokens / seqLen));
  const basis = large
    ? ">= 200B parameters: 16M tokens, as Llama 3 405B (arXiv 2407.21783 §3.4.1)"
    : "< 200B parameters: 4M tokens, as Llama 2 (arXiv 2307.09288 §2.2)";
  return {
    sequences,
    tokensPerBatch: sequences * seqLen,
    note: `global batch ${sequences} sequences x ${seqLen} tokens (default for ${basis})`,
  };
}
