/**
 * The Pareto frontier of points that minimise both x and y: a point is on it when no other point
 * is at least as good on both and strictly better on one. Points with a missing coordinate are
 * left out (a chip without a price has no place on a cost axis). Returns them sorted by x.
 */
export function paretoFrontier<T>(
  items: readonly T[],
  x: (t: T) => number | null,
  y: (t: T) => number | null,
): T[] {
  const pts = items
    .map((item) => ({ item, x: x(item), y: y(item) }))
    .filter((p): p is { item: T; x: number; y: number } => p.x !== null && p.y !== null);
  return pts
    .filter((p) => !pts.some((q) => q !== p && q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)))
    .sort((a, b) => a.x - b.x || a.y - b.y)
    .map((p) => p.item);
}
