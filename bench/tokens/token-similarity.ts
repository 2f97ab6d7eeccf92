/**
 * Token similarity 2·LCS/(n+m) of two token sequences, computed with Myers' O((n+m)·D) diff, where
 * D is the number of insertions and deletions (so LCS = (n+m−D)/2 and similarity = 1 − D/(n+m)).
 * Myers is fast on near-copies, which is what clone pairs are; `floor` stops the search once the
 * similarity is known to be below it, so unrelated long fragments cannot make it quadratic.
 */
export function tokenSimilarity(a: readonly string[], b: readonly string[], floor = 0): number {
  const n = a.length;
  const m = b.length;
  if (n + m === 0) return 1;
  const maxD = Math.min(n + m, Math.floor((n + m) * (1 - floor)) + 1);
  const offset = maxD + 1;
  const furthest = new Int32Array(2 * maxD + 3);
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!)) {
        x = furthest[offset + k + 1]!;
      } else {
        x = furthest[offset + k - 1]! + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) return 1 - d / (n + m);
    }
  }
  // Not found within maxD edits: the similarity is below `floor`; report the bound it is under.
  return Math.max(0, 1 - (maxD + 1) / (n + m));
}
