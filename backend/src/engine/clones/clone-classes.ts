import { mix32 } from './fingerprints.js';
import { type ClonePair, type IndexedFile, SAME_COPY_OVERLAP, sameCopy } from './clone-pair.js';
import type { CloneType } from './options.js';

/** One copy in a clone class. Lines are 1-based and inclusive. */
export interface CloneFragment {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  /** Token range in the file, inclusive. */
  readonly startToken: number;
  readonly endToken: number;
  /**
   * Hash (hex) of the copy's normalised tokens: the same for the same code wherever it moves
   * within its file, so reports can track a copy across edits elsewhere.
   */
  readonly contentHash: string;
}

/** All copies of one fragment of code. */
export interface CloneClass {
  /** Stable for the same copies (paths and code), even when they move to other lines. */
  readonly id: string;
  /** The weakest relation between two copies: 3 if any pair is a near-miss, else 2 if any is renamed, else 1. */
  readonly type: CloneType;
  /** Least similarity between two copies (1 for types 1 and 2). */
  readonly similarity: number;
  /** Length of the largest copy, in tokens. */
  readonly tokens: number;
  /** Length of the largest copy, in lines. */
  readonly lines: number;
  readonly fragments: readonly CloneFragment[];
}

class UnionFind {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[x] !== root) {
      const next = this.parent[x] as number;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * A 64-bit hash (16 hex digits) of `values[from..to]` (inclusive): two independent multiplicative
 * hashes, finalised. Fast on purpose: every copy of every class is hashed for its id.
 */
function hashRange(values: ArrayLike<number>, from: number, to: number): string {
  let high = 0x6a09e667;
  let low = 0xbb67ae85;
  for (let i = from; i <= to; i++) {
    const value = values[i] as number;
    high = Math.imul(high ^ value, 0x01000193);
    low = Math.imul(low + value, 0x5bd1e995) ^ (low >>> 15);
  }
  return hex64(mix32(high ^ (to - from)), mix32(low + high));
}

/** A 64-bit hash (16 hex digits) of a string's UTF-16 code units. */
function hashString(text: string): string {
  let high = 0x6a09e667;
  let low = 0xbb67ae85;
  for (let i = 0; i < text.length; i++) {
    const value = text.charCodeAt(i);
    high = Math.imul(high ^ value, 0x01000193);
    low = Math.imul(low + value, 0x5bd1e995) ^ (low >>> 15);
  }
  return hex64(mix32(high ^ text.length), mix32(low + high));
}

function hex64(high: number, low: number): string {
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

function classId(fragments: readonly CloneFragment[]): string {
  const keys = fragments.map((fragment) => `${fragment.path}|${fragment.contentHash}`).sort();
  return hashString(keys.join('\n'));
}

/** Merges the endpoints of one class that lie in one file into that file's copies. */
function fragmentsOf(members: Endpoint[]): CloneFragment[] {
  members.sort((x, y) => x.file.id - y.file.id || x.start - y.start || x.end - y.end);
  const fragments: CloneFragment[] = [];
  let current: { file: IndexedFile; start: number; end: number } | undefined;
  const flush = (): void => {
    if (!current) return;
    const { lines, codes } = current.file.record;
    fragments.push({
      path: current.file.record.path,
      startLine: lines.startLine(current.start),
      endLine: lines.endLine(current.end),
      startToken: current.start,
      endToken: current.end,
      contentHash: hashRange(codes, current.start, current.end),
    });
  };
  for (const member of members) {
    if (current && current.file === member.file && member.start <= current.end) {
      current.end = Math.max(current.end, member.end);
      continue;
    }
    flush();
    current = { file: member.file, start: member.start, end: member.end };
  }
  flush();
  return fragments.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : x.startLine - y.startLine));
}

/** A copy: one side of a pair. */
export interface Endpoint {
  readonly file: IndexedFile;
  readonly start: number;
  readonly end: number;
}

/** Orders copies by path, then position: the deterministic tie-break wherever order matters. */
function comparePoints(a: Endpoint, b: Endpoint): number {
  if (a.file !== b.file) {
    const x = a.file.record.path;
    const y = b.file.record.path;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.start - b.start;
}

/** How two copies relate: the clone type and the token similarity between them. */
export interface Relation {
  readonly type: CloneType;
  readonly similarity: number;
}

/** Computes the relation of two copies that no pair links directly. */
export type Relate = (a: Endpoint, b: Endpoint) => Relation;

interface Copy {
  /** The longest side, which stands for the copy when relations are computed. */
  readonly representative: Endpoint;
  /** The copy's first side by path and position, for ordering. */
  readonly first: Endpoint;
  readonly links: Map<Copy, Relation>;
  /** Links that are identical or renamed copies (similarity 1), for choosing centres. */
  exact: number;
}

function better(x: Relation | undefined, y: Relation): Relation {
  if (!x) return y;
  return y.similarity > x.similarity || (y.similarity === x.similarity && y.type < x.type) ? y : x;
}

/**
 * Most copies one class takes. Checking a newcomer against every member costs O(members), so a
 * family of thousands of near-identical copies (generated code) would cost millions of
 * comparisons; beyond this size the rest form further classes.
 */
const MAX_CLASS_COPIES = 256;

function overlaps(a: Endpoint, b: Endpoint): boolean {
  return a.file === b.file && a.start <= b.end && b.start <= a.end;
}

/**
 * Groups pairs into clone classes whose copies are pairwise clones of each other.
 *
 * First, the sides of pairs that lie in one file and cover the same code (SAME_COPY_OVERLAP of
 * the longer) become one copy. Then copies join classes by clique-constrained star clustering:
 * the copy with the most links is a centre, and each linked copy joins it only if it relates to
 * every member already there with at least `minSimilarity` (relations no pair gives are computed
 * by `relate`). Similarity is not transitive — A≈B and B≈C does not make A≈C, and even maximal
 * identical runs of different pairs differ in extent — so plain connected components would chain
 * unrelated code into giant classes; Auxil's first version did, on three.js.
 *
 * Output order is deterministic: largest classes first, then by their first fragment.
 */
export function groupIntoClasses(pairs: readonly ClonePair[], relate: Relate, minSimilarity: number): CloneClass[] {
  // Sides of pairs on flat arrays (side 2i is pair i's `a`, 2i+1 its `b`): a codebase has millions.
  const sides = pairs.length * 2;
  const fileIds = new Int32Array(sides);
  const starts = new Int32Array(sides);
  const ends = new Int32Array(sides);
  const fileOf = (side: number): IndexedFile => {
    const pair = pairs[side >> 1] as ClonePair;
    return side & 1 ? pair.b : pair.a;
  };
  let maxId = 0;
  pairs.forEach((pair, i) => {
    fileIds[2 * i] = pair.a.id;
    starts[2 * i] = pair.aStart;
    ends[2 * i] = pair.aEnd;
    fileIds[2 * i + 1] = pair.b.id;
    starts[2 * i + 1] = pair.bStart;
    ends[2 * i + 1] = pair.bEnd;
    maxId = Math.max(maxId, pair.a.id, pair.b.id);
  });

  // Each file's sides by start, longest first: bucketed by file (a counting sort), then sorted
  // within the file, which is far cheaper than one sort of every side.
  const offsets = new Int32Array(maxId + 2);
  for (let side = 0; side < sides; side++) (offsets[(fileIds[side] as number) + 1] as number)++;
  for (let id = 1; id < offsets.length; id++) offsets[id] = (offsets[id] as number) + (offsets[id - 1] as number);
  const order = new Int32Array(sides);
  const fill = offsets.slice();
  for (let side = 0; side < sides; side++) order[(fill[fileIds[side] as number] as number)++] = side;
  const byStart = (x: number, y: number): number =>
    (starts[x] as number) - (starts[y] as number) || (ends[y] as number) - (ends[x] as number) || x - y;
  const sets = new UnionFind(sides);
  for (let id = 0; id <= maxId; id++) {
    const from = offsets[id] as number;
    const to = offsets[id + 1] as number;
    if (to - from > 1) order.subarray(from, to).sort(byStart);
    for (let i = from; i < to; i++) {
      const a = order[i] as number;
      const aStart = starts[a] as number;
      const aEnd = ends[a] as number;
      // Sorted by start: once b starts too far into a to overlap it by SAME_COPY_OVERLAP, so do
      // all the sides after it.
      const limit = aStart + (aEnd - aStart + 1) * (1 - SAME_COPY_OVERLAP);
      for (let j = i + 1; j < to; j++) {
        const b = order[j] as number;
        if ((starts[b] as number) > limit) break;
        if (sameCopy(aStart, aEnd, starts[b] as number, ends[b] as number)) sets.union(a, b);
      }
    }
  }

  // One copy per set of sides, numbered in order of its first side.
  const copyOfSide = new Int32Array(sides).fill(-1);
  const representatives: number[] = [];
  const firsts: number[] = [];
  const compareSides = (x: number, y: number): number => {
    if (fileIds[x] !== fileIds[y]) {
      const a = fileOf(x).record.path;
      const b = fileOf(y).record.path;
      if (a !== b) return a < b ? -1 : 1;
    }
    return (starts[x] as number) - (starts[y] as number);
  };
  for (let side = 0; side < sides; side++) {
    const root = sets.find(side);
    let copy = copyOfSide[root] as number;
    if (copy < 0) {
      copy = representatives.length;
      copyOfSide[root] = copy;
      representatives.push(root);
      firsts.push(root);
    }
    copyOfSide[side] = copy;
    if (compareSides(side, firsts[copy] as number) < 0) firsts[copy] = side;
    const representative = representatives[copy] as number;
    if ((ends[side] as number) - (starts[side] as number) > (ends[representative] as number) - (starts[representative] as number)) {
      representatives[copy] = side;
    }
  }
  const endpoint = (side: number): Endpoint => ({ file: fileOf(side), start: starts[side] as number, end: ends[side] as number });
  const copies = representatives.map((side, i): Copy => {
    const representative = endpoint(side);
    const first = firsts[i] === side ? representative : endpoint(firsts[i] as number);
    return { representative, first, links: new Map(), exact: 0 };
  });
  pairs.forEach((pair, i) => {
    const a = copies[copyOfSide[2 * i] as number] as Copy;
    const b = copies[copyOfSide[2 * i + 1] as number] as Copy;
    if (a === b) return;
    // A pair is itself a relation (its type and similarity): no object per link.
    a.links.set(b, better(a.links.get(b), pair));
    b.links.set(a, better(b.links.get(a), pair));
  });

  const byKey = (x: Copy, y: Copy): number => comparePoints(x.first, y.first);
  // Centres: copies with the most identical-or-renamed partners first, then the most partners.
  for (const copy of copies) for (const relation of copy.links.values()) if (relation.similarity === 1) copy.exact++;
  const ordered = [...copies].sort((x, y) => y.exact - x.exact || y.links.size - x.links.size || byKey(x, y));
  const assigned = new Set<Copy>();
  const classes: CloneClass[] = [];
  for (const centre of ordered) {
    if (assigned.has(centre)) continue;
    assigned.add(centre);
    const members: Copy[] = [centre];
    let type: CloneType = 1;
    let similarity = 1;
    const queue = [...centre.links]
      .filter(([copy]) => !assigned.has(copy))
      .sort((x, y) => y[1].similarity - x[1].similarity || x[1].type - y[1].type || byKey(x[0], y[0]));
    const queued = new Set<Copy>(queue.map(([copy]) => copy));
    const toCentreOf = new Map<Copy, Relation>();
    for (let next = 0; next < queue.length && members.length < MAX_CLASS_COPIES; next++) {
      const [candidate, toCentre] = queue[next] as [Copy, Relation];
      if (assigned.has(candidate)) continue;
      // A region cannot be a copy of code it overlaps.
      if (members.some((member) => overlaps(member.representative, candidate.representative))) continue;
      let candidateType = toCentre.type;
      let weakest = toCentre.similarity;
      for (const member of members.slice(1)) {
        const memberToCentre = toCentreOf.get(member) as Relation;
        // Two identical or renamed copies of the centre's code are copies of each other; only
        // relations involving a near-miss need measuring.
        const relation =
          candidate.links.get(member) ??
          (toCentre.similarity === 1 && memberToCentre.similarity === 1
            ? { type: Math.max(toCentre.type, memberToCentre.type) as CloneType, similarity: 1 }
            : relate(candidate.representative, member.representative));
        candidateType = Math.max(candidateType, relation.type) as CloneType;
        weakest = Math.min(weakest, relation.similarity);
        if (weakest < minSimilarity) break;
      }
      if (weakest < minSimilarity) continue;
      members.push(candidate);
      toCentreOf.set(candidate, toCentre);
      assigned.add(candidate);
      type = Math.max(type, candidateType) as CloneType;
      similarity = Math.min(similarity, weakest);
      // Identical or renamed copies of a member belong with it: offer them to this class too,
      // rather than leave them to a centre that may not be linked to them at all.
      for (const [partner, relation] of candidate.links) {
        if (relation.similarity !== 1 || assigned.has(partner) || queued.has(partner)) continue;
        const partnerToCentre =
          centre.links.get(partner) ??
          (toCentre.similarity === 1
            ? { type: Math.max(toCentre.type, relation.type) as CloneType, similarity: 1 }
            : relate(partner.representative, centre.representative));
        queue.push([partner, partnerToCentre]);
        queued.add(partner);
      }
    }
    if (members.length < 2) continue;
    // Each member is reported by its representative: the range its relations were measured on.
    const fragments = fragmentsOf(members.map((member) => member.representative));
    if (fragments.length < 2) continue;
    let tokens = 0;
    let lines = 0;
    for (const fragment of fragments) {
      tokens = Math.max(tokens, fragment.endToken - fragment.startToken + 1);
      lines = Math.max(lines, fragment.endLine - fragment.startLine + 1);
    }
    classes.push({ id: classId(fragments), type: similarity < 1 ? 3 : type, similarity, tokens, lines, fragments });
  }
  return classes.sort((x, y) => {
    if (x.tokens !== y.tokens) return y.tokens - x.tokens;
    const a = x.fragments[0] as CloneFragment;
    const b = y.fragments[0] as CloneFragment;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine || x.id.localeCompare(y.id);
  });
}
