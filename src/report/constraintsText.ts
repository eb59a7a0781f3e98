import type { ConstrainedDimension, PlanConstraints } from "../plan/constraints.js";
import { constraintText } from "../plan/constraintText.js";
import { recomputeFormPrefix } from "../plan/schema.js";
import { removedByWhom } from "../search/constraintFilter.js";
import type { PlanSearchResult, RejectionReason } from "../search/types.js";

/** Constraints and the stack a search kept to, in words: "tp 8, pp 1..4, recompute none". */

/** Constraints as words: the recompute list may hold a stack's layer forms ("full-block-N"). */
type ConstraintWords = Omit<PlanConstraints, "recompute"> & { recompute?: string[] };

export function constraintsText(c: ConstraintWords): string {
  return (Object.entries(c) as [ConstrainedDimension, PlanConstraints[ConstrainedDimension]][])
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${constraintText(v)}`)
    .join(", ");
}

/** A stack's constraints with the recompute families it runs at any count or module list among its recompute words. */
function stackWords(stack: NonNullable<PlanSearchResult["stack"]>): ConstraintWords {
  const forms = (stack.recomputeForms ?? []).map(
    (form) => `${recomputeFormPrefix(form)}${form === "modules" ? "<modules>" : "N"}`,
  );
  const c = stack.constraints;
  return c.recompute && forms.length > 0 ? { ...c, recompute: [...c.recompute, ...forms] } : c;
}

function removedBy(result: PlanSearchResult, whom: "constraints" | "stack"): number {
  return Object.entries(result.rejected)
    .filter(([reason]) => removedByWhom(reason as RejectionReason) === whom)
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
}

/** The lines saying which stack and constraints held the search, and how many plans each removed. */
export function searchLimitsLines(result: PlanSearchResult): string[] {
  const lines: string[] = [];
  const stack = result.stack;
  if (stack) {
    const why = stack.defaulted ? ", the default on Trainium (--framework to choose another)" : "";
    const limits =
      Object.keys(stack.constraints).length > 0 ? constraintsText(stackWords(stack)) : "no limits";
    lines.push(
      `stack: ${stack.framework}${why}; runs ${limits} (${stack.version}); ${removedBy(result, "stack").toLocaleString("en-US")} plans it cannot run removed`,
    );
  }
  if (result.constraints) {
    lines.push(
      `constraints: ${constraintsText(result.constraints)}; ${removedBy(result, "constraints").toLocaleString("en-US")} plans removed`,
    );
  }
  return lines;
}

/** Every rejection reason with its count, as `plan` prints it ("rejected: ... : 1,234; ..."); null when none. */
export function rejectedLine(result: PlanSearchResult): string | null {
  const rejected = Object.entries(result.rejected).filter(([, n]) => (n ?? 0) > 0);
  if (rejected.length === 0) return null;
  return `rejected: ${rejected.map(([k, n]) => `${k}: ${(n ?? 0).toLocaleString("en-US")}`).join("; ")}`;
}
