import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../injection/seeded-random.js';
import { normalizedToken, scanTokens } from '../tokens/token-scanner.js';
import { tokenSimilarity } from '../tokens/token-similarity.js';
import { pairAt, pairsInGroup, type CloneReport, type LineRange } from './clone-report.js';
import { wilsonInterval, type Proportion } from './wilson-interval.js';

/** The rule a sampled pair must pass to count as a true clone. */
export interface VerificationRule {
  /** Lowest normalised token similarity (2·LCS/(n+m)) of the two fragments. */
  readonly minSimilarity: number;
  /** Fewest tokens each fragment must have. */
  readonly minTokens: number;
}

export const DEFAULT_VERIFICATION: VerificationRule = { minSimilarity: 0.7, minTokens: 30 };

/** The verdict on one sampled pair. */
export interface VerifiedPair {
  readonly a: LineRange;
  readonly b: LineRange;
  readonly tokensA: number;
  readonly tokensB: number;
  readonly similarity: number;
  readonly trueClone: boolean;
}

export interface PrecisionResult {
  readonly reportedPairs: number;
  readonly estimate: Proportion;
  readonly sample: readonly VerifiedPair[];
}

/**
 * Normalised tokens of corpus files by line. Each file is scanned whole, once, and a fragment is
 * the tokens starting on its lines: scanning only the fragment's own lines would misread a
 * fragment that begins inside a template literal or a block comment.
 */
export class CorpusTokens {
  private readonly cache = new Map<string, { tokens: string[]; lines: Int32Array }>();

  constructor(private readonly root: string) {}

  /** Normalised tokens whose first character lies on lines startLine..endLine (1-based, inclusive); none when the file cannot be read. */
  read(range: LineRange): string[] {
    let file = this.cache.get(range.file);
    if (file === undefined) {
      let text = '';
      try {
        text = readFileSync(join(this.root, range.file), 'utf8');
      } catch {
        // An unreadable file has no tokens, so any pair involving it is judged false.
      }
      const lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
      const scanned = scanTokens(text);
      const lines = new Int32Array(scanned.length);
      let line = 0;
      scanned.forEach((token, index) => {
        while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= token.start) line++;
        lines[index] = line + 1;
      });
      file = { tokens: scanned.map(normalizedToken), lines };
      this.cache.set(range.file, file);
    }
    const from = lowerBound(file.lines, range.startLine);
    const to = lowerBound(file.lines, range.endLine + 1);
    return file.tokens.slice(from, to);
  }
}

function lowerBound(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Verifies a reported pair without trusting the tool: both fragments are re-read from disk,
 * tokenised with TypeScript's scanner, identifiers and literals normalised, and compared.
 */
export function verifyPair(reader: CorpusTokens, a: LineRange, b: LineRange, rule: VerificationRule = DEFAULT_VERIFICATION): VerifiedPair {
  const tokensA = reader.read(a);
  const tokensB = reader.read(b);
  const similarity = tokenSimilarity(tokensA, tokensB, rule.minSimilarity);
  const trueClone = similarity >= rule.minSimilarity && tokensA.length >= rule.minTokens && tokensB.length >= rule.minTokens;
  return { a, b, tokensA: tokensA.length, tokensB: tokensB.length, similarity, trueClone };
}

/**
 * Precision estimate: a seeded uniform sample of up to `sampleSize` reported pairs (a clone class
 * of k fragments counts as its k(k−1)/2 pairs), each verified by {@link verifyPair}; the share of
 * true clones with its Wilson 95% interval.
 */
export function estimatePrecision(
  report: CloneReport,
  corpusRoot: string,
  seed: number,
  sampleSize = 300,
  rule: VerificationRule = DEFAULT_VERIFICATION,
): PrecisionResult {
  const starts: number[] = [];
  let total = 0;
  for (const group of report.groups) {
    starts.push(total);
    total += pairsInGroup(group);
  }
  const reader = new CorpusTokens(corpusRoot);
  const sample: VerifiedPair[] = [];
  let groupIndex = 0;
  for (const pairIndex of new SeededRandom(seed).sampleIndices(total, sampleSize)) {
    while (groupIndex + 1 < starts.length && starts[groupIndex + 1]! <= pairIndex) groupIndex++;
    const group = report.groups[groupIndex]!;
    const [a, b] = pairAt(group, pairIndex - starts[groupIndex]!);
    sample.push(verifyPair(reader, a, b, rule));
  }
  const trueClones = sample.filter((pair) => pair.trueClone).length;
  return { reportedPairs: total, estimate: wilsonInterval(trueClones, sample.length), sample };
}
