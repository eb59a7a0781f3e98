import type { ProfileBasis } from "../hardware/profiles.js";

/**
 * Whose fitted performance profile a chip's predictions use, in words, when it is not the chip's own
 * (`profileFrom` of a result, src/hardware/profiles.ts); null when the chip has validation cases of
 * its own or the caller gave the profile. The CLI's text output and the web app both say it: a
 * borrowed fit is an assumption a reader should see.
 */
export function borrowedProfileNote(
  chipId: string,
  profileFrom: string,
  basis: ProfileBasis = profileFrom === chipId ? "fitted" : "borrowed",
): string | null {
  if (basis === "fitted" || basis === "given") return null;
  if (basis === "prior") {
    return `${chipId} has no validation cases of its own: a prior from its hardware with software efficiencies from stated fits (data/profile-priors.json)`;
  }
  return basis === "default" || profileFrom === "default"
    ? `${chipId} has no validation cases of its own and none to borrow: uses the cross-chip default profile`
    : `${chipId} has no validation cases of its own: borrows the profile fitted for ${profileFrom}`;
}
