import { z } from "zod";
import { type Profile, type ProfileFile, ProfileSchema } from "./profile.js";

const ParameterSchema = z.enum(Object.keys(ProfileSchema.shape) as [keyof Profile, ...(keyof Profile)[]]);

/**
 * One parameter of a prior: a figure with its source, or the value fitted for another chip whose
 * software is the same (`fromFit`: trn2's Neuron compiler and NxD stack are trn1's), or the
 * cross-chip fitted default (`fromFit: "default"`) where nothing chip-specific is published.
 */
export const PriorParameterSchema = z.union([
  z.object({ value: z.number(), why: z.string(), source: z.string().url().nullable().default(null) }),
  z.object({ fromFit: z.string(), why: z.string() }),
]);
export type PriorParameter = z.infer<typeof PriorParameterSchema>;

/**
 * A profile for a chip with no validation cases of its own, built from what its vendor publishes
 * (the hardware figures live in data/chips.json) and, parameter by parameter, the fitted software
 * efficiency of a chip that runs the same software. Every parameter is stated.
 */
export const ProfilePriorSchema = z.object({
  chip: z.string(),
  date: z.string(),
  summary: z.string(),
  parameters: z.record(ParameterSchema, PriorParameterSchema),
});
export type ProfilePrior = z.infer<typeof ProfilePriorSchema>;

export const ProfilePriorFileSchema = z.object({
  note: z.string(),
  priors: z.array(ProfilePriorSchema),
});
export type ProfilePriorFile = z.infer<typeof ProfilePriorFileSchema>;

/** The prior's profile under a set of fits: each `fromFit` parameter reads that fit (or the default). */
export function priorProfile(prior: ProfilePrior, fits: ProfileFile): Profile {
  const values: Record<string, number> = {};
  for (const key of Object.keys(ProfileSchema.shape) as (keyof Profile)[]) {
    const parameter = prior.parameters[key];
    if (!parameter) throw new Error(`data/profile-priors.json: prior for ${prior.chip} lacks ${key}`);
    if ("value" in parameter) values[key] = parameter.value;
    else values[key] = (fits.chips[parameter.fromFit] ?? fits.default)[key];
  }
  return ProfileSchema.parse(values);
}
