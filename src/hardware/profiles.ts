import priorData from "../../data/profile-priors.json" with { type: "json" };
import profileData from "../../data/profiles.json" with { type: "json" };
import { chips as catalogChips } from "./catalog.js";
import { type Profile, type ProfileFile, ProfileFileSchema } from "./profile.js";
import { type ProfilePriorFile, ProfilePriorFileSchema, priorProfile } from "./profilePriors.js";
import type { Chip } from "./schema.js";

/** The fitted profiles shipped with trainplan (written by `trainplan calibrate`). */
export const shippedProfiles: ProfileFile = ProfileFileSchema.parse(profileData);
/** The priors for chips without validation cases (data/profile-priors.json, written by hand). */
export const shippedPriors: ProfilePriorFile = ProfilePriorFileSchema.parse(priorData);

/**
 * How a chip's profile was obtained, so an error band can widen for the weaker ones: "fitted" on its
 * own validation cases; "prior" from published hardware and software figures; "borrowed" (another
 * chip's fit); "default" (the cross-chip fit); "given" (passed by the caller, e.g. calibration).
 */
export const PROFILE_BASES = ["fitted", "prior", "borrowed", "default", "given"] as const;
export type ProfileBasis = (typeof PROFILE_BASES)[number];

export interface ProfileChoice {
  profile: Profile;
  /** Which chip's fitted profile or prior was used ("default" when none applies). */
  from: string;
  basis: ProfileBasis;
}

/**
 * The profile for a chip: its own fit, else its prior, else what the chip it borrows from has
 * (`profileFrom`: H200 from H100's fit, trn2u from trn2's prior), else the fit of its vendor's
 * nearest earlier fitted chip (`lineageLender`), else the cross-chip default.
 */
export function profileForChip(
  chip: Chip,
  profiles: ProfileFile = shippedProfiles,
  priors: ProfilePriorFile = shippedPriors,
  catalog: readonly Chip[] = catalogChips,
): ProfileChoice {
  const own = ownProfile(chip.id, profiles, priors);
  if (own) return own;
  const lender = chip.profileFrom ? ownProfile(chip.profileFrom, profiles, priors) : null;
  if (lender) return lender.basis === "fitted" ? { ...lender, basis: "borrowed" } : lender;
  const lineage = lineageLender(chip, profiles, catalog);
  if (lineage) return { profile: profiles.chips[lineage], from: lineage, basis: "borrowed" };
  return { profile: profiles.default, from: "default", basis: "default" };
}

/**
 * The fitted chip a chip with neither fit, prior nor named lender borrows from: the same vendor's
 * newest fitted chip released no later than it (the nearest generation of the same silicon lineage
 * and software stack: CUDA, cuBLAS/cuDNN, NCCL), else its vendor's oldest later one. Null when the
 * vendor has no fitted chip: another vendor's fit says nothing about this stack, so the cross-chip
 * default stands in, stated as such. In the shipped catalog every fitted vendor's chip already has
 * a fit, a prior or a named lender; this rule serves a user's own chip and the cross-validation,
 * where a held-out source can take a chip's every case with it (Megatron-Bridge: all Blackwell runs).
 */
export function lineageLender(chip: Chip, profiles: ProfileFile, catalog: readonly Chip[]): string | null {
  const fitted = catalog.filter((c) => c.vendor === chip.vendor && c.id !== chip.id && profiles.chips[c.id]);
  const byNearest = (a: Chip, b: Chip) => {
    const da = chip.year - a.year;
    const db = chip.year - b.year;
    // Earlier-or-same generations first, the nearest of them; then later ones, the nearest first.
    if (da >= 0 !== db >= 0) return da >= 0 ? -1 : 1;
    return Math.abs(da) - Math.abs(db) || a.id.localeCompare(b.id);
  };
  return fitted.sort(byNearest)[0]?.id ?? null;
}

function ownProfile(id: string, profiles: ProfileFile, priors: ProfilePriorFile): ProfileChoice | null {
  const fit = profiles.chips[id];
  if (fit) return { profile: fit, from: id, basis: "fitted" };
  const prior = priors.priors.find((p) => p.chip === id);
  if (prior) return { profile: priorProfile(prior, profiles), from: id, basis: "prior" };
  return null;
}

/**
 * The chips a comparison covers when none are named: those with a fitted, prior or borrowed profile.
 * Chips that would fall back to the cross-chip default (the Google TPUs: their XLA stack and ICI torus
 * are not modelled, and no run of theirs is in the validation set) are compared only when named, so
 * trainplan never offers a prediction for them unasked.
 */
export function defaultComparisonChips(list: readonly Chip[] = catalogChips): Chip[] {
  return list.filter((chip) => profileForChip(chip).basis !== "default");
}
