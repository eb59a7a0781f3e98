import { z } from "zod";
import claimData from "../../data/claims.json" with { type: "json" };
import { SourceSchema } from "../workload/schema.js";

/**
 * Vendors' own comparisons (AWS for Trainium, NVIDIA for Blackwell), as data with their source, and
 * trainplan's prediction of the same ratio for the run at hand, side by side (docs/compare.md,
 * "Vendor claims"). The two are never combined: a claim is what a vendor says under its conditions,
 * the prediction is what the model gives for this run.
 */

/**
 * What a claim compares, as a ratio subject / baseline (higher is better for the subject):
 * tokens-per-dollar ("price performance", "cost-to-train savings": a 50% saving is 2x),
 * throughput-per-chip (training speed at equal chip counts),
 * throughput-per-system (a whole UltraServer or rack against another, `systemChips` each).
 */
export const CLAIM_METRICS = ["tokens-per-dollar", "throughput-per-chip", "throughput-per-system"] as const;
export type ClaimMetric = (typeof CLAIM_METRICS)[number];

export const VendorClaimSchema = z
  .object({
    id: z.string(),
    vendor: z.string(),
    /** Catalog chip ids. */
    subject: z.string(),
    baseline: z.string(),
    subjectLabel: z.string(),
    baselineLabel: z.string(),
    metric: z.enum(CLAIM_METRICS),
    /** Chips in each system, for throughput-per-system claims. */
    systemChips: z
      .object({ subject: z.number().int().positive(), baseline: z.number().int().positive() })
      .optional(),
    /** The claim as a ratio; `min` null for "up to" claims. */
    claimedRatio: z.object({ min: z.number().positive().nullable(), max: z.number().positive() }),
    /** The vendor's words. */
    wording: z.string(),
    /** Workload, scale and precision behind the figure, as far as the vendor says. */
    conditions: z.string(),
    source: SourceSchema,
  })
  .refine((c) => c.metric !== "throughput-per-system" || c.systemChips !== undefined, {
    message: "throughput-per-system claims need systemChips",
  });
export type VendorClaim = z.infer<typeof VendorClaimSchema>;

export const vendorClaims: readonly VendorClaim[] = z.array(VendorClaimSchema).parse(claimData);

/** The row fields a claim's prediction reads (a CompareRow has them). */
export interface ClaimRow {
  chip: string;
  usdPerMillionTokens: number | null;
  plan: { throughput: { tokensPerSecondPerChip: number } } | null;
}

/** A claim and trainplan's prediction of the same ratio on this run; `predictedRatio` null with why. */
export interface ClaimVersusModel {
  claim: VendorClaim;
  predictedRatio: number | null;
  /** How the prediction was formed, or why there is none. */
  predictedHow: string;
}

const perChip = (r: ClaimRow) => r.plan?.throughput.tokensPerSecondPerChip ?? null;

function predicted(claim: VendorClaim, s: ClaimRow, b: ClaimRow): Omit<ClaimVersusModel, "claim"> {
  if (perChip(s) === null || perChip(b) === null) {
    const who = perChip(s) === null ? s.chip : b.chip;
    return { predictedRatio: null, predictedHow: `${who} has no plan for this run` };
  }
  const speed = (perChip(s) as number) / (perChip(b) as number);
  if (claim.metric === "throughput-per-chip") {
    return { predictedRatio: speed, predictedHow: "tokens/s per chip at each chip's chosen size" };
  }
  if (claim.metric === "throughput-per-system") {
    const n = claim.systemChips as { subject: number; baseline: number };
    return {
      predictedRatio: (speed * n.subject) / n.baseline,
      predictedHow: `tokens/s per chip x ${n.subject} against x ${n.baseline} chips`,
    };
  }
  if (s.usdPerMillionTokens === null || b.usdPerMillionTokens === null) {
    const who = s.usdPerMillionTokens === null ? s.chip : b.chip;
    return {
      predictedRatio: null,
      predictedHow: `${who} has no price: pass --price ${who}=<USD per chip-hour>`,
    };
  }
  return {
    predictedRatio: b.usdPerMillionTokens / s.usdPerMillionTokens,
    predictedHow: "$ per million tokens of the baseline over the subject's, at the prices shown",
  };
}

/** The claims whose two chips are both in the comparison, each with trainplan's prediction beside it. */
export function claimsVersusModel(
  rows: readonly ClaimRow[],
  claims: readonly VendorClaim[] = vendorClaims,
): ClaimVersusModel[] {
  const out: ClaimVersusModel[] = [];
  for (const claim of claims) {
    const s = rows.find((r) => r.chip === claim.subject);
    const b = rows.find((r) => r.chip === claim.baseline);
    if (s && b) out.push({ claim, ...predicted(claim, s, b) });
  }
  return out;
}

/** A claimed ratio in words: "1.3-1.4x", "up to 4x". */
export function claimedRatioText(r: VendorClaim["claimedRatio"]): string {
  const x = (v: number) => `${Number(v.toPrecision(3))}x`;
  return r.min === null ? `up to ${x(r.max)}` : r.min === r.max ? x(r.max) : `${x(r.min)}-${x(r.max)}`;
}
