import { CostInputError, requirePositive, requirePositiveInt, requireRange } from "./errors.js";

export interface TimeToTrainInput {
  tokens: number;
  tokensPerSecondPerChip: number;
  chips: number;
  /** Useful / wall-clock fraction from goodput(); 1 = no failures or checkpoints. */
  goodput: number;
}

export interface TimeToTrain {
  seconds: number;
  days: number;
  /** Chips × wall-clock hours: what a cloud bill counts. */
  chipHours: number;
}

/** Wall-clock time: seconds = tokens / (tokens/s per chip × chips × goodput). */
export function timeToTrain(input: TimeToTrainInput): TimeToTrain {
  const tokens = requirePositive("tokens", input.tokens);
  const rate = requirePositive("tokensPerSecondPerChip", input.tokensPerSecondPerChip);
  const chips = requirePositiveInt("chips", input.chips);
  const g = requireRange("goodput", input.goodput, 0, 1);
  if (g === 0)
    throw new CostInputError("goodput", g, "a fraction > 0 and <= 1 (0 means the job never finishes)");
  const seconds = tokens / (rate * chips * g);
  return { seconds, days: seconds / 86400, chipHours: (chips * seconds) / 3600 };
}
