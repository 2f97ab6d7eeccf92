import { type CloneClass, type Endpoint, groupIntoClasses, type Relation } from './clone-classes.js';
import { type ClonePair, type IndexedFile, sameCopy, sideIn } from './clone-pair.js';
import type { FileRecord } from './file-record.js';
import { verbatimCode } from './normalize.js';
import { type CloneOptions, type CloneType, defaultCloneOptions, winnowingParameters } from './options.js';
import { PostingTable } from './posting-table.js';
import { kgramHashes } from './fingerprints.js';
import { BANDS, bandKeys } from './sketch.js';
import { LcsMatcher } from './similarity.js';

// A fingerprint shared by more places than this is boilerplate (generated tables, framework
// skeletons); following all its postings would make a lookup quadratic, so it seeds nothing.
// Real clones longer than the minimum have many fingerprints, so they are still found. The limit
// counts only files matched before the one being matched, so results do not depend on whether
// files arrive one by one or all at once (a streaming scan and a bulk load agree).
const MAX_FINGERPRINT_POSTINGS = 64;
// The same for near-miss buckets: a band key shared by this many units is a generic shape.
const MAX_BUCKET = 48;
// Beyond these many postings in all, a key is boilerplate whatever the order: not even counted.
const MAX_KEY_POSTINGS = 2048;
// Near-miss candidates verified per unit, best first (by number of shared band keys).
const MAX_VERIFIED_CANDIDATES = 24;
// Pairs explored from one file when grouping its classes; beyond that a class is boilerplate.
const MAX_COMPONENT_PAIRS = 4096;

// A shared run often begins with the end of the statement before it and ends with the opening of
// the next; those tokens are trimmed so fragments start and end where a reader expects.
const LEADING_NOISE = new Set([';', '}', ')', ']', ','].map(verbatimCode));
const TRAILING_NOISE = new Set(['{', '(', '[', ','].map(verbatimCode));

/** Share of the range [start, end] that [from, to] covers. */
function coverage(start: number, end: number, from: number, to: number): number {
  return Math.max(0, Math.min(end, to) - Math.max(start, from) + 1) / (end - start + 1);
}

/** Existing code that matches a queried snippet. */
export interface SimilarMatch {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  /** 1: identical, 2: renamed identifiers/literals, 3: near-miss. */
  readonly type: CloneType;
  /** For types 1 and 2, the share of the snippet covered; for type 3, the token similarity. */
  readonly similarity: number;
  readonly tokens: number;
}

export interface SimilarOptions {
  /** Most matches returned (default 10). */
  readonly limit?: number;
  /** Leave out matches in this file (e.g. the file the snippet comes from). */
  readonly excludePath?: string;
  /** Least similarity of a returned match (default: the index's minSimilarity, at most 0.7). */
  readonly minSimilarity?: number;
}

/**
 * The clone index of one codebase. Files go in as prepared records (see `prepareRecord`); pairs of
 * copies are computed lazily, once per pair of files, and grouped into clone classes on demand.
 *
 * Incremental by construction: replacing or removing a file touches that file's fingerprints,
 * units and pairs only, then matches the new version against the rest — work proportional to the
 * file and its matches, not to the codebase.
 */
export class CloneIndex {
  readonly options: CloneOptions;
  private readonly files = new Map<string, IndexedFile>();
  private readonly filesById = new Map<number, IndexedFile>();
  private readonly fingerprints = new PostingTable(1 << 16, 1 << 16);
  private readonly unitBands = new PostingTable(1 << 12, 1 << 12);
  private dirty: IndexedFile[] = [];
  private nextId = 1;
  private readonly k: number;
  private readonly matcher = new LcsMatcher();

  constructor(options: Partial<CloneOptions> = {}) {
    this.options = { ...defaultCloneOptions, ...options };
    this.k = winnowingParameters(this.options.minTokens).k;
  }

  get size(): number {
    return this.files.size;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  /** Adds or replaces a file without matching it yet (bulk loading); the next query matches it. */
  add(record: FileRecord): void {
    if (record.minTokens !== this.options.minTokens) {
      throw new Error(`record for ${record.path} was prepared for minTokens ${record.minTokens}, the index uses ${this.options.minTokens}`);
    }
    this.remove(record.path);
    const file: IndexedFile = { id: this.nextId++, record, pairs: [], clean: false };
    this.files.set(record.path, file);
    this.filesById.set(file.id, file);
    const { fingerprintHashes, fingerprintPositions, unitKeys } = record;
    for (let i = 0; i < fingerprintHashes.length; i++)
      this.fingerprints.add(fingerprintHashes[i] as number, file.id, fingerprintPositions[i] as number);
    for (let i = 0; i < unitKeys.length; i++) this.unitBands.add(unitKeys[i] as number, file.id, Math.floor(i / BANDS));
    this.dirty.push(file);
  }

  /** Removes a file and every pair it took part in; returns whether it was indexed. */
  remove(path: string): boolean {
    const file = this.files.get(path);
    if (!file) return false;
    for (const pair of file.pairs) {
      const other: IndexedFile = pair.a === file ? pair.b : pair.a;
      if (other !== file) other.pairs = other.pairs.filter((candidate) => candidate !== pair);
    }
    file.pairs = [];
    this.fingerprints.removeOwner(file.id, file.record.fingerprintHashes.length);
    this.unitBands.removeOwner(file.id, file.record.unitKeys.length);
    this.files.delete(path);
    this.filesById.delete(file.id);
    if (!file.clean) this.dirty = this.dirty.filter((candidate) => candidate !== file);
    return true;
  }

  /**
   * Adds, replaces or removes (record undefined) one file and matches it at once. Returns every
   * path whose clone classes may have changed: the members of the file's classes before and after.
   */
  update(path: string, record: FileRecord | undefined): Set<string> {
    this.flush();
    const affected = this.classMembers(path);
    affected.add(path);
    if (record) this.add(record);
    else this.remove(path);
    this.flush();
    for (const member of this.classMembers(path)) affected.add(member);
    return affected;
  }

  /** The clone classes with at least one copy in `path`. */
  classesOf(path: string): CloneClass[] {
    this.flush();
    const file = this.files.get(path);
    if (!file) return [];
    return groupIntoClasses(this.component(file), this.relate, this.options.minSimilarity).filter((cloneClass) =>
      cloneClass.fragments.some((fragment) => fragment.path === path),
    );
  }

  /** Every clone class of the codebase. */
  classes(): CloneClass[] {
    this.flush();
    const pairs = new Set<ClonePair>();
    for (const file of this.files.values()) for (const pair of file.pairs) pairs.add(pair);
    return groupIntoClasses([...pairs], this.relate, this.options.minSimilarity);
  }

  /**
   * The indexed code most like a snippet (prepared with `prepareRecord`): the "does this already
   * exist?" question. Exact and renamed matches come from the snippet's k-grams (every one, not
   * only the winnowed ones, so short snippets are found too); near-misses from its band keys.
   * Pending files are searched as well; nothing is matched or flushed, so a query stays cheap.
   */
  similarTo(query: FileRecord, options: SimilarOptions = {}): SimilarMatch[] {
    const minimum = options.minSimilarity ?? Math.min(0.7, this.options.minSimilarity);
    const codes = query.codes;
    const n = codes.length;
    const found: SimilarMatch[] = [];
    const accept = (file: IndexedFile, start: number, end: number, type: CloneType, score: number): void => {
      if (file.record.path === options.excludePath) return;
      const lines = file.record.lines;
      found.push({
        path: file.record.path,
        startLine: lines.startLine(start),
        endLine: lines.endLine(end),
        type,
        similarity: score,
        tokens: end - start + 1,
      });
    };

    const grams = kgramHashes(codes, this.k);
    const covered = new Map<number, Map<number, number>>();
    for (let p = 0; p < grams.length; p++) {
      const hash = grams[p] as number;
      if (this.fingerprints.count(hash) > MAX_FINGERPRINT_POSTINGS) continue;
      this.fingerprints.forEach(hash, (fileId, q) => {
        const file = this.filesById.get(fileId);
        if (!file) return;
        const diagonal = q - p;
        let byDiagonal = covered.get(fileId);
        if (!byDiagonal) covered.set(fileId, (byDiagonal = new Map<number, number>()));
        const seen = byDiagonal.get(diagonal);
        if (seen !== undefined && p <= seen) return;
        const theirs = file.record.codes;
        let start = p;
        let last = p - 1;
        while (last + 1 < n && last + 1 + diagonal < theirs.length && codes[last + 1] === theirs[last + 1 + diagonal]) last++;
        if (last - start + 1 < this.k) return;
        while (start > 0 && start + diagonal > 0 && codes[start - 1] === theirs[start - 1 + diagonal]) start--;
        byDiagonal.set(diagonal, last);
        const length = last - start + 1;
        if (length < Math.min(this.options.minTokens, n) && length / n < 0.5) return;
        let identical = true;
        for (let t = start; t <= last && identical; t++) identical = query.exact[t] === file.record.exact[t + diagonal];
        accept(file, start + diagonal, last + diagonal, identical ? 1 : 2, length / n);
      });
    }

    if (n >= 2 * this.k) {
      const keys = bandKeys(codes, 0, n - 1);
      const votes = new Map<number, number>();
      for (const key of keys) {
        if (this.unitBands.count(key) > MAX_BUCKET) continue;
        this.unitBands.forEach(key, (fileId, unit) => {
          const candidate = fileId * 65536 + unit;
          votes.set(candidate, (votes.get(candidate) ?? 0) + 1);
        });
      }
      const ranked = [...votes].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, MAX_VERIFIED_CANDIDATES);
      const matcher = this.matcher.reset(codes, 0, n - 1);
      for (const [candidate] of ranked) {
        const file = this.filesById.get(Math.floor(candidate / 65536));
        if (!file) continue;
        const unit = candidate % 65536;
        const start = file.record.unitStarts[unit] as number;
        const end = file.record.unitEnds[unit] as number;
        const score = matcher.similarity(file.record.codes, start, end);
        if (score >= minimum && score < 1) accept(file, start, end, 3, score);
      }
    }

    // One answer per place: where matches overlap, the best one stands for them.
    found.sort(
      (x, y) =>
        y.similarity - x.similarity ||
        x.type - y.type ||
        y.tokens - x.tokens ||
        (x.path < y.path ? -1 : x.path > y.path ? 1 : x.startLine - y.startLine),
    );
    const kept: SimilarMatch[] = [];
    for (const match of found) {
      if (kept.some((other) => other.path === match.path && other.startLine <= match.endLine && match.startLine <= other.endLine)) continue;
      kept.push(match);
      if (kept.length === (options.limit ?? 10)) break;
    }
    return kept;
  }

  /** How two copies that no pair links relate, for class formation. */
  private readonly relate = (a: Endpoint, b: Endpoint): Relation => {
    const codesA = a.file.record.codes;
    const codesB = b.file.record.codes;
    const length = a.end - a.start + 1;
    if (length === b.end - b.start + 1) {
      let equal = true;
      for (let t = 0; t < length && equal; t++) equal = codesA[a.start + t] === codesB[b.start + t];
      if (equal) {
        let identical = true;
        for (let t = 0; t < length && identical; t++) identical = a.file.record.exact[a.start + t] === b.file.record.exact[b.start + t];
        return { type: identical ? 1 : 2, similarity: 1 };
      }
    }
    return { type: 3, similarity: this.matcher.reset(codesA, a.start, a.end).similarity(codesB, b.start, b.end) };
  };

  /** Matches every file added since the last query against the others, each pair of files once. */
  flush(): void {
    if (this.dirty.length === 0) return;
    const pending = this.dirty;
    this.dirty = [];
    for (const file of pending) {
      if (this.filesById.get(file.id) !== file) continue;
      this.matchRuns(file);
      if (this.options.types.includes(3)) this.matchUnits(file);
      file.clean = true;
    }
  }

  /** Paths of every file in a class with a copy in `path`. */
  private classMembers(path: string): Set<string> {
    const file = this.files.get(path);
    const members = new Set<string>();
    if (!file) return members;
    for (const pair of this.component(file)) {
      members.add(pair.a.record.path);
      members.add(pair.b.record.path);
    }
    return members;
  }

  /** The pairs connected to `file`'s pairs through shared copies (bounded by MAX_COMPONENT_PAIRS). */
  private component(file: IndexedFile): ClonePair[] {
    const seen = new Set<ClonePair>(file.pairs);
    const queue = [...file.pairs];
    while (queue.length > 0 && seen.size < MAX_COMPONENT_PAIRS) {
      const pair = queue.pop() as ClonePair;
      for (const [side, start, end] of [
        [pair.a, pair.aStart, pair.aEnd],
        [pair.b, pair.bStart, pair.bEnd],
      ] as const) {
        for (const next of side.pairs) {
          if (seen.has(next)) continue;
          const other = sideIn(next, side);
          if (sameCopy(start, end, other.start, other.end)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
    }
    return [...seen];
  }

  /** Type-1 and Type-2 pairs: seed at shared fingerprints, extend to the maximal equal run. */
  private matchRuns(file: IndexedFile): void {
    const { codes, fingerprintHashes, fingerprintPositions } = file.record;
    const k = this.k;
    // Per (other file, diagonal): the end of the last run found, so seeds inside it are skipped.
    const covered = new Map<number, Map<number, number>>();
    for (let f = 0; f < fingerprintHashes.length; f++) {
      const hash = fingerprintHashes[f] as number;
      if (this.tooCommon(this.fingerprints, hash, file, MAX_FINGERPRINT_POSTINGS)) continue;
      const p = fingerprintPositions[f] as number;
      this.fingerprints.forEach(hash, (otherId, q) => {
        const other = this.filesById.get(otherId);
        if (!other || (other !== file && !other.clean) || (other === file && q >= p)) return;
        const diagonal = q - p;
        let byDiagonal = covered.get(otherId);
        if (!byDiagonal) covered.set(otherId, (byDiagonal = new Map<number, number>()));
        const end = byDiagonal.get(diagonal);
        if (end !== undefined && p <= end) return;
        const theirs = other.record.codes;
        for (let t = 0; t < k; t++) if (codes[p + t] !== theirs[q + t]) return;
        let start = p;
        let last = p + k - 1;
        while (start > 0 && start + diagonal > 0 && codes[start - 1] === theirs[start - 1 + diagonal]) start--;
        while (last + 1 < codes.length && last + 1 + diagonal < theirs.length && codes[last + 1] === theirs[last + 1 + diagonal]) last++;
        // Two copies inside one file must not overlap (a repeated pattern is not a clone of itself).
        if (other === file) last = Math.min(last, start - diagonal - 1);
        byDiagonal.set(diagonal, last);
        this.addRun(file, start, last, other, start + diagonal);
      });
    }
  }

  /** Whether `key` is shared by more than `limit` files matched before `file` (or by far too many in all). */
  private tooCommon(table: PostingTable, key: number, file: IndexedFile, limit: number): boolean {
    const count = table.count(key);
    if (count <= limit) return false;
    if (count > MAX_KEY_POSTINGS) return true;
    return table.countWhere(key, (owner) => owner === file.id || this.filesById.get(owner)?.clean === true, limit) > limit;
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

  /** Type-3 pairs: units sharing locality-sensitive band keys, verified by token similarity. */
  private matchUnits(file: IndexedFile): void {
    const { codes, exact, unitStarts, unitEnds, unitKeys } = file.record;
    const minimum = this.options.minSimilarity;
    for (let u = 0; u < unitStarts.length; u++) {
      const start = unitStarts[u] as number;
      const end = unitEnds[u] as number;
      const votes = new Map<number, number>();
      for (let band = 0; band < BANDS; band++) {
        const key = unitKeys[u * BANDS + band] as number;
        if (this.tooCommon(this.unitBands, key, file, MAX_BUCKET)) continue;
        this.unitBands.forEach(key, (otherId, otherUnit) => {
          const other = this.filesById.get(otherId);
          if (!other || (other !== file && !other.clean)) return;
          if (other === file) {
            if (otherUnit >= u) return;
            const otherEnd = unitEnds[otherUnit] as number;
            if (otherEnd >= start) return; // nested or overlapping units of one file
          }
          const candidate = otherId * 65536 + otherUnit;
          votes.set(candidate, (votes.get(candidate) ?? 0) + 1);
        });
      }
      const ranked = [...votes].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, MAX_VERIFIED_CANDIDATES);
      let prepared = false;
      for (const [candidate] of ranked) {
        const other = this.filesById.get(Math.floor(candidate / 65536)) as IndexedFile;
        const otherUnit = candidate % 65536;
        const otherStart = other.record.unitStarts[otherUnit] as number;
        const otherEnd = other.record.unitEnds[otherUnit] as number;
        const longer = Math.max(end - start, otherEnd - otherStart) + 1;
        if ((Math.min(end - start, otherEnd - otherStart) + 1) / longer < minimum / (2 - minimum)) continue;
        if (!prepared) this.matcher.reset(codes, start, end);
        prepared = true;
        const score = this.matcher.similarity(other.record.codes, otherStart, otherEnd);
        if (score < minimum || this.coveredByRun(file, start, end, other, otherStart, otherEnd)) continue;
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

  /** Whether a Type-1/2 pair between the two files already covers most (80%) of both units. */
  private coveredByRun(file: IndexedFile, start: number, end: number, other: IndexedFile, otherStart: number, otherEnd: number): boolean {
    for (const pair of file.pairs) {
      if (pair.type === 3) continue;
      const mine = pair.a === file ? [pair.aStart, pair.aEnd, pair.b] : [pair.bStart, pair.bEnd, pair.a];
      if (mine[2] !== other) continue;
      const theirs = pair.a === file ? [pair.bStart, pair.bEnd] : [pair.aStart, pair.aEnd];
      if (
        coverage(start, end, mine[0] as number, mine[1] as number) >= 0.8 &&
        coverage(otherStart, otherEnd, theirs[0] as number, theirs[1] as number) >= 0.8
      ) {
        return true;
      }
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
    a.pairs.push(pair);
    if (b !== a) b.pairs.push(pair);
  }
}
