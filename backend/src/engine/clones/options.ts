/** Clone types: 1 identical but for layout and comments, 2 renamed identifiers/literals/types, 3 near-miss. */
export type CloneType = 1 | 2 | 3;

export interface CloneOptions {
  /** Shortest reported fragment, in tokens (the winnowing guarantee threshold). */
  readonly minTokens: number;
  /** Shortest reported fragment, in lines, on every side. */
  readonly minLines: number;
  /** Which clone types to report. */
  readonly types: readonly CloneType[];
  /** Least token similarity (2·LCS/(n+m) of normalised tokens) of a reported Type-3 pair. */
  readonly minSimilarity: number;
}

export const defaultCloneOptions: CloneOptions = { minTokens: 50, minLines: 5, types: [1, 2, 3], minSimilarity: 0.75 };

/** The k-gram length and winnowing window that guarantee every run of `minTokens` equal tokens is found. */
export function winnowingParameters(minTokens: number): { k: number; w: number } {
  const k = Math.max(5, Math.min(24, Math.floor(minTokens / 2)));
  return { k, w: Math.max(1, minTokens - k + 1) };
}
