/**
 * Data-parallel size when a layout leaves it unsaid: the ranks left over by tp x pp x cp, to the
 * nearest whole group (at least 1). The one rule, for scenarios and for the engine's own inputs.
 */
export function derivedDp(ranks: number, tp: number, pp: number, cp: number): number {
  return Math.max(1, Math.round(ranks / (tp * pp * cp)));
}
