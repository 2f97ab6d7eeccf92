import { BestNames } from './best-names.js';
import { TIER, prepareQuery, scoreName, scoreSubsequence, type PreparedQuery } from './fuzzy-score.js';
import { NameTable, classBit, maskOf, pairBit, type IdList } from './name-table.js';
import type { FileSymbols, SymbolInfo, SymbolKind } from './symbol-types.js';

/** One search hit. */
export interface SymbolMatch {
  readonly path: string;
  readonly symbol: SymbolInfo;
  /** Higher is better; comparable only within one query. */
  readonly score: number;
}

export interface SymbolSearchOptions {
  /** Most hits returned (default 20). */
  readonly limit?: number;
  /** Only symbols of these kinds (default: all). */
  readonly kinds?: readonly SymbolKind[];
}

interface Posting {
  readonly path: string;
  readonly symbol: SymbolInfo;
}

/**
 * Fuzzy symbol search over a project (see `fuzzy-score.ts` for the ranking). A query visits the
 * names starting with its first character (the only possible exact and prefix matches), then, if
 * those did not fill the results, the names with a word starting with it (the only possible
 * word-start matches), then, if still not full, the names containing the query's rarest
 * character. Most visits end at an AND of character-class bit sets; the rest pass a prefix,
 * word-start or subsequence test before a full score, and the best are kept in a bounded heap.
 * Updating a file costs O(its symbols).
 */
export class SymbolIndex {
  private readonly table = new NameTable();
  /** Postings by name id. */
  private readonly postings: Posting[][] = [];
  private readonly files = new Map<string, Posting[]>();
  /** Per name id, the last query that visited it: a name on several lists is scored once. */
  private stamps = new Uint32Array(1024);
  private stamp = 0;
  private symbolCount = 0;

  /** Replaces the symbols of the file at `path`. */
  set(path: string, symbols: FileSymbols): void {
    this.remove(path);
    const added: Posting[] = [];
    for (const symbol of symbols.symbols) {
      const { id, isNew } = this.table.intern(symbol.name);
      if (isNew) this.postings[id] = [];
      const posting: Posting = { path, symbol };
      this.postings[id]!.push(posting);
      added.push(posting);
    }
    if (added.length > 0) this.files.set(path, added);
    this.symbolCount += added.length;
  }

  /** Forgets the file at `path`. */
  remove(path: string): void {
    const removed = this.files.get(path);
    if (removed === undefined) return;
    this.files.delete(path);
    this.symbolCount -= removed.length;
    for (const posting of removed) {
      const id = this.table.idOf(posting.symbol.name)!;
      const list = this.postings[id]!;
      const at = list.indexOf(posting);
      list[at] = list[list.length - 1]!;
      list.pop();
      if (list.length === 0) this.table.release(id);
    }
  }

  /** Number of indexed symbols. */
  get size(): number {
    return this.symbolCount;
  }

  /** The best `limit` symbols for `query`, best first; ties go to the shorter name, then name, path and line. */
  search(query: string, options: SymbolSearchOptions = {}): SymbolMatch[] {
    const prepared = prepareQuery(query);
    const limit = Math.max(0, Math.floor(options.limit ?? 20));
    if (prepared.folded.length === 0 || limit === 0) return [];
    const kinds = options.kinds === undefined || options.kinds.length === 0 ? undefined : new Set(options.kinds);
    const scan = new QueryScan(this.table, this.postings, prepared, new BestNames(limit, this.table.names), kinds);
    const stamp = this.nextStamp();
    const first = prepared.folded[0]!;
    // Names starting with the query's first character hold every exact and prefix match, and
    // names with a word starting with it every word-start match; both are visited for those only.
    this.visitAll(scan, this.table.withFirst(first), stamp, 'word-starts');
    if (scan.best.minTier < 3) this.visitAll(scan, this.table.withInitial(first), stamp, 'word-starts');
    // Plain subsequence matches fill what is left, from the names containing the query's rarest character.
    if (scan.best.minTier < 2) {
      let rarest = this.table.withChar(first);
      for (const c of prepared.folded) {
        const list = this.table.withChar(c);
        if (list === undefined || (rarest !== undefined && list.size < rarest.size)) rarest = list;
      }
      this.visitAll(scan, rarest, stamp, 'subsequences');
    }
    const matches: SymbolMatch[] = [];
    for (const { id, score } of scan.best.sorted()) {
      const list = this.postings[id]!.filter((p) => kinds === undefined || kinds.has(p.symbol.kind));
      list.sort(comparePostings);
      for (const posting of list) matches.push({ path: posting.path, symbol: posting.symbol, score });
    }
    return matches.slice(0, limit);
  }

  /**
   * Visits the names of `list` whose character classes cover the query's. In the word-start pass
   * a name is visited once; in the subsequence pass a name the first pass saw is scored again for
   * a plain subsequence match only, so that no match is counted twice.
   */
  private visitAll(scan: QueryScan, list: IdList | undefined, stamp: number, pass: VisitPass): void {
    if (list === undefined) return;
    if (pass === 'word-starts') scan.wordStartPass(list, this.stamps, stamp, this.table.masks);
    else scan.subsequencePass(list, this.stamps, stamp, this.table.masks);
  }

  /** A fresh pair of stamps for a query: `stamp` marks the word-start pass, `stamp + 1` the subsequence pass. */
  private nextStamp(): number {
    if (this.stamps.length < this.table.capacity) this.stamps = new Uint32Array(Math.max(this.table.capacity, this.stamps.length * 2));
    if (this.stamp >= 0xfffffffd) {
      this.stamps.fill(0);
      this.stamp = 0;
    }
    this.stamp += 2;
    return this.stamp - 1;
  }
}

/** The two passes of a query over names: word-start matches and better, then plain subsequences. */
type VisitPass = 'word-starts' | 'subsequences';

/** One query's pass over names: the cheap filters, then scoring, then the heap. */
class QueryScan {
  readonly queryMask: number;
  private readonly candidate: { name: string; chars: Uint16Array; offset: number; starts: number };
  // The table's arrays, read once: they are only replaced when names are added, never during a query.
  private readonly names: readonly string[];
  private readonly chars: Uint16Array;
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly starts: Int32Array;
  private readonly folded: Uint16Array;
  private readonly initials: Int32Array;
  private readonly pairsLow: Int32Array;
  private readonly pairsHigh: Int32Array;
  /** Per query character: its class bit, and the Bloom bit of the pair it forms with the character before it. */
  private readonly queryClasses: Int32Array;
  private readonly queryPairs: Int32Array;

  constructor(
    table: NameTable,
    private readonly postings: readonly Posting[][],
    private readonly query: PreparedQuery,
    readonly best: BestNames,
    private readonly kinds: ReadonlySet<SymbolKind> | undefined,
  ) {
    this.queryMask = maskOf(query.folded, 0, query.folded.length);
    this.names = table.names;
    this.chars = table.chars;
    this.offsets = table.offsets;
    this.lengths = table.lengths;
    this.starts = table.starts;
    this.folded = query.folded;
    this.initials = table.initials;
    this.pairsLow = table.pairsLow;
    this.pairsHigh = table.pairsHigh;
    this.queryClasses = new Int32Array(query.folded.length);
    this.queryPairs = new Int32Array(query.folded.length);
    query.folded.forEach((c, k) => {
      this.queryClasses[k] = classBit(c);
      this.queryPairs[k] = k === 0 ? 0 : pairBit(query.folded[k - 1]!, c);
    });
    this.candidate = { name: '', chars: table.chars, offset: 0, starts: 0 };
  }

  /**
   * The word-start pass over `list`: each name whose character classes cover the query's and
   * whose bit sets allow a word-start match is scored for tier 2 and better, once per query
   * (`stamp`). The list's own copies of the bit sets filter it front to back; only entries that
   * pass touch the per-name arrays, which also unmask stale entries.
   */
  wordStartPass(list: IdList, stamps: Uint32Array, stamp: number, masks: Int32Array): void {
    const { ids, size } = list;
    const listMasks = list.masks;
    const listInitials = list.initials;
    const { queryMask, initials, pairsLow, pairsHigh, queryClasses, queryPairs } = this;
    const first = queryClasses[0]!;
    const qn = queryClasses.length;
    for (let j = 0; j < size; j++) {
      const mask = listMasks[j]!;
      if ((mask & queryMask) !== queryMask) continue;
      const starts = listInitials[j]!;
      if ((starts & first) === 0) continue;
      const id = ids[j]!;
      if (masks[id] !== mask || initials[id] !== starts || stamps[id] === stamp) continue;
      stamps[id] = stamp;
      let possible = true;
      for (let k = 1; k < qn && possible; k++) {
        if ((starts & queryClasses[k]!) !== 0) continue;
        const bit = queryPairs[k]!;
        possible = ((bit < 32 ? pairsLow[id]! >>> bit : pairsHigh[id]! >>> (bit - 32)) & 1) === 1;
      }
      if (possible) this.visit(id, 2, false);
    }
  }

  /**
   * The subsequence pass over `list`: each name whose character classes cover the query's is
   * scored for a plain subsequence match, once per query (`stamp + 1`). A name the word-start
   * pass scored is scored again in full and kept only for a plain match; any other can have none
   * better, so the cheaper plain score is enough.
   */
  subsequencePass(list: IdList, stamps: Uint32Array, stamp: number, masks: Int32Array): void {
    const { ids, size } = list;
    const listMasks = list.masks;
    const queryMask = this.queryMask;
    const subsequenceStamp = stamp + 1;
    for (let j = 0; j < size; j++) {
      const mask = listMasks[j]!;
      if ((mask & queryMask) !== queryMask) continue;
      const id = ids[j]!;
      const seen = stamps[id]!;
      if (masks[id] !== mask || seen === subsequenceStamp) continue;
      stamps[id] = subsequenceStamp;
      if (seen === stamp) this.visit(id, 1, true);
      else this.visitPlain(id);
    }
  }

  /** Scores name `id`, which has no match better than a plain subsequence, as one. */
  visitPlain(id: number): void {
    if (this.best.minTier > 1) return;
    const candidate = this.candidate;
    candidate.name = this.names[id]!;
    candidate.offset = this.offsets[id]!;
    candidate.starts = this.starts[id]!;
    const score = scoreSubsequence(candidate, this.query);
    if (score !== 0 && this.best.admits(score, id)) this.keep(id, score);
  }

  private keep(id: number, score: number): void {
    const list = this.postings[id]!;
    const kinds = this.kinds;
    const hits = kinds === undefined ? list.length : list.filter((p) => kinds.has(p.symbol.kind)).length;
    if (hits > 0) this.best.add(score, id, hits);
  }

  /**
   * A necessary condition for a word-start match, from per-name bit sets: the first query
   * character starts a word, and every other one starts a word or directly follows the query
   * character before it somewhere in the name.
   */
  private mayMatchAtWordStarts(id: number): boolean {
    const initials = this.initials[id]!;
    const classes = this.queryClasses;
    if ((initials & classes[0]!) === 0) return false;
    const low = this.pairsLow[id]!;
    const high = this.pairsHigh[id]!;
    for (let k = 1; k < classes.length; k++) {
      if ((initials & classes[k]!) !== 0) continue;
      const bit = this.queryPairs[k]!;
      if ((bit < 32 ? (low >>> bit) & 1 : (high >>> (bit - 32)) & 1) === 0) return false;
    }
    return true;
  }

  /**
   * Scores name `id`, whose character-class mask the caller has checked, and keeps it if it
   * ranks. Matches below tier `floor` are not considered; with `plainOnly` only a plain
   * subsequence match is (the name's better matches were considered by an earlier pass).
   */
  visit(id: number, floor: number, plainOnly: boolean): void {
    const folded = this.folded;
    const qn = folded.length;
    const length = this.lengths[id]!;
    if (length < qn) return;
    const start = this.offsets[id]!;
    const chars = this.chars;
    const minTier = Math.max(floor, this.best.minTier);
    if (plainOnly && minTier > 1) return;
    if (minTier >= 3) {
      // Only an exact or prefix match can still make the results: compare the start alone, then
      // the best score this name could get (all in exact case) with the worst one held.
      for (let k = 0; k < qn; k++) if (chars[start + k] !== folded[k]) return;
      if (prefixScoreBound(qn, length) < this.best.worstScore()) return;
    } else if (minTier === 2) {
      if (!this.mayMatchAtWordStarts(id)) return;
    } else {
      // A subsequence test before scoring: most names that pass the mask still fail here.
      const end = start + length;
      let k = 0;
      for (let p = start; k < qn && p < end; p++) if (chars[p] === folded[k]) k++;
      if (k < qn) return;
    }
    const candidate = this.candidate;
    candidate.name = this.names[id]!;
    candidate.offset = start;
    candidate.starts = this.starts[id]!;
    const score = scoreName(candidate, this.query, minTier);
    if (score === 0 || score < minTier * TIER || (plainOnly && score >= 2 * TIER) || !this.best.admits(score, id)) return;
    this.keep(id, score);
  }
}

function prefixScoreBound(queryLength: number, nameLength: number): number {
  return (queryLength === nameLength ? 4 : 3) * TIER + queryLength * 1000 + 999 - Math.min(nameLength, 999);
}

function comparePostings(a: Posting, b: Posting): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.symbol.startLine - b.symbol.startLine || a.symbol.startColumn - b.symbol.startColumn;
}
