/** A span of whole lines in one file of the corpus (path relative to the corpus root, lines 1-based inclusive). */
export interface LineRange {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

/**
 * Fragments a tool says are copies of each other. A jscpd duplicate is a group of two; an Auxil
 * clone class is a group of every copy. Every two fragments of a group form one reported pair.
 */
export interface CloneGroup {
  readonly fragments: readonly LineRange[];
  /** The tool's own label for the kind of clone, when it gives one (jscpd: exact, renamed, similar, gap, ast; Auxil: 1, 2, 3). */
  readonly kind?: string;
}

/** A tool's findings on a corpus, in the one shape every scorer reads. */
export interface CloneReport {
  /** Files the tool says it analysed, when it says so. */
  readonly filesAnalysed: number | undefined;
  readonly groups: readonly CloneGroup[];
}

/** Number of pairs a group contributes: every two of its fragments. */
export function pairsInGroup(group: CloneGroup): number {
  const k = group.fragments.length;
  return (k * (k - 1)) / 2;
}

/** Total reported pairs of a report. */
export function totalPairs(report: CloneReport): number {
  return report.groups.reduce((sum, group) => sum + pairsInGroup(group), 0);
}

/**
 * The `index`-th pair of a group of k fragments, pairs ordered (0,1), (0,2) … (0,k−1), (1,2) … —
 * so a class can be sampled without listing its k(k−1)/2 pairs.
 */
export function pairAt(group: CloneGroup, index: number): [LineRange, LineRange] {
  const k = group.fragments.length;
  let i = 0;
  let remaining = index;
  while (i < k - 1 && remaining >= k - 1 - i) {
    remaining -= k - 1 - i;
    i++;
  }
  const j = i + 1 + remaining;
  if (i >= k || j >= k) throw new RangeError(`pair ${index} out of range for a group of ${k}`);
  return [group.fragments[i]!, group.fragments[j]!];
}

/** Every pair of a group, listed (for small groups and tests; sampling uses {@link pairAt}). */
export function expandPairs(group: CloneGroup): [LineRange, LineRange][] {
  const pairs: [LineRange, LineRange][] = [];
  for (let index = 0; index < pairsInGroup(group); index++) pairs.push(pairAt(group, index));
  return pairs;
}
