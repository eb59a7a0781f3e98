import type { IntegerChoice, PlanConstraints } from "../plan/constraints.js";
import { removedByWhom } from "../search/constraintFilter.js";
import type { PlanSearchResult, RejectionReason } from "../search/types.js";

/** Constraints and the stack a search kept to, in words: "tp 8, pp 1..4, recompute none". */

function integerText(c: IntegerChoice): string {
  if (typeof c === "number") return String(c);
  if (Array.isArray(c)) return c.join(",");
  return `${c.min}..${c.max}`;
}

export function constraintsText(c: PlanConstraints): string {
  return Object.entries(c)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (typeof v === "number" || (typeof v === "object" && !Array.isArray(v)))
        return `${k} ${integerText(v)}`;
      if (Array.isArray(v) && typeof v[0] === "number") return `${k} ${integerText(v as number[])}`;
      return `${k} ${(v as unknown[]).map((x) => (typeof x === "boolean" ? (x ? "on" : "off") : x)).join(",")}`;
    })
    .join(", ");
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
      Object.keys(stack.constraints).length > 0 ? constraintsText(stack.constraints) : "no limits";
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
