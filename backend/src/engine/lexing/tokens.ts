/**
 * The contract between the lexers and the rest of the engine. A lexer turns one file's text into
 * a `LexedFile`: parallel typed arrays, one entry per token, with whitespace and comments dropped.
 * Typed arrays keep a 50,000-file scan compact and can be transferred between worker threads
 * without copying.
 */

/** What a token is, as far as clone detection and symbol extraction care. */
export const TokenKind = {
  /** A name: variables, functions, types, properties, labels. */
  Identifier: 1,
  /** A reserved word that shapes code (`if`, `return`, `class`, `def`, `fn`). */
  Keyword: 2,
  /** A primitive type spelled as a keyword (`int`, `bool`, `string` in C#): renamed like an identifier. */
  BuiltinType: 3,
  /** A numeric literal. */
  Number: 4,
  /** A string or character literal, including a whole template/interpolated string. */
  String: 5,
  /** A regular-expression literal (JavaScript, Ruby). */
  Regex: 6,
  /** An operator or punctuation, multi-character operators as one token (`===`, `=>`, `::`). */
  Punctuation: 7,
  /** A preprocessor line or attribute/decorator introducer kept as one token (`#include <x>`). */
  Directive: 8,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** Languages the engine analyses. */
export type LanguageId =
  'typescript' | 'javascript' | 'python' | 'java' | 'go' | 'csharp' | 'c' | 'cpp' | 'rust' | 'kotlin' | 'php' | 'ruby';

/** One file's tokens. Index `i` of every array describes token `i`. */
export interface LexedFile {
  readonly language: LanguageId;
  /** The text the offsets refer to. */
  readonly text: string;
  readonly count: number;
  readonly kinds: Uint8Array;
  /** UTF-16 offset of the token's first character. */
  readonly starts: Uint32Array;
  /** UTF-16 offset just after the token's last character. */
  readonly ends: Uint32Array;
  /** 1-based line of the token's first character. */
  readonly lines: Uint32Array;
  /** 0-based UTF-16 column of the token's first character. */
  readonly columns: Uint32Array;
  /** 1-based line of the token's last character (differs from `lines` for multi-line strings). */
  readonly endLines: Uint32Array;
  /** Number of lines in the file (a trailing newline does not start a new line). */
  readonly lineCount: number;
}

/**
 * Collects tokens into growable typed arrays. Lexers call `push` once per token, in order; the
 * arrays double when full, so lexing stays linear and allocation-light.
 */
export class TokenBuilder {
  private kinds: Uint8Array;
  private starts: Uint32Array;
  private ends: Uint32Array;
  private lines: Uint32Array;
  private columns: Uint32Array;
  private endLines: Uint32Array;
  private count = 0;

  constructor(expected = 1024) {
    const capacity = Math.max(16, expected);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.columns = new Uint32Array(capacity);
    this.endLines = new Uint32Array(capacity);
  }

  push(kind: TokenKind, start: number, end: number, line: number, column: number, endLine: number): void {
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    this.columns[i] = column;
    this.endLines[i] = endLine;
  }

  /** Kind of the most recent token, or 0 when there is none (lexers use it for context, e.g. regex vs division). */
  lastKind(): number {
    return this.count === 0 ? 0 : (this.kinds[this.count - 1] as number);
  }

  /** Offset range of the most recent token, or undefined when there is none. */
  last(): { start: number; end: number } | undefined {
    if (this.count === 0) return undefined;
    return { start: this.starts[this.count - 1] as number, end: this.ends[this.count - 1] as number };
  }

  finish(language: LanguageId, text: string, lineCount: number): LexedFile {
    const n = this.count;
    return {
      language,
      text,
      count: n,
      kinds: this.kinds.slice(0, n),
      starts: this.starts.slice(0, n),
      ends: this.ends.slice(0, n),
      lines: this.lines.slice(0, n),
      columns: this.columns.slice(0, n),
      endLines: this.endLines.slice(0, n),
      lineCount,
    };
  }

  private grow(): void {
    const capacity = this.kinds.length * 2;
    const grown = <T extends Uint8Array | Uint32Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.kinds = grown(this.kinds, (n) => new Uint8Array(n));
    this.starts = grown(this.starts, (n) => new Uint32Array(n));
    this.ends = grown(this.ends, (n) => new Uint32Array(n));
    this.lines = grown(this.lines, (n) => new Uint32Array(n));
    this.columns = grown(this.columns, (n) => new Uint32Array(n));
    this.endLines = grown(this.endLines, (n) => new Uint32Array(n));
  }
}
