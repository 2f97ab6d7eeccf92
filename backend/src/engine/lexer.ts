import type { LanguageSyntax } from './languages.js';

/** The tokens of one file as parallel typed arrays: compact, and cheap to hand to a worker. */
export interface TokenStream {
  /** Number of tokens. */
  readonly length: number;
  /** Hash of each token's exact text: equal runs are Type-1 copies. */
  readonly exact: Int32Array;
  /** Hash of each token with identifiers and literals abstracted: equal runs are Type-2 copies. */
  readonly normalized: Int32Array;
  /** 1-based line of each token's first character. */
  readonly startLine: Int32Array;
  /** 1-based line of each token's last character (multi-line strings span lines). */
  readonly endLine: Int32Array;
}

// Words that shape code rather than name things; they keep their identity under normalisation so
// that `if (a) return b` never matches `while (a) yield b`. One set for all families is enough for
// a token-window finder: a keyword of another language only makes matching slightly stricter.
const keywords = new Set(
  (
    'abstract and as async await break case catch class const continue def default del delete do elif ' +
    'else enum except export extends false final finally fn for from func function go if impl implements ' +
    'import in instanceof interface is lambda let loop match mod module mut namespace new nil None not null ' +
    'or package pass private protected pub public raise return self static struct super switch this throw ' +
    'throws trait true True False try type typeof undefined unless until use val var void when where while ' +
    'with yield'
  ).split(' '),
);

const IDENTIFIER = 1;
const NUMBER = 2;
const STRING = 3;

/** FNV-1a over a slice of the text: a fast, well-spread 32-bit hash of a token's characters. */
function hashSlice(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Keep clear of the small codes reserved for abstracted kinds.
  return hash >= 0 && hash < 16 ? hash + 16 : hash;
}

/** The exact-text hash a token with this text gets. */
export function hashToken(text: string): number {
  return hashSlice(text, 0, text.length);
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36 || code > 127;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

class TokenBuffer {
  private exact: number[] = [];
  private normalized: number[] = [];
  private startLine: number[] = [];
  private endLine: number[] = [];

  push(exact: number, normalized: number, startLine: number, endLine: number): void {
    this.exact.push(exact);
    this.normalized.push(normalized);
    this.startLine.push(startLine);
    this.endLine.push(endLine);
  }

  finish(): TokenStream {
    return {
      length: this.exact.length,
      exact: Int32Array.from(this.exact),
      normalized: Int32Array.from(this.normalized),
      startLine: Int32Array.from(this.startLine),
      endLine: Int32Array.from(this.endLine),
    };
  }
}

/**
 * Splits source text into tokens, dropping whitespace and comments. The scanner never fails:
 * unterminated strings and comments end at the end of the line or file, so any input yields a
 * stream in one linear pass.
 */
export function tokenize(text: string, syntax: LanguageSyntax): TokenStream {
  const out = new TokenBuffer();
  const length = text.length;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  // Advances over a newline sequence at `at` (\n, \r\n or \r) and returns the index after it.
  const newlineEnd = (at: number): number => {
    line++;
    return text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
  };

  const skipString = (quote: string, multiLine: boolean): number => {
    let j = i + quote.length;
    while (j < length) {
      const code = text.charCodeAt(j);
      if (code === 92) {
        // A backslash before a newline continues the string on the next line; that line still counts.
        const next = text.charCodeAt(j + 1);
        j = next === 10 || next === 13 ? newlineEnd(j + 1) : j + 2;
        continue;
      }
      if (code === 10 || code === 13) {
        if (!multiLine) return j;
        j = newlineEnd(j);
        continue;
      }
      if (text.startsWith(quote, j)) return j + quote.length;
      j++;
    }
    return length;
  };

  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) {
      i = newlineEnd(i);
      continue;
    }
    if (code === 32 || code === 9 || code === 12 || code === 11) {
      i++;
      continue;
    }
    if (syntax.lineComments.some((opener) => text.startsWith(opener, i))) {
      while (i < length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (syntax.blockComments && code === 47 && text.charCodeAt(i + 1) === 42) {
      let j = i + 2;
      while (j < length && !(text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47)) {
        const c = text.charCodeAt(j);
        j = c === 10 || c === 13 ? newlineEnd(j) : j + 1;
      }
      i = Math.min(length, j + 2);
      continue;
    }
    const startLine = line;
    let end: number;
    let kind: number;
    if (code === 34 || code === 39 || code === 96) {
      const quoteChar = text[i] as string;
      const triple = syntax.tripleQuotes && text.startsWith(quoteChar.repeat(3), i);
      const multiLine = triple || (code === 96 && syntax.backquoteStrings);
      end = skipString(triple ? quoteChar.repeat(3) : quoteChar, multiLine);
      kind = STRING;
    } else if (isDigit(code) || (code === 46 && isDigit(text.charCodeAt(i + 1)))) {
      end = i + 1;
      while (end < length && (isIdentifierPart(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
      kind = NUMBER;
    } else if (isIdentifierStart(code)) {
      end = i + 1;
      while (end < length && isIdentifierPart(text.charCodeAt(end))) end++;
      kind = keywords.has(text.slice(i, end)) ? 0 : IDENTIFIER;
    } else {
      end = i + 1;
      kind = 0;
    }
    const exact = hashSlice(text, i, end);
    out.push(exact, kind === 0 ? exact : kind, startLine, line);
    i = end;
  }
  return out.finish();
}
