import { z } from "zod";
import data from "../../data/economics.json" with { type: "json" };

/** One sourced default: the number, its unit, where it came from, and whether it is our assumption. */
export const AssumptionSchema = z.object({
  value: z.number(),
  unit: z.string(),
  source: z.object({ title: z.string(), url: z.string(), dateSeen: z.string() }),
  assumption: z.boolean(),
  note: z.string(),
});
export type Assumption = z.infer<typeof AssumptionSchema>;

const DEFAULT_KEYS = [
  "failuresPerChipHour",
  "checkpointBytesPerParam",
  "storageWriteGBpsPerNode",
  "storageWriteCapGBps",
  "hostCopyGBpsPerChip",
  "restartSeconds",
  "idlePowerFraction",
  "mfuAtFullPower",
  "hostOverheadFraction",
  "pue",
  "priceDeclinePctPerYear",
] as const;
export type DefaultKey = (typeof DEFAULT_KEYS)[number];

export const EconomicsSchema = z.object({
  version: z.literal(1),
  defaults: z.object(
    Object.fromEntries(DEFAULT_KEYS.map((k) => [k, AssumptionSchema])) as Record<
      DefaultKey,
      typeof AssumptionSchema
    >,
  ),
  failureRates: z.record(z.string(), AssumptionSchema),
  gridIntensity: z.record(z.string(), AssumptionSchema),
});
export type Economics = z.infer<typeof EconomicsSchema>;

/** The sourced defaults in data/economics.json, validated once at import. */
export const economics: Economics = EconomicsSchema.parse(data);

/** The default value for `key` (see data/economics.json for unit and source). */
export function defaultValue(key: DefaultKey): number {
  return economics.defaults[key].value;
}

/** "name = value unit (assumption; source title)" for reports. */
export function describeDefault(key: DefaultKey, value = defaultValue(key)): string {
  const a = economics.defaults[key];
  const tag = a.assumption ? "assumption" : "sourced";
  return `${key} = ${value} ${a.unit} (${tag}; ${a.source.title})`;
}
