import { z } from "zod";
import { InputError } from "../errors.js";

/**
 * What the host issues after the alltoall dispatcher's sync in the forward, around the experts (the
 * dispatch before them, the combine after): about 15 calls (three all-to-alls, the permutations and
 * their split bookkeeping, token_dispatcher.py at Megatron-Core core_v0.15.0) at 10-25 us of eager
 * dispatch each, 0.15-0.38 ms; the midpoint. An estimate from the code; the backward needs no sync and
 * runs ahead of the GPU.
 */
export const DISPATCHER_HOST_SECONDS_ESTIMATE = 2.6e-4;

/**
 * What physics does not give: how close a chip's software stack gets to its peaks.
 * Few parameters, each with a physical meaning, fitted by `trainplan calibrate` on the
 * validation set (data/profiles.json) or measured on the device (data/measurements/).
 */
export const ProfileSchema = z.object({
  /** Asymptotic fraction of dense peak reached by large bf16/fp16 matrix multiplies. */
  gemmEfficiency: z.number().min(0.05).max(1),
  /**
   * FP8 GEMMs reach this fraction of the bf16 GEMMs' efficiency, each against its own peak
   * (0.95 measured on an H200: 0.64 of the fp8 peak against 0.67 of the bf16 peak). Shared by all
   * chips, so a chip's fp8 and bf16 runs inform one GEMM efficiency.
   */
  fp8EfficiencyRatio: z.number().min(0.3).max(1.2),
  /**
   * Fixed time per GEMM kernel on the GPU (ramp-up and the last partial wave), seconds: small GEMMs
   * lose efficiency as work / (work + peak·efficiency·fixed) (data/measurements/derived.json).
   */
  gemmFixedSeconds: z.number().min(0).max(1e-4),
  /** Fused (flash) attention: asymptotic fraction of the bf16 peak, forward and backward. */
  attentionEfficiency: z.number().min(0.05).max(1),
  /**
   * Attention efficiency falls for short sequences, narrow heads and few query tiles: factor
   * s/(s + seqHalf) · d/(d + headDimHalf) · u/(u + tilesHalf), with u the 128-row query tiles a rank's
   * kernel runs (micro-batch · heads / tp · s / 128), fitted to an H200's attention measurements, not to
   * the validation set (data/measurements/derived.json). tilesHalf is 0 (no occupancy term) in older
   * profile files.
   */
  attentionSeqHalf: z.number().min(0).max(65536),
  attentionHeadDimHalf: z.number().min(0).max(1024),
  attentionTilesHalf: z.number().min(0).max(65536).default(0),
  /**
   * Speed of FlashAttention-2 relative to the chip's fused (cuDNN / FA3-class) attention:
   * 0.57 measured on an H200 (data/measurements); 1 where FA2 is the best kernel (A100).
   */
  flash2AttentionRatio: z.number().min(0.1).max(1),
  /** Fraction of HBM bandwidth reached by element-wise kernels (norms, activations, optimizer). */
  memoryEfficiency: z.number().min(0.05).max(1),
  /**
   * Host time to issue one kernel (framework dispatch + launch), seconds. A layer whose GPU work is
   * shorter than the time to launch its kernels is launch-bound (small micro-batches, fine-grained MoE).
   */
  launchSeconds: z.number().min(0).max(1e-3),
  /** Fraction of link bandwidth reached by ring collectives inside the scale-up domain. */
  scaleUpBusEfficiency: z.number().min(0.05).max(1),
  /** Same across the scale-out network (EFA, InfiniBand). */
  scaleOutBusEfficiency: z.number().min(0.02).max(1),
  /** Per-hop latency of a collective step, seconds (alpha of the alpha-beta model). */
  scaleUpLatencySeconds: z.number().min(0).max(1e-3),
  scaleOutLatencySeconds: z.number().min(0).max(1e-3),
  /** Fraction of the overlappable compute window that hides data-parallel traffic. */
  dpOverlap: z.number().min(0).max(1),
  /** Fraction of tensor-parallel traffic hidden behind compute (TE comm overlap). */
  tpOverlap: z.number().min(0).max(1),
  /**
   * Fraction of expert-parallel all-to-all hidden behind compute (Megatron-Core overlaps one
   * micro-batch's dispatch/combine with another's expert compute).
   */
  epOverlap: z.number().min(0).max(1),
  /**
   * Host time per layer per micro-batch that no GPU work hides, paid by models whose layers alternate
   * attention configurations (sliding-window and full). Transformer Engine caches one attention-backend
   * choice and re-selects, a CPU-heavy pass, whenever the attention parameters change
   * (TransformerEngine issue #1349, PR #1381), so such a model re-selects at every layer. Fitted;
   * absent from older profile files, where it is 0.
   */
  attentionSwitchSeconds: z.number().min(0).max(0.05).default(0),
  /**
   * Overlapped collectives are not free: their kernels take SMs and HBM bandwidth from the compute
   * they run beside (DeepEP's dispatch kernels occupy 20-24 SMs of an H800's 132, DeepSeek-V3 report
   * sec. 3.2.2). Each second of communication hidden behind compute slows that compute by this many
   * seconds: 0 is free overlap, 1 no gain. Shared by all chips; fitted; 0 in older profile files.
   */
  overlapInterference: z.number().min(0).max(1).default(0),
  /**
   * Host time per MoE layer and micro-batch that no GPU work hides where the dispatcher copies the
   * per-expert token counts to the host (Megatron's alltoall and allgather dispatchers): after the copy
   * (token_dispatcher.py, the sync before the expert all-to-all) the drained GPU waits while the host
   * issues the rest of the forward MoE block. This is its fixed part, the dispatcher's own calls
   * (DISPATCHER_HOST_SECONDS_ESTIMATE); not fitted; older profile files take the same estimate.
   */
  dispatcherHostSeconds: z.number().min(0).max(0.05).default(DISPATCHER_HOST_SECONDS_ESTIMATE),
  /**
   * The part of that host time that grows with the local experts, per local expert: Transformer Engine's
   * GroupedLinear sets up and launches each expert's GEMMs in turn. Shared by all chips; fitted on the
   * MoE runs whose dispatcher syncs, its prior read from published runs on such a dispatcher
   * (src/validation/dispatchSyncPrior.ts); 0 in older profile files.
   */
  dispatchSyncSecondsPerExpert: z.number().min(0).max(0.05).default(0),
});
export type Profile = z.infer<typeof ProfileSchema>;

/**
 * Where measured throughput lay against predicted, for the central 80% of out-of-sample runs of one
 * class (src/validation/errorBands.ts): multipliers on the predicted throughput.
 */
export const ErrorBandSchema = z.object({
  low: z.number().positive(),
  high: z.number().positive(),
  cases: z.number().int().nonnegative(),
  /** The residuals it came from: its own class, or the kind's or all when the class had too few. */
  from: z.string(),
});
export type ErrorBand = z.infer<typeof ErrorBandSchema>;
export const ErrorBandsSchema = z.record(z.string(), ErrorBandSchema);
export type ErrorBands = z.infer<typeof ErrorBandsSchema>;

export const ProfileFileSchema = z.object({
  generatedBy: z.string(),
  fittedOn: z.string(),
  /** When the fit was made (YYYY-MM-DD); the prior's measurements carry their own dates. */
  date: z.string().optional(),
  /** Global defaults, used by chips with no fitted profile of their own nor a `profileFrom`. */
  default: ProfileSchema,
  chips: z.record(z.string(), ProfileSchema),
  residuals: z
    .array(
      z.object({
        id: z.string(),
        chip: z.string(),
        measured: z.number(),
        predicted: z.number(),
        errorPct: z.number(),
      }),
    )
    .default([]),
  /** Error bands by class from leave-one-source-out residuals (absent: no band is stated). */
  bands: ErrorBandsSchema.optional(),
  /** Share of runs inside their band when each source's band is built without it. */
  bandCoverage: z.object({ covered: z.number(), cases: z.number() }).optional(),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;

/**
 * Profile keys a newer model replaced, with what replaced them: a file that still carries one was
 * fitted for physics the engine no longer has, and reading it as it stands would drop the key unseen.
 */
const RETIRED_PROFILE_KEYS: Record<string, string> = {
  dispatchSyncSeconds:
    "no longer read: the alltoall dispatcher's host time is now charged per local expert (dispatchSyncSecondsPerExpert, 2026-12-02); refit the file with trainplan calibrate --out FILE",
};

/** Refuses a profile that carries a retired key, naming it at `field`. */
export function checkRetiredProfileKeys(profile: unknown, field: string): void {
  if (!profile || typeof profile !== "object") return;
  for (const [key, why] of Object.entries(RETIRED_PROFILE_KEYS)) {
    if (key in profile) {
      throw new InputError({
        field: `${field}.${key}`,
        value: (profile as Record<string, unknown>)[key],
        allowed: why,
      });
    }
  }
}

/** The same for a profile file: its default and every chip's profile. */
export function checkRetiredProfileFileKeys(file: unknown, field: string): void {
  if (!file || typeof file !== "object") return;
  const { default: fallback, chips } = file as { default?: unknown; chips?: unknown };
  checkRetiredProfileKeys(fallback, `${field}.default`);
  if (!chips || typeof chips !== "object") return;
  for (const [chip, p] of Object.entries(chips)) checkRetiredProfileKeys(p, `${field}.chips.${chip}`);
}
