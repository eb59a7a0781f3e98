import { type ClaimVersusModel, claimedRatioText } from "../compare/vendorClaims.js";
import { formatNumber } from "./format.js";
import type { Column } from "./table.js";

/** Vendor claims beside trainplan's prediction of the same ratio, never combined (CLI and web alike). */

export const CLAIM_COLUMNS: Column[] = [
  { header: "vendor" },
  { header: "claim" },
  { header: "claimed", align: "right" },
  { header: "trainplan, this run", align: "right" },
  { header: "measure" },
  { header: "vendor's conditions" },
];

const METRIC_WORDS = {
  "tokens-per-dollar": "tokens per dollar",
  "throughput-per-chip": "training throughput per chip",
  "throughput-per-system": "throughput per system",
} as const;

export function claimCells(c: ClaimVersusModel): string[] {
  return [
    c.claim.vendor,
    `${c.claim.subjectLabel} vs ${c.claim.baselineLabel}: "${c.claim.wording}"`,
    claimedRatioText(c.claim.claimedRatio),
    c.predictedRatio === null ? "-" : `${formatNumber(c.predictedRatio, 2)}x`,
    `${METRIC_WORDS[c.claim.metric]} (${c.predictedHow})`,
    c.claim.conditions,
  ];
}

/** Where each claim comes from, one line each. */
export function claimSources(claims: readonly ClaimVersusModel[]): string[] {
  return claims.map(
    (c) =>
      `${c.claim.id}: ${c.claim.source.title}, ${c.claim.source.url}, seen ${c.claim.source.dateSeen ?? "not recorded"}`,
  );
}
