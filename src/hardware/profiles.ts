import profileData from "../../data/profiles.json" with { type: "json" };
import { type Profile, type ProfileFile, ProfileFileSchema } from "./profile.js";
import type { Chip } from "./schema.js";

/** The fitted profiles shipped with trainplan (written by `trainplan calibrate`). */
export const shippedProfiles: ProfileFile = ProfileFileSchema.parse(profileData);

export interface ProfileChoice {
  profile: Profile;
  /** Which chip's fitted profile was used ("default" when none applies). */
  from: string;
}

/**
 * The profile for a chip: its own fit, else the fit of the chip it borrows from (`profileFrom`,
 * e.g. H200 from H100), else the cross-chip default.
 */
export function profileForChip(chip: Chip, profiles: ProfileFile = shippedProfiles): ProfileChoice {
  const own = profiles.chips[chip.id];
  if (own) return { profile: own, from: chip.id };
  if (chip.profileFrom && profiles.chips[chip.profileFrom]) {
    return { profile: profiles.chips[chip.profileFrom], from: chip.profileFrom };
  }
  return { profile: profiles.default, from: "default" };
}
