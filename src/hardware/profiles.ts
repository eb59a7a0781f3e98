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
  const lineage = lineageLender(chip, profiles, priors, catalog);
  const kin = lineage ? ownProfile(lineage, profiles, priors) : null;
  if (kin) return kin.basis === "fitted" ? { ...kin, basis: "borrowed" } : kin;
  return { profile: profiles.default, from: "default", basis: "default" };
}

/**
 * The chip a chip with neither fit, prior nor named lender borrows from: the same vendor's newest
 * chip with a fit or a prior released no later than it (the nearest generation of the same silicon
 * lineage and software stack: CUDA, cuBLAS/cuDNN, NCCL; Neuron), else its vendor's oldest later one;
 * within a year, the one fitted on the most runs. Null when the vendor has neither: another vendor's
 * fit says nothing about this stack, so the cross-chip default stands in, stated as such. In the
 * shipped catalog every chip of a vendor with a fit or prior already has its own or a named lender
 * (the TPUs have none, and keep the default); this rule serves a user's own chip and the
 * cross-validation, where a held-out source can take a chip's every case with it (Megatron-Bridge:
 * all Blackwell runs).
 */
export function lineageLender(
  chip: Chip,
  profiles: ProfileFile,
  priors: ProfilePriorFile,
  catalog: readonly Chip[],
): string | null {
  const vendor = chip.vendor.toLowerCase();
  const fitted = catalog.filter(
    (c) =>
      c.vendor.toLowerCase() === vendor &&
      c.id !== chip.id &&
      (profiles.chips[c.id] != null || priors.priors.some((p) => p.chip === c.id)),
  );
  const cases = (id: string) => profiles.residuals.filter((r) => r.chip === id).length;
  const byNearest = (a: Chip, b: Chip) => {
    const da = chip.year - a.year;
    const db = chip.year - b.year;
    // Earlier-or-same generations first, the nearest of them; then later ones, the nearest first.
    if (da >= 0 !== db >= 0) return da >= 0 ? -1 : 1;
    // Within a year, the profile fitted on the most runs (a prior counts none), then by id.
    return Math.abs(da) - Math.abs(db) || cases(b.id) - cases(a.id) || a.id.localeCompare(b.id);
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
