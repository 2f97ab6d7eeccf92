import { TokenKind, type LexedFile } from '../lexing/tokens.js';

/**
 * Import and package declarations are left out of clone detection: every file of a module
 * system starts with similar lists of names, and reporting them as copies would bury real
 * duplication (Auxil's own measurement on three.js: classes of 130 "copies" that were import
 * blocks). Symbols and conventions still see them; only the clone index drops them.
 */

/** How far an import statement may run, in tokens, before it is taken for something else. */
const MAX_IMPORT_TOKENS = 4096;

function text(lexed: LexedFile, i: number): string {
  return lexed.text.slice(lexed.starts[i], lexed.ends[i]);
}

/** Whether token i is the first token of its line. */
function startsLine(lexed: LexedFile, i: number): boolean {
  return i === 0 || lexed.lines[i] !== lexed.endLines[i - 1];
}

/** Whether token i begins a statement: first in the file, after `;`, `{` or `}`, or first on its line. */
function startsStatement(lexed: LexedFile, i: number): boolean {
  if (i === 0 || startsLine(lexed, i)) return true;
  const previous = text(lexed, i - 1);
  return previous === ';' || previous === '{' || previous === '}';
}

/** Last token of the statement starting at `i`: its `;`, or the end of its line when there is none. */
function statementEnd(lexed: LexedFile, i: number, untilLineEnd: boolean): number {
  let depth = 0;
  const limit = Math.min(lexed.count, i + MAX_IMPORT_TOKENS);
  for (let j = i; j < limit; j++) {
    const t = text(lexed, j);
    if (lexed.kinds[j] === TokenKind.Punctuation) {
      if (t === '(' || t === '{' || t === '[') depth++;
      else if (t === ')' || t === '}' || t === ']') depth--;
      else if (t === ';' && depth <= 0) return j;
    }
    const next = j + 1;
    if (untilLineEnd && depth <= 0 && (next >= lexed.count || startsLine(lexed, next))) return j;
  }
  return -1;
}

/**
 * CommonJS imports: `const x = require('m')`, `const { a, b } = require('m').c;` — a declaration
 * whose initialiser is nothing but a `require` call (and property accesses). −1 for anything else.
 */
function requireEnd(lexed: LexedFile, i: number): number {
  const end = statementEnd(lexed, i, true);
  if (end < 0) return -1;
  let j = i + 1;
  let depth = 0;
  for (; j <= end; j++) {
    const t = text(lexed, j);
    if (t === '{' || t === '[') depth++;
    else if (t === '}' || t === ']') depth--;
    else if (t === '=' && depth === 0) break;
  }
  if (
    text(lexed, j + 1) !== 'require' ||
    text(lexed, j + 2) !== '(' ||
    lexed.kinds[j + 3] !== TokenKind.String ||
    text(lexed, j + 4) !== ')'
  )
    return -1;
  for (let k = j + 5; k <= end; k++) {
    const t = text(lexed, k);
    const property = t === '.' || (lexed.kinds[k] === TokenKind.Identifier && text(lexed, k - 1) === '.');
    if (!property && !(t === ';' && k === end)) return -1;
  }
  return end;
}

// First letters of every word that can open an import or package declaration, to rule out most
// tokens without slicing their text.
const STARTERS = new Set([...'iecvlfrpunm'].map((c) => c.charCodeAt(0)));

/** The last token of the import starting at `i`, or −1 when token i does not start one. */
function importEnd(lexed: LexedFile, i: number): number {
  const kind = lexed.kinds[i];
  if (kind === TokenKind.Directive) return /^#\s*(include|import)\b/.test(text(lexed, i)) ? i : -1;
  if (kind !== TokenKind.Keyword && kind !== TokenKind.Identifier) return -1;
  const length = (lexed.ends[i] as number) - (lexed.starts[i] as number);
  if (length < 3 || length > 16 || !STARTERS.has(lexed.text.charCodeAt(lexed.starts[i] as number))) return -1;
  const word = text(lexed, i);
  const next = i + 1 < lexed.count ? text(lexed, i + 1) : '';
  switch (lexed.language) {
    case 'typescript':
    case 'javascript':
      if (word === 'import' && startsStatement(lexed, i) && next !== '(' && next !== '.') return statementEnd(lexed, i, true);
      if ((word === 'const' || word === 'let' || word === 'var') && startsStatement(lexed, i)) return requireEnd(lexed, i);
      if (word === 'export' && (next === '{' || next === '*') && startsStatement(lexed, i)) {
        const end = statementEnd(lexed, i, true);
        for (let j = i; j <= end; j++) if (text(lexed, j) === 'from') return end;
      }
      return -1;
    case 'python':
      return (word === 'import' || word === 'from') && startsLine(lexed, i) ? statementEnd(lexed, i, true) : -1;
    case 'ruby':
      return (word === 'require' || word === 'require_relative') && startsLine(lexed, i) ? statementEnd(lexed, i, true) : -1;
    case 'java':
    case 'kotlin':
      return (word === 'import' || word === 'package') && startsStatement(lexed, i)
        ? statementEnd(lexed, i, lexed.language === 'kotlin')
        : -1;
    case 'csharp':
      return word === 'using' && startsStatement(lexed, i) && next !== '(' && next !== 'var' ? statementEnd(lexed, i, false) : -1;
    case 'go':
      return (word === 'import' || word === 'package') && startsLine(lexed, i) ? statementEnd(lexed, i, true) : -1;
    case 'rust':
      return (word === 'use' || word === 'extern') && startsStatement(lexed, i) ? statementEnd(lexed, i, false) : -1;
    case 'php':
      return ['use', 'namespace', 'require', 'require_once', 'include', 'include_once'].includes(word) && startsStatement(lexed, i)
        ? statementEnd(lexed, i, false)
        : -1;
    default:
      return -1;
  }
}

/**
 * The file's tokens without its import and package declarations (the same object when it has
 * none); each block of consecutive declarations leaves one placeholder token of its own.
 */
export function withoutImports(lexed: LexedFile): LexedFile {
  // 1: kept as is; 2: kept as the placeholder of a dropped declaration; 0: dropped.
  const keep = new Uint8Array(lexed.count).fill(1);
  let dropped = 0;
  for (let i = 0; i < lexed.count; i++) {
    const end = importEnd(lexed, i);
    if (end < i) continue;
    // Consecutive declarations (an import block) share one placeholder.
    const joinsBlock = i > 0 && keep[i - 1] === 0;
    keep.fill(0, i, end + 1);
    if (!joinsBlock && keep[i - 1] !== 2) keep[i] = 2;
    dropped += end - i + (keep[i] === 2 ? 0 : 1);
    i = end;
  }
  if (dropped === 0) return lexed;
  const count = lexed.count - dropped;
  const pick = <T extends Uint8Array | Uint32Array>(array: T, make: (n: number) => T): T => {
    const out = make(count);
    let at = 0;
    for (let i = 0; i < lexed.count; i++) if (keep[i] !== 0) out[at++] = array[i] as number;
    return out;
  };
  const kinds = pick(lexed.kinds, (n) => new Uint8Array(n));
  const endLines = pick(lexed.endLines, (n) => new Uint32Array(n));
  const lines = pick(lexed.lines, (n) => new Uint32Array(n));
  // A dropped block leaves one Directive token behind. Without it, a run of matching code could
  // run straight across the gap in one file and not in the other, and its reported lines would
  // then include the whole import block on one side only.
  let at = 0;
  for (let i = 0; i < lexed.count; i++) {
    if (keep[i] === 0) continue;
    if (keep[i] === 2) {
      kinds[at] = TokenKind.Directive;
      endLines[at] = lines[at] as number;
    }
    at++;
  }
  return {
    ...lexed,
    count,
    kinds,
    starts: pick(lexed.starts, (n) => new Uint32Array(n)),
    ends: pick(lexed.ends, (n) => new Uint32Array(n)),
    lines,
    columns: pick(lexed.columns, (n) => new Uint32Array(n)),
    endLines,
  };
}
