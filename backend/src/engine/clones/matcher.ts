import type { ClonePair, IndexedFile } from './clone-pair.js';
import { verbatimCode } from './normalize.js';
import { type CloneOptions, type CloneType, winnowingParameters } from './options.js';
import type { PostingTable } from './posting-table.js';
import { BANDS } from './sketch.js';
import { LcsMatcher } from './similarity.js';

// A fingerprint shared by more places than this is boilerplate (generated tables, framework
// skeletons); following all its postings would make a lookup quadratic, so it seeds nothing.
// Real clones longer than the minimum have many fingerprints, so they are still found. The limit
// counts only files matched before the one being matched, so results do not depend on whether
// files arrive one by one or all at once (a streaming scan and a bulk load agree).
export const MAX_FINGERPRINT_POSTINGS = 64;
// The same for near-miss buckets: a band key shared by this many units is a generic shape.
export const MAX_BUCKET = 48;
// Beyond these many postings in all, a key is boilerplate whatever the order: not even counted.
const MAX_KEY_POSTINGS = 2048;
// Near-miss candidates verified per unit, best first (by number of shared band keys).
export const MAX_VERIFIED_CANDIDATES = 24;
// Band keys a unit must share with another to be verified against it. Measured on the 60,817-file
// benchmark corpus: candidates sharing one key were 74% of all verifications and only 3% of them
// were near-misses (11% of all near-miss pairs found); requiring two cost 2 points of planted
// Type-3 recall on the quick corpus and saves most of the verification time.
const MIN_VOTES = 2;

// Differences this close to either end of an identical-but-for-names run are taken for the names
// of the copy itself, and the run inside them reported as an identical copy.
const EDGE_TOKENS = 8;

// A shared run often begins with the end of the statement before it and ends with the opening of
// the next; those tokens are trimmed so fragments start and end where a reader expects.
const LEADING_NOISE = new Set([';', '}', ')', ']', ','].map(verbatimCode));
const TRAILING_NOISE = new Set(['{', '(', '[', ','].map(verbatimCode));

/** Share of the range [start, end] that [from, to] covers. */
function coverage(start: number, end: number, from: number, to: number): number {
  return Math.max(0, Math.min(end, to) - Math.max(start, from) + 1) / (end - start + 1);
}

/**
 * What matching one file needs to see of an index: its posting tables and its files by id. Ids
 * follow matching order — a file is matched after every file with a smaller id — so "the files
 * matched before this one" are the postings before it in the owner-ordered lists. The live
 * `CloneIndex` is one source; a read-only view over shared memory in a worker thread is another,
 * so a full scan can match files on every core with the same code.
 */
export interface MatchSource {
  readonly options: CloneOptions;
  readonly fingerprints: PostingTable;
  readonly unitBands: PostingTable;
  file(id: number): IndexedFile | undefined;
}

/**
 * Finds the clone pairs between one file and every file matched before it (and inside the file
 * itself): Type-1/2 by fingerprint seeds extended to maximal runs, Type-3 by band-key candidates
 * verified by token similarity. Deterministic for a given source and file.
 */
export class Matcher {
  private readonly options: CloneOptions;
  private readonly k: number;
  private readonly lcs = new LcsMatcher();
  /**
   * Scratch: one entry per band-key posting a unit meets (file id · 65536 + unit), reused for
   * every unit. Sorted, equal entries are the votes for one candidate: faster than a map, which
   * cost a third of all matching time.
   */
  private postings = new Float64Array(1024);
  /** Per common key, the first file id from which it counts as too common (see `tooCommon`). */
  private readonly fingerprintThresholds = new Map<number, number>();
  private readonly bandThresholds = new Map<number, number>();
  /** Pairs found for the file being matched. */
  private found: ClonePair[] = [];
  /** The Type-1/2 pairs among them, by the other file: what `coveredByRun` looks through. */
  private readonly runsByOther = new Map<IndexedFile, ClonePair[]>();

  constructor(private readonly source: MatchSource) {
    this.options = source.options;
    this.k = winnowingParameters(this.options.minTokens).k;
  }

  /** Every pair between `file` and the files matched before it, in the order found. */
  match(file: IndexedFile): ClonePair[] {
    this.found = [];
    this.runsByOther.clear();
    this.matchRuns(file);
    if (this.options.types.includes(3)) this.matchUnits(file);
    return this.found;
  }

  /** Forgets what was learnt about common keys: call after files were added to or removed from the source. */
  forgetCommonKeys(): void {
    this.fingerprintThresholds.clear();
    this.bandThresholds.clear();
  }

  /** Type-1 and Type-2 pairs: seed at shared fingerprints, extend to the maximal equal run. */
  private matchRuns(file: IndexedFile): void {
    const { codes, fingerprintHashes, fingerprintPositions } = file.record;
    const k = this.k;
    const table = this.source.fingerprints;
    // Per (other file, diagonal): the end of the last run found, so seeds inside it are skipped.
    // One flat map keyed by both (files are under 1 MiB, so a diagonal fits in ±2^21).
    const covered = new Map<number, number>();
    for (let f = 0; f < fingerprintHashes.length; f++) {
      const hash = fingerprintHashes[f] as number;
      if (this.tooCommon(table, hash, file, MAX_FINGERPRINT_POSTINGS)) continue;
      const p = fingerprintPositions[f] as number;
      for (let posting = table.first(hash); posting >= 0; posting = table.following(posting)) {
        const otherId = table.ownerAt(posting);
        // Lists are in owner order: past this file, only files matched after it remain.
        if (otherId > file.id) break;
        const q = table.valueAt(posting);
        const other = this.source.file(otherId);
        if (!other || (other === file && q >= p)) continue;
        const diagonal = q - p;
        const key = otherId * 4194304 + diagonal + 2097152;
        const end = covered.get(key);
        if (end !== undefined && p <= end) continue;
        const theirs = other.record.codes;
        let seeded = true;
        for (let t = 0; t < k && seeded; t++) seeded = codes[p + t] === theirs[q + t];
        if (!seeded) continue;
        let start = p;
        let last = p + k - 1;
        while (start > 0 && start + diagonal > 0 && codes[start - 1] === theirs[start - 1 + diagonal]) start--;
        while (last + 1 < codes.length && last + 1 + diagonal < theirs.length && codes[last + 1] === theirs[last + 1 + diagonal]) last++;
        // Two copies inside one file must not overlap (a repeated pattern is not a clone of itself).
        if (other === file) last = Math.min(last, start - diagonal - 1);
        covered.set(key, last);
        this.addRun(file, start, last, other, start + diagonal);
      }
    }
  }

  /**
   * Whether `key` is shared by more than `limit` postings of `file` and the files matched before
   * it (or by far too many in all). Files are matched in id order, so that is a question about ids:
   * the key is too common from the file holding its (limit+1)-th posting in id order on. That id is
   * computed once per key and kept — an answer that does not depend on which files a thread
   * happened to match first, so every thread and every run agrees.
   */
  private tooCommon(table: PostingTable, key: number, file: IndexedFile, limit: number): boolean {
    const count = table.count(key);
    if (count <= limit) return false;
    if (count > MAX_KEY_POSTINGS) return true;
    const thresholds = table === this.source.fingerprints ? this.fingerprintThresholds : this.bandThresholds;
    let threshold = thresholds.get(key);
    if (threshold === undefined) {
      // Postings are in owner order: the threshold is the owner of the (limit+1)-th.
      threshold = Number.POSITIVE_INFINITY;
      let seen = 0;
      for (let posting = table.first(key); posting >= 0; posting = table.following(posting)) {
        if (seen++ === limit) {
          threshold = table.ownerAt(posting);
          break;
        }
      }
      thresholds.set(key, threshold);
    }
    return file.id >= threshold;
  }

  /** Records a maximal equal run (or, when only Type-1 is wanted, its exact sub-runs). */
  private addRun(file: IndexedFile, start: number, last: number, other: IndexedFile, otherStart: number): void {
    const { codes, exact } = file.record;
    while (start < last && LEADING_NOISE.has(codes[start] as number)) {
      start++;
      otherStart++;
    }
    while (last > start && TRAILING_NOISE.has(codes[last] as number)) last--;
    const theirs = other.record.exact;
    const offset = otherStart - start;
    const wantsType2 = this.options.types.includes(2);
    if (wantsType2) {
      let identical = true;
      for (let t = start; t <= last && identical; t++) identical = exact[t] === theirs[t + offset];
      // A run that differs only in a name or two at its very edges (the copied function's own
      // name, the variable it was assigned to) is an identical copy of the code in between.
      const core = identical || !this.options.types.includes(1) ? undefined : this.identicalCore(exact, theirs, offset, start, last);
      if (core && core.last - core.start + 1 >= this.options.minTokens) {
        this.addPair(1, 1, file, core.start, core.last, other, core.start + offset, core.last + offset);
        return;
      }
      if (identical && !this.options.types.includes(1)) return;
      this.addPair(identical ? 1 : 2, 1, file, start, last, other, otherStart, otherStart + last - start);
      return;
    }
    if (!this.options.types.includes(1)) return;
    let runStart = start;
    for (let t = start; t <= last + 1; t++) {
      if (t <= last && exact[t] === theirs[t + offset]) continue;
      if (t - runStart >= this.options.minTokens) this.addPair(1, 1, file, runStart, t - 1, other, runStart + offset, t - 1 + offset);
      runStart = t + 1;
    }
  }

  /**
   * The stretch of a run between its edge differences, when every difference lies within
   * EDGE_TOKENS of either end; undefined when one lies further inside.
   */
  private identicalCore(
    exact: Uint16Array,
    theirs: Uint16Array,
    offset: number,
    start: number,
    last: number,
  ): { start: number; last: number } | undefined {
    let coreStart = start;
    let coreLast = last;
    for (let t = start; t < start + EDGE_TOKENS && t <= last; t++) if (exact[t] !== theirs[t + offset]) coreStart = t + 1;
    for (let t = last; t > last - EDGE_TOKENS && t >= start; t--) if (exact[t] !== theirs[t + offset]) coreLast = t - 1;
    for (let t = coreStart; t <= coreLast; t++) if (exact[t] !== theirs[t + offset]) return undefined;
    return coreStart <= coreLast ? { start: coreStart, last: coreLast } : undefined;
  }

  /** Type-3 pairs: units sharing locality-sensitive band keys, verified by token similarity. */
  private matchUnits(file: IndexedFile): void {
    const { codes, exact, unitStarts, unitEnds, unitKeys } = file.record;
    const minimum = this.options.minSimilarity;
    for (let u = 0; u < unitStarts.length; u++) {
      const start = unitStarts[u] as number;
      const end = unitEnds[u] as number;
      let count = 0;
      for (let band = 0; band < BANDS; band++) {
        const key = unitKeys[u * BANDS + band] as number;
        const table = this.source.unitBands;
        if (this.tooCommon(table, key, file, MAX_BUCKET)) continue;
        for (let posting = table.first(key); posting >= 0; posting = table.following(posting)) {
          const otherId = table.ownerAt(posting);
          if (otherId > file.id) break;
          const otherUnit = table.valueAt(posting);
          // Within one file: each pair once, and never nested or overlapping units.
          if (otherId === file.id && (otherUnit >= u || (unitEnds[otherUnit] as number) >= start)) continue;
          if (count === this.postings.length) {
            const grown = new Float64Array(count * 2);
            grown.set(this.postings);
            this.postings = grown;
          }
          this.postings[count++] = otherId * 65536 + otherUnit;
        }
      }
      const sorted = this.postings.subarray(0, count).sort();
      const ranked: [number, number][] = [];
      for (let i = 0; i < count;) {
        let j = i + 1;
        while (j < count && sorted[j] === sorted[i]) j++;
        if (j - i >= MIN_VOTES) ranked.push([sorted[i] as number, j - i]);
        i = j;
      }
      ranked.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      ranked.length = Math.min(ranked.length, MAX_VERIFIED_CANDIDATES);
      let prepared = false;
      for (const [candidate] of ranked) {
        const other = this.source.file(Math.floor(candidate / 65536)) as IndexedFile;
        const otherUnit = candidate % 65536;
        const otherStart = other.record.unitStarts[otherUnit] as number;
        const otherEnd = other.record.unitEnds[otherUnit] as number;
        const longer = Math.max(end - start, otherEnd - otherStart) + 1;
        if ((Math.min(end - start, otherEnd - otherStart) + 1) / longer < minimum / (2 - minimum)) continue;
        // Units an identical or renamed run already pairs are not measured again: checked first,
        // as it costs far less than the similarity (code shipped twice, as sources and as a build,
        // has thousands of such units).
        if (this.coveredByRun(start, end, other, otherStart, otherEnd)) continue;
        if (!prepared) this.lcs.reset(codes, start, end);
        prepared = true;
        const score = this.lcs.similarity(other.record.codes, otherStart, otherEnd, minimum);
        if (score < minimum) continue;
        let type: CloneType = 3;
        if (score === 1) {
          let identical = end - start === otherEnd - otherStart;
          for (let t = 0; identical && t <= end - start; t++) identical = exact[start + t] === other.record.exact[otherStart + t];
          type = identical ? 1 : 2;
        }
        if (this.options.types.includes(type)) this.addPair(type, score, file, start, end, other, otherStart, otherEnd);
      }
    }
  }

  /** Whether a Type-1/2 pair found for this file already covers most (80%) of both units. */
  private coveredByRun(start: number, end: number, other: IndexedFile, otherStart: number, otherEnd: number): boolean {
    // Every run listed under `other` has its side `a` in the file being matched and `b` in `other` (see addPair).
    for (const pair of this.runsByOther.get(other) ?? []) {
      if (coverage(start, end, pair.aStart, pair.aEnd) >= 0.8 && coverage(otherStart, otherEnd, pair.bStart, pair.bEnd) >= 0.8) return true;
    }
    return false;
  }

  private addPair(
    type: CloneType,
    score: number,
    a: IndexedFile,
    aStart: number,
    aEnd: number,
    b: IndexedFile,
    bStart: number,
    bEnd: number,
  ): void {
    if (aEnd - aStart + 1 < this.options.minTokens) return;
    const minLines = this.options.minLines;
    if (a.record.lines.endLine(aEnd) - a.record.lines.startLine(aStart) + 1 < minLines) return;
    if (b.record.lines.endLine(bEnd) - b.record.lines.startLine(bStart) + 1 < minLines) return;
    const pair: ClonePair = { type, similarity: score, a, aStart, aEnd, b, bStart, bEnd };
    this.found.push(pair);
    if (type !== 3) {
      // `a` is always the file being matched.
      const runs = this.runsByOther.get(b);
      if (runs) runs.push(pair);
      else this.runsByOther.set(b, [pair]);
    }
  }
}
