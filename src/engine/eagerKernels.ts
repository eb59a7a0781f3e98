import measured from "../../data/measurements/summary.json" with { type: "json" };
import type { ResolvedSoftware } from "../plan/softwareDefaults.js";

/**
 * What eager PyTorch element-wise kernels cost beyond fused ones, as extra bytes per fused byte (the
 * engine times element-wise work as bytes over achieved HBM bandwidth):
 * - RMSNorm: an eager RMSNorm (the bf16 input squared in fp32, mean, rsqrt cast to bf16, two bf16
 *   multiplies; scripts/device/measure_gpu.py) ran at 0.09 of a copy's bandwidth on an H200 against 0.64
 *   for the fused kernel, the same bytes counted (data/measurements/summary.json,
 *   elementwiseFractionOfCopy): 7.1x the time. A lower bound for torchtitan's, which casts the whole
 *   input to fp32 and back (models/norms.py: about 36 bytes per element against the measured ~26).
 * - Rotary embedding as torchtitan writes it (models/llama/model.py, apply_rotary_emb): the query or
 *   key cast to fp32 (read 2 bytes, write 4), a complex multiply (read 4, write 4) and the cast back
 *   (read 4, write 2): 20 bytes per element against a fused kernel's 4.
 * - SwiGLU as silu(a) * b: silu reads and writes f, the multiply reads 2f and writes f, 5f element
 *   passes against the fused kernel's 3f.
 */
const EAGER_NORM_TIME_RATIO =
  measured.elementwiseFractionOfCopy.rmsnormFused / measured.elementwiseFractionOfCopy.rmsnormEagerUnfused;
const EAGER_ROTARY_BYTE_RATIO = 20 / 4;
const EAGER_SWIGLU_BYTE_RATIO = 5 / 3;

export interface EagerExtras {
  /** Extra bytes per fused norm byte. */
  norm: number;
  /** Extra bytes per fused rotary byte. */
  rotary: number;
  /** Extra bytes per fused gated-activation byte. */
  gatedActivation: number;
}

export function eagerExtras(software: ResolvedSoftware): EagerExtras {
  return {
    norm: software.fusedNorm ? 0 : EAGER_NORM_TIME_RATIO - 1,
    rotary: software.fusedElementwise ? 0 : EAGER_ROTARY_BYTE_RATIO - 1,
    gatedActivation: software.fusedElementwise ? 0 : EAGER_SWIGLU_BYTE_RATIO - 1,
  };
}
