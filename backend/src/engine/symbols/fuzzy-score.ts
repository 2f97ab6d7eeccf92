/**
 * Scores how well a query matches a name, for symbol search. Matching ignores case; a score is
 * the match's tier times `TIER` plus a bonus within the tier, so every exact match outranks every
 * prefix match, which outranks every word-boundary match, which outranks every plain subsequence:
 *
 * - tier 4, exact: the whole name (`getuser` → `getUser`);
 * - tier 3, prefix: the start of the name (`getu` → `getUserName`);
 * - tier 2, boundary: every query character starts a word (`gun` → `getUserName`) or follows the
 *   previous match directly (`usna` → `getUserName`), words split at camelCase humps, acronym
 *   ends (`HTTPServer`), digits, `_`, `-`, `$`, `.` and `:`;
 * - tier 1, subsequence: the characters in order anywhere (`gtsr` → `getUser`).
 *
 * Within a tier, more characters matching in exact case, more word starts and fewer gaps score
 * higher, then shorter names. The caller breaks remaining ties by name and location.
 */
export const TIER = 1_000_000;

/** Lower-cases one UTF-16 code unit without changing the length of the text (so indexes stay aligned). */
export function foldCode(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  const folded = String.fromCharCode(c).toLowerCase();
  return folded.length === 1 ? folded.charCodeAt(0) : c;
}

/** Whether the character at `p` of `name` starts a word. */
export function isWordStart(name: string, p: number): boolean {
  if (p === 0) return true;
  const c = name.charCodeAt(p);
  const prev = name.charCodeAt(p - 1);
  if (!isAlphanumeric(prev)) return isAlphanumeric(c);
  if (isDigit(c)) return !isDigit(prev);
  if (!isUpper(c)) return false;
  if (!isUpper(prev)) return true;
  return p + 1 < name.length && isLower(name.charCodeAt(p + 1));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUpper(c: number): boolean {
  return (c >= 65 && c <= 90) || (c > 127 && String.fromCharCode(c).toLowerCase() !== String.fromCharCode(c));
}
function isLower(c: number): boolean {
  return (c >= 97 && c <= 122) || (c > 127 && String.fromCharCode(c).toUpperCase() !== String.fromCharCode(c));
}
function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/**
 * Bit `p` set when character `p` of `name` starts a word, for the first 32 characters: computed
 * once per distinct name so that scoring tests a bit instead of re-reading neighbours.
 */
export function wordStartBits(name: string): number {
  let bits = 0;
  const n = Math.min(name.length, 32);
  for (let p = 0; p < n; p++) if (isWordStart(name, p)) bits |= 1 << p;
  return bits;
}

/** A query prepared once for many names. */
export interface PreparedQuery {
  readonly text: string;
  /** The query folded to lower case, one code unit per character of `text`. */
  readonly folded: Uint16Array;
  /** Scratch space for match positions, one per query character. */
  readonly positions: Int32Array;
}

export function prepareQuery(query: string): PreparedQuery {
  const text = query.replace(/\s+/g, '');
  const folded = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) folded[i] = foldCode(text.charCodeAt(i));
  return { text, folded, positions: new Int32Array(text.length) };
}

/** One distinct name as the index stores it. */
export interface StoredName {
  readonly name: string;
  /** The folded characters: `chars[offset .. offset + name.length)`. */
  readonly chars: Uint16Array;
  readonly offset: number;
  /** `wordStartBits(name)`. */
  readonly starts: number;
}

/**
 * The score of a name for `query`, or 0 when the query does not match it in tier `minTier` or
 * better (a caller that already holds enough better hits passes the tier it needs, and names that
 * cannot reach it are rejected by the cheap tests alone).
 */
export function scoreName(stored: StoredName, query: PreparedQuery, minTier = 1): number {
  const { name, chars, offset } = stored;
  const q = query.folded;
  const qn = q.length;
  const n = name.length;
  if (qn === 0 || qn > n) return 0;
  let prefix = true;
  for (let k = 0; k < qn; k++) {
    if (chars[offset + k] !== q[k]) {
      prefix = false;
      break;
    }
  }
  const shortness = 999 - Math.min(n, 999);
  if (prefix) {
    const exactCase = caseMatchesAt(name, query.text, 0);
    return (qn === n ? 4 : 3) * TIER + exactCase * 1000 + shortness;
  }
  if (minTier > 2) return 0;
  const positions = query.positions;
  if (matchWordStarts(stored, q, positions)) {
    return 2 * TIER + alignmentBonus(stored, query.text, positions, shortness);
  }
  if (minTier > 1 || !matchLeftmost(chars, offset, n, q, positions)) return 0;
  return TIER + alignmentBonus(stored, query.text, positions, shortness);
}

/**
 * The tier-1 score of a name known to have no word starting with the query's first character (so
 * no better match): the leftmost subsequence alignment, or 0 when the query is not a subsequence.
 */
export function scoreSubsequence(stored: StoredName, query: PreparedQuery): number {
  const n = stored.name.length;
  const positions = query.positions;
  if (query.folded.length > n || !matchLeftmost(stored.chars, stored.offset, n, query.folded, positions)) return 0;
  return TIER + alignmentBonus(stored, query.text, positions, 999 - Math.min(n, 999));
}

function startsWord(stored: StoredName, p: number): boolean {
  return p < 32 ? ((stored.starts >>> p) & 1) === 1 : isWordStart(stored.name, p);
}

function caseMatchesAt(name: string, text: string, from: number): number {
  let matches = 0;
  for (let k = 0; k < text.length; k++) if (name.charCodeAt(from + k) === text.charCodeAt(k)) matches++;
  return matches;
}

/**
 * Tries to match every query character at a word start or right after the previous match. Two
 * greedy passes cover the common shapes without backtracking: the first continues the current
 * word whenever it can, the second (needed only when the first failed after continuing a word)
 * jumps to the next word whenever it can.
 */
function matchWordStarts(stored: StoredName, q: Uint16Array, positions: Int32Array): boolean {
  const first = greedyWordMatch(stored, q, positions, true);
  return first === MATCHED || (first === FAILED_AFTER_CONTINUING && greedyWordMatch(stored, q, positions, false) === MATCHED);
}

const MATCHED = 1;
const FAILED = 0;
const FAILED_AFTER_CONTINUING = -1;

function greedyWordMatch(stored: StoredName, q: Uint16Array, positions: Int32Array, preferContinuing: boolean): number {
  const { chars, offset } = stored;
  const n = stored.name.length;
  let p = 0;
  let last = -2;
  let continued = false;
  for (let k = 0; k < q.length; k++) {
    const c = q[k]!;
    const continues = last >= 0 && last + 1 < n && chars[offset + last + 1] === c;
    let found: number;
    if (continues && preferContinuing) {
      found = last + 1;
      continued = true;
    } else {
      found = nextWordStart(stored, p, c);
      if (found < 0 && continues) found = last + 1;
    }
    if (found < 0) return continued ? FAILED_AFTER_CONTINUING : FAILED;
    positions[k] = found;
    last = found;
    p = found + 1;
  }
  return MATCHED;
}

/** The first word start at or after `from` whose folded character is `c`, or -1; visits only word starts among the first 32 characters. */
function nextWordStart(stored: StoredName, from: number, c: number): number {
  const { chars, offset } = stored;
  let p = from;
  if (p < 32) {
    let bits = stored.starts & (-1 << p);
    while (bits !== 0) {
      const low = bits & -bits;
      const s = 31 - Math.clz32(low);
      if (chars[offset + s] === c) return s;
      bits ^= low;
    }
    p = 32;
  }
  for (; p < stored.name.length; p++) if (chars[offset + p] === c && isWordStart(stored.name, p)) return p;
  return -1;
}

function matchLeftmost(chars: Uint16Array, offset: number, n: number, q: Uint16Array, positions: Int32Array): boolean {
  let p = 0;
  for (let k = 0; k < q.length; k++) {
    const c = q[k]!;
    while (p < n && chars[offset + p] !== c) p++;
    if (p === n) return false;
    positions[k] = p++;
  }
  return true;
}

/** Bonus within tiers 1 and 2: word starts, consecutive runs and exact case up; gaps and a late start down. */
function alignmentBonus(stored: StoredName, text: string, positions: Int32Array, shortness: number): number {
  let bonus = 500_000;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]!;
    if (startsWord(stored, p)) bonus += 20_000;
    if (k > 0 && p === positions[k - 1]! + 1) bonus += 10_000;
    else if (k > 0) bonus -= 2_000 * Math.min(p - positions[k - 1]! - 1, 20);
    if (stored.name.charCodeAt(p) === text.charCodeAt(k)) bonus += 1_000;
  }
  bonus -= 3_000 * Math.min(positions[0]!, 20);
  return Math.max(0, Math.min(TIER - 1000, bonus)) + shortness;
}
