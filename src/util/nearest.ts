/**
 * Levenshtein edit distance (insertions, deletions, substitutions each cost 1).
 * Two-row dynamic programme: O(a·b) time, O(b) memory.
 */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The `max` candidates closest to `input` by case-insensitive Levenshtein distance, closest first,
 * for "did you mean" messages. Ties keep the candidates' original order; duplicates are dropped.
 */
export function nearest(input: string, candidates: readonly string[], max = 3): string[] {
  if (max <= 0) return [];
  const needle = input.toLowerCase();
  const unique = [...new Set(candidates)];
  return unique
    .map((name, index) => ({ name, index, distance: levenshtein(needle, name.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance || x.index - y.index)
    .slice(0, max)
    .map((scored) => scored.name);
}
