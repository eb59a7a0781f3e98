import { defaultValue } from "./assumptions.js";
import { CostInputError, requirePositive, requirePositiveInt } from "./errors.js";

/**
 * Bytes in one full training checkpoint. Mixed-precision Adam keeps bf16 weights (2 B) plus fp32
 * master weights and the two Adam moments (4 + 4 + 4 B) per parameter (Rajbhandari et al., ZeRO,
 * SC20, section 3.1); gradients are recomputed, so they are not saved.
 */
export function checkpointBytes(
  params: number,
  bytesPerParam = defaultValue("checkpointBytesPerParam"),
): number {
  requirePositive("params", params);
  requirePositive("bytesPerParam", bytesPerParam);
  return params * bytesPerParam;
}

/** "sync": training waits for the write to storage. "async": it waits only for the device-to-host copy. */
export const CHECKPOINT_MODES = ["sync", "async"] as const;
export type CheckpointMode = (typeof CHECKPOINT_MODES)[number];
/** Synchronous writes: what the plain frameworks do unless asked otherwise (and the stricter figure). */
export const DEFAULT_CHECKPOINT_MODE: CheckpointMode = "sync";

export function isCheckpointMode(value: unknown): value is CheckpointMode {
  return (CHECKPOINT_MODES as readonly unknown[]).includes(value);
}

export interface CheckpointTimeInput {
  checkpointBytes: number;
  chips: number;
  /** Chips per node (8 for HGX, 16 for a Trainium instance); storage bandwidth scales per node. */
  chipsPerNode?: number;
  /** "sync": training waits for the write to storage. "async": it waits only for the device-to-host copy. */
  mode?: CheckpointMode;
  storageWriteGBpsPerNode?: number;
  storageWriteCapGBps?: number;
  hostCopyGBpsPerChip?: number;
}

export interface CheckpointTime {
  /** Seconds training is blocked per checkpoint (δ in Young/Daly). */
  blockingSeconds: number;
  /** Seconds to persist one checkpoint to storage; with async writes the interval must be at least this. */
  persistSeconds: number;
  aggregateWriteGBps: number;
  mode: CheckpointMode;
}

/**
 * Time to write one checkpoint. Sync: δ = bytes / min(perNode × nodes, cap). Async (Megatron and
 * PyTorch DCP async save, NxD Training async checkpoints): δ = bytes per chip / device-to-host rate,
 * and the background write to storage takes `persistSeconds`.
 */
export function checkpointTime(input: CheckpointTimeInput): CheckpointTime {
  const bytes = requirePositive("checkpointBytes", input.checkpointBytes);
  const chips = requirePositiveInt("chips", input.chips);
  const chipsPerNode = requirePositiveInt("chipsPerNode", input.chipsPerNode ?? 8);
  const mode = input.mode ?? DEFAULT_CHECKPOINT_MODE;
  if (!isCheckpointMode(mode)) throw new CostInputError("checkpointMode", mode, '"sync" or "async"');
  const perNode = requirePositive(
    "storageWriteGBpsPerNode",
    input.storageWriteGBpsPerNode ?? defaultValue("storageWriteGBpsPerNode"),
  );
  const cap = requirePositive(
    "storageWriteCapGBps",
    input.storageWriteCapGBps ?? defaultValue("storageWriteCapGBps"),
  );
  const nodes = Math.ceil(chips / chipsPerNode);
  const aggregateWriteGBps = Math.min(perNode * nodes, cap);
  const persistSeconds = bytes / (aggregateWriteGBps * 1e9);
  if (mode === "sync") return { blockingSeconds: persistSeconds, persistSeconds, aggregateWriteGBps, mode };
  const copy = requirePositive(
    "hostCopyGBpsPerChip",
    input.hostCopyGBpsPerChip ?? defaultValue("hostCopyGBpsPerChip"),
  );
  // Each chip snapshots only its own shard (fully sharded state), all chips in parallel.
  const blockingSeconds = bytes / chips / (copy * 1e9);
  return { blockingSeconds, persistSeconds, aggregateWriteGBps, mode };
}
