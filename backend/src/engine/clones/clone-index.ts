import { type CloneClass, type Endpoint, groupIntoClasses, type Relation } from './clone-classes.js';
import { attachPair, type ClonePair, type IndexedFile, sameCopy, sortedSides } from './clone-pair.js';
import type { FileRecord } from './file-record.js';
import { kgramHashes } from './fingerprints.js';
import { Matcher, MAX_BUCKET, MAX_FINGERPRINT_POSTINGS, MAX_VERIFIED_CANDIDATES, type MatchSource } from './matcher.js';
import { type CloneOptions, type CloneType, defaultCloneOptions, winnowingParameters } from './options.js';
import { PostingTable } from './posting-table.js';
import { describeFiles, type MatchingState, type PackedPairs, unpackPairs } from './shared-matching.js';
import { BANDS, bandKeys } from './sketch.js';
import { LcsMatcher } from './similarity.js';

// Pairs explored around one file when grouping its classes (the nearest ones first). Near-miss
// links can chain hundreds of files into one connected neighbourhood; classes are decided by the
// copies close to the file, and the bound keeps an edit's cost independent of that chain.
const MAX_COMPONENT_PAIRS = 768;

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
  /** The last `classesOf` answer; any change to the index forgets it. */
  private lastClasses: { path: string; classes: CloneClass[] } | undefined;
  private nextId = 1;
  private readonly k: number;
  private readonly lcs = new LcsMatcher();
  private readonly matcher: Matcher;

  constructor(options: Partial<CloneOptions> = {}) {
    this.options = { ...defaultCloneOptions, ...options };
    this.k = winnowingParameters(this.options.minTokens).k;
    const source: MatchSource = {
      options: this.options,
      fingerprints: this.fingerprints,
      unitBands: this.unitBands,
      file: (id) => this.filesById.get(id),
    };
    this.matcher = new Matcher(source);
  }

  get size(): number {
    return this.files.size;
  }

  /** Lines of every indexed file. */
  lineCount(): number {
    let lines = 0;
    for (const file of this.files.values()) lines += file.record.lineCount;
    return lines;
  }

  /** What the index holds, for monitoring: counts, and the bytes of its typed arrays (not on the JS heap). */
  stats(): { files: number; tokens: number; pairs: number; recordBytes: number; postingBytes: number } {
    let tokens = 0;
    let pairs = 0;
    let recordBytes = 0;
    for (const file of this.filesById.values()) {
      const record = file.record;
      tokens += record.codes.length;
      for (const pair of file.pairs) if (pair.a === file) pairs++;
      recordBytes +=
        record.codes.byteLength +
        record.exact.byteLength +
        record.lines.runStarts.byteLength +
        record.lines.runLines.byteLength +
        record.lines.multiLine.byteLength +
        record.fingerprintHashes.byteLength +
        record.fingerprintPositions.byteLength +
        record.unitStarts.byteLength +
        record.unitEnds.byteLength +
        record.unitKeys.byteLength;
    }
    return { files: this.files.size, tokens, pairs, recordBytes, postingBytes: this.fingerprints.byteLength + this.unitBands.byteLength };
  }

  /** Files added but not matched yet. */
  pendingCount(): number {
    return this.dirty.length;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The record an indexed file was added with. */
  record(path: string): FileRecord | undefined {
    return this.files.get(path)?.record;
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
    this.lastClasses = undefined;
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
    this.lastClasses = undefined;
    // Each partner file is filtered once, however many pairs it shared with this one.
    const partners = new Set<IndexedFile>();
    for (const pair of file.pairs) partners.add(pair.a === file ? pair.b : pair.a);
    partners.delete(file);
    for (const partner of partners) {
      partner.pairs = partner.pairs.filter((pair) => pair.a !== file && pair.b !== file);
      partner.sides = undefined;
    }
    file.pairs = [];
    file.sides = undefined;
    this.fingerprints.removeOwner(file.id, file.record.fingerprintHashes.length);
    this.unitBands.removeOwner(file.id, file.record.unitKeys.length);
    this.files.delete(path);
    this.filesById.delete(file.id);
    // Fewer matched files may bring a key back under its limit.
    this.matcher.forgetCommonKeys();
    if (!file.clean) this.dirty = this.dirty.filter((candidate) => candidate !== file);
    return true;
  }

  /**
   * Adds, replaces or removes (record undefined) one file and matches it at once. Returns every
   * path whose clone classes may have changed: the members of the file's classes before and after.
   */
  update(path: string, record: FileRecord | undefined): Set<string> {
    const affected = new Set<string>([path]);
    for (const cloneClass of this.classesOf(path)) for (const fragment of cloneClass.fragments) affected.add(fragment.path);
    if (record) this.add(record);
    else this.remove(path);
    for (const cloneClass of this.classesOf(path)) for (const fragment of cloneClass.fragments) affected.add(fragment.path);
    return affected;
  }

  /** The clone classes with at least one copy in `path` (remembered until the index changes). */
  classesOf(path: string): CloneClass[] {
    this.flush();
    if (this.lastClasses?.path === path) return this.lastClasses.classes;
    const file = this.files.get(path);
    const classes = file
      ? groupIntoClasses(this.component(file), this.relate, this.options.minSimilarity).filter((cloneClass) =>
          cloneClass.fragments.some((fragment) => fragment.path === path),
        )
      : [];
    this.lastClasses = { path, classes };
    return classes;
  }

  /** Every clone class of the codebase. */
  classes(): CloneClass[] {
    this.flush();
    // Each pair once, from the side with the smaller id (files are held in id order).
    const pairs: ClonePair[] = [];
    for (const file of this.files.values()) {
      for (const pair of file.pairs) if ((pair.a === file ? pair.b.id : pair.a.id) >= file.id) pairs.push(pair);
    }
    return groupIntoClasses(pairs, this.relate, this.options.minSimilarity);
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
      const matcher = this.lcs.reset(codes, 0, n - 1);
      for (const [candidate] of ranked) {
        const file = this.filesById.get(Math.floor(candidate / 65536));
        if (!file) continue;
        const unit = candidate % 65536;
        const start = file.record.unitStarts[unit] as number;
        const end = file.record.unitEnds[unit] as number;
        const score = matcher.similarity(file.record.codes, start, end, minimum);
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
    const otherLength = b.end - b.start + 1;
    const minimum = this.options.minSimilarity;
    // 2·LCS/(n+m) cannot reach the minimum when the shorter copy is too short: skip the LCS.
    if (Math.min(length, otherLength) / Math.max(length, otherLength) < minimum / (2 - minimum)) return { type: 3, similarity: 0 };
    if (length === otherLength) {
      let equal = true;
      for (let t = 0; t < length && equal; t++) equal = codesA[a.start + t] === codesB[b.start + t];
      if (equal) {
        let identical = true;
        for (let t = 0; t < length && identical; t++) identical = a.file.record.exact[a.start + t] === b.file.record.exact[b.start + t];
        return { type: identical ? 1 : 2, similarity: 1 };
      }
    }
    return { type: 3, similarity: this.lcs.reset(codesA, a.start, a.end).similarity(codesB, b.start, b.end, minimum) };
  };

  /**
   * For matching on other threads: the index on shared memory, and the ids of the files waiting
   * to be matched, in the order they must be matched in (each against every smaller id).
   */
  matchingState(): { state: MatchingState; pending: number[] } {
    const { buffers, files } = describeFiles([...this.filesById.values()]);
    const pending = this.dirty.filter((file) => this.filesById.get(file.id) === file).map((file) => file.id);
    // Pending files must come after every matched file, as they do when files are only ever added.
    const matched = [...this.filesById.values()].filter((file) => file.clean).map((file) => file.id);
    if (pending.length > 0 && matched.some((id) => id > (pending[0] as number))) {
      throw new Error('matchingState needs every pending file to be newer than the matched ones');
    }
    return {
      state: {
        options: this.options,
        buffers,
        files,
        fingerprints: this.fingerprints.sharedState(),
        unitBands: this.unitBands.sharedState(),
      },
      pending,
    };
  }

  /** Takes the pairs other threads found for the pending files (in pending order) and marks them matched. */
  acceptMatches(results: readonly PackedPairs[]): void {
    this.lastClasses = undefined;
    for (const packed of results) {
      for (const pair of unpackPairs(packed, (id) => this.filesById.get(id))) attachPair(pair);
    }
    for (const file of this.dirty) file.clean = true;
    this.dirty = [];
  }

  /** Matches every file added since the last query against the others, each pair of files once. */
  flush(): void {
    if (this.dirty.length === 0) return;
    const pending = this.dirty;
    this.dirty = [];
    for (const file of pending) {
      if (this.filesById.get(file.id) !== file) continue;
      for (const pair of this.matcher.match(file)) attachPair(pair);
      file.clean = true;
    }
  }

  /**
   * The pairs connected to `file`'s pairs through shared copies, nearest first (breadth-first),
   * at most MAX_COMPONENT_PAIRS of them: the neighbourhood that decides `file`'s classes. Each
   * visited file's sides are kept sorted (until its pairs change), so finding the pairs that share
   * a copy is a binary search, not a walk over every pair of a file that has thousands.
   */
  private component(file: IndexedFile): ClonePair[] {
    const seen = new Set<ClonePair>(file.pairs);
    const queue = [...file.pairs];
    for (let head = 0; head < queue.length && seen.size < MAX_COMPONENT_PAIRS; head++) {
      const pair = queue[head] as ClonePair;
      for (const [side, start, end] of [
        [pair.a, pair.aStart, pair.aEnd],
        [pair.b, pair.bStart, pair.bEnd],
      ] as const) {
        const { starts, ends, pairs } = sortedSides(side);
        // A side that is the same copy starts within one copy's length before this one.
        const from = start - (end - start + 1);
        let low = 0;
        let high = starts.length;
        while (low < high) {
          const middle = (low + high) >>> 1;
          if ((starts[middle] as number) < from) low = middle + 1;
          else high = middle;
        }
        for (let i = low; i < starts.length && (starts[i] as number) <= end; i++) {
          const next = pairs[i] as ClonePair;
          if (seen.has(next) || !sameCopy(start, end, starts[i] as number, ends[i] as number)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return [...seen];
  }
}
