import { syntaxForPath } from './languages.js';
import { hashToken, tokenize, type TokenStream } from './lexer.js';

/** Thresholds below which a shared fragment is not worth reporting. */
export interface CloneOptions {
  /** Shortest reported fragment, in tokens; also the fingerprint window length. */
  readonly minTokens: number;
  /** Shortest reported fragment, in lines (on both sides). */
  readonly minLines: number;
}

export const defaultCloneOptions: CloneOptions = { minTokens: 50, minLines: 5 };

/** Another place holding a copy of a fragment. */
export interface CloneCopy {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** A fragment of one file that also exists elsewhere (in another file or further down the same one). */
export interface FileClone {
  readonly startLine: number;
  readonly endLine: number;
  /** Length of the fragment in tokens. */
  readonly tokens: number;
  /** 1 when every copy is token-for-token identical; 2 when identifiers or literals differ. */
  readonly cloneType: 1 | 2;
  readonly copies: readonly CloneCopy[];
}

interface IndexedFile {
  readonly id: number;
  readonly path: string;
  readonly tokens: TokenStream;
  /** Fingerprint of the normalised tokens starting at each position (length − window + 1 entries). */
  readonly windows: Int32Array;
}

// A fingerprint shared by more places than this is boilerplate (license headers, generated tables);
// following every posting would make one lookup quadratic, so such windows are not matched.
const MAX_POSTINGS_PER_WINDOW = 256;

const HASH_BASE = 0x01000193;

// A shared run often begins with the end of the statement before it and ends with the opening of
// the one after; those tokens are trimmed so a fragment starts and ends where a reader expects.
const LEADING_NOISE = new Set([';', '}', ')', ']', ','].map(hashToken));
const TRAILING_NOISE = new Set(['{', '(', '[', ','].map(hashToken));

/** Polynomial rolling hash of every `window`-token run of the normalised stream. */
function fingerprint(tokens: TokenStream, window: number): Int32Array {
  const count = tokens.length - window + 1;
  if (count <= 0) return new Int32Array(0);
  const codes = tokens.normalized;
  let highPower = 1;
  for (let k = 1; k < window; k++) highPower = Math.imul(highPower, HASH_BASE);
  const windows = new Int32Array(count);
  let hash = 0;
  for (let k = 0; k < window; k++) hash = (Math.imul(hash, HASH_BASE) + (codes[k] as number)) | 0;
  windows[0] = hash;
  for (let i = 1; i < count; i++) {
    const dropped = Math.imul(codes[i - 1] as number, highPower);
    hash = (Math.imul((hash - dropped) | 0, HASH_BASE) + (codes[i + window - 1] as number)) | 0;
    windows[i] = hash;
  }
  return windows;
}

function sameRun(a: Int32Array, from: number, b: Int32Array, to: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a[from + k] !== b[to + k]) return false;
  return true;
}

/**
 * The clone index of one project: fingerprints of every file's token windows, with per-file
 * add, replace and remove, so an edit costs work proportional to that file (and its matches),
 * never a rescan of the project. Pure: text in, facts out.
 */
export class CloneIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly filesById = new Map<number, IndexedFile>();
  /** Fingerprint → flat list of (file id, token position) pairs. */
  private readonly postings = new Map<number, number[]>();
  private nextId = 1;

  constructor(private readonly options: CloneOptions = defaultCloneOptions) {}

  /** Number of files in the index (files in languages Auxil does not analyse are not kept). */
  get size(): number {
    return this.files.size;
  }

  /**
   * Adds or replaces a file. Returns every path whose clones may have changed: the file itself
   * and each file it shared a fingerprint with before or after the change.
   */
  upsert(path: string, text: string): Set<string> {
    const affected = this.remove(path);
    const syntax = syntaxForPath(path);
    if (!syntax) return affected;
    const tokens = tokenize(text, syntax);
    const file: IndexedFile = {
      id: this.nextId++,
      path,
      tokens,
      windows: fingerprint(tokens, this.options.minTokens),
    };
    this.files.set(path, file);
    this.filesById.set(file.id, file);
    file.windows.forEach((hash, position) => {
      const list = this.postings.get(hash);
      if (list) list.push(file.id, position);
      else this.postings.set(hash, [file.id, position]);
    });
    for (const other of this.neighbours(file)) affected.add(other);
    return affected;
  }

  /** Removes a file; returns the paths whose clones may have changed (including this one). */
  remove(path: string): Set<string> {
    const affected = new Set<string>([path]);
    const file = this.files.get(path);
    if (!file) return affected;
    for (const other of this.neighbours(file)) affected.add(other);
    for (const hash of new Set(file.windows)) {
      const list = this.postings.get(hash);
      if (!list) continue;
      const kept: number[] = [];
      for (let k = 0; k < list.length; k += 2) {
        if (list[k] !== file.id) kept.push(list[k] as number, list[k + 1] as number);
      }
      if (kept.length === 0) this.postings.delete(hash);
      else this.postings.set(hash, kept);
    }
    this.files.delete(path);
    this.filesById.delete(file.id);
    return affected;
  }

  /** Paths of the files that share at least one fingerprint with `file`. */
  private neighbours(file: IndexedFile): Set<string> {
    const paths = new Set<string>();
    for (const hash of new Set(file.windows)) {
      const list = this.postings.get(hash) ?? [];
      for (let k = 0; k < list.length; k += 2) {
        const other = this.filesById.get(list[k] as number);
        if (other) paths.add(other.path);
      }
    }
    return paths;
  }

  /** The fragments of `path` that exist elsewhere, ordered by position, each with all its copies. */
  clonesOf(path: string): FileClone[] {
    const file = this.files.get(path);
    if (!file) return [];
    const window = this.options.minTokens;
    // Matching windows on the same diagonal (same offset between the two files) that follow
    // each other form one maximal shared run.
    const diagonals = new Map<string, number[]>();
    file.windows.forEach((hash, position) => {
      const list = this.postings.get(hash);
      if (!list || list.length > MAX_POSTINGS_PER_WINDOW * 2) return;
      for (let k = 0; k < list.length; k += 2) {
        const otherId = list[k] as number;
        const otherPosition = list[k + 1] as number;
        if (otherId === file.id && Math.abs(otherPosition - position) < window) continue;
        const other = this.filesById.get(otherId) as IndexedFile;
        if (!sameRun(file.tokens.normalized, position, other.tokens.normalized, otherPosition, window)) continue;
        const key = `${otherId}:${otherPosition - position}`;
        const positions = diagonals.get(key);
        if (positions) positions.push(position);
        else diagonals.set(key, [position]);
      }
    });

    const fragments = new Map<string, { clone: Omit<FileClone, 'copies' | 'cloneType'>; exact: boolean; copies: CloneCopy[] }>();
    for (const [key, positions] of diagonals) {
      const [otherId, offset] = key.split(':').map(Number) as [number, number];
      const other = this.filesById.get(otherId) as IndexedFile;
      let runStart = 0;
      for (let p = 1; p <= positions.length; p++) {
        if (p < positions.length && positions[p] === (positions[p - 1] as number) + 1) continue;
        let first = positions[runStart] as number;
        let last = (positions[p - 1] as number) + window - 1;
        runStart = p;
        while (first < last && LEADING_NOISE.has(file.tokens.exact[first] as number)) first++;
        while (last > first && TRAILING_NOISE.has(file.tokens.exact[last] as number)) last--;
        if (last - first + 1 < window) continue;
        const mine = this.span(file, first, last);
        const theirs = this.span(other, first + offset, last + offset);
        if (mine.lines < this.options.minLines || theirs.lines < this.options.minLines) continue;
        const exact = sameRun(file.tokens.exact, first, other.tokens.exact, first + offset, last - first + 1);
        const fragmentKey = `${first}:${last}`;
        const fragment = fragments.get(fragmentKey) ?? {
          clone: { startLine: mine.startLine, endLine: mine.endLine, tokens: last - first + 1 },
          exact: true,
          copies: [],
        };
        fragment.exact &&= exact;
        fragment.copies.push({ path: other.path, startLine: theirs.startLine, endLine: theirs.endLine });
        fragments.set(fragmentKey, fragment);
      }
    }

    return [...fragments.values()]
      .map(({ clone, exact, copies }) => ({
        ...clone,
        cloneType: exact ? (1 as const) : (2 as const),
        copies: copies.sort((a, b) => a.path.localeCompare(b.path) || a.startLine - b.startLine),
      }))
      .sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  }

  private span(file: IndexedFile, firstToken: number, lastToken: number) {
    const startLine = file.tokens.startLine[firstToken] as number;
    const endLine = file.tokens.endLine[lastToken] as number;
    return { startLine, endLine, lines: endLine - startLine + 1 };
  }
}
