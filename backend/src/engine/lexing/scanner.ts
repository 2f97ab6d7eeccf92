import { TokenBuilder, type LanguageId, type LexedFile, type TokenKind } from './tokens.js';

/**
 * The cursor every lexer walks its text with: the read position, the current line and where it
 * starts (columns are offsets from it), and the tokens emitted so far. It also holds the scanning
 * primitives every family shares: line breaks, comments and quoted literals.
 *
 * Lexers read `text.charCodeAt` directly and copy `pos` into a local inside tight loops; every
 * loop here advances `pos` on each iteration, so lexing is linear in the length of the text.
 */
export class Scanner {
  readonly text: string;
  readonly end: number;
  /** Offset of the next unread character. */
  pos: number;
  /** 1-based line of `pos`. */
  line = 1;
  /** Offset where the current line starts. A leading BOM is part of no column: line 1 starts after it. */
  lineStart: number;
  readonly tokens: TokenBuilder;

  constructor(text: string) {
    this.text = text;
    this.end = text.length;
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.pos = bom;
    this.lineStart = bom;
    // About one token per eight characters in real code; the builder doubles when that is short.
    this.tokens = new TokenBuilder(text.length >>> 3);
  }

  /** Steps over the line break at `pos`: LF, lone CR, or CR LF as one break. */
  breakLine(): void {
    const pos = this.pos;
    this.pos = this.text.charCodeAt(pos) === 13 && this.text.charCodeAt(pos + 1) === 10 ? pos + 2 : pos + 1;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Emits a token from `start` to `pos` that starts on the current line and does not cross a line break. */
  emit(kind: TokenKind, start: number): void {
    const line = this.line;
    this.tokens.push(kind, start, this.pos, line, start - this.lineStart, line);
  }

  /**
   * Emits a token from `start` to `pos` that started at `line`/`column` and may span lines. A
   * token that ends with a line break (an unterminated literal at the end of the text) ends on
   * the line that break belongs to.
   */
  emitSpan(kind: TokenKind, start: number, line: number, column: number): void {
    const endLine = this.pos === this.lineStart && this.line > line ? this.line - 1 : this.line;
    this.tokens.push(kind, start, this.pos, line, column, endLine);
  }

  /** Moves `pos` to the next line break (left unread) or the end of the text. */
  skipToLineEnd(): void {
    const text = this.text;
    const end = this.end;
    let p = this.pos;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 10 || c === 13) break;
      p++;
    }
    this.pos = p;
  }

  /** Moves `pos` past the spaces and tabs at `pos`, staying on the line. */
  skipBlanks(): void {
    const text = this.text;
    let p = this.pos;
    for (let c = text.charCodeAt(p); c === 32 || c === 9; c = text.charCodeAt(++p));
    this.pos = p;
  }

  /**
   * Skips a `/* ... *\/` comment with `pos` on its `/`. With `nests` (Rust, Kotlin, Swift) inner
   * openers must be closed too. An unterminated comment runs to the end of the text.
   */
  skipBlockComment(nests: boolean): void {
    const text = this.text;
    const end = this.end;
    let p = this.pos + 2;
    let depth = 1;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 42 && text.charCodeAt(p + 1) === 47) {
        p += 2;
        if (--depth === 0) break;
      } else if (c === 47 && nests && text.charCodeAt(p + 1) === 42) {
        p += 2;
        depth++;
      } else if (c === 10 || c === 13) {
        this.pos = p;
        this.breakLine();
        p = this.pos;
      } else p++;
    }
    this.pos = p;
  }

  /**
   * Scans the rest of a quoted literal with `pos` just after its opening quote: a backslash
   * escapes the next character (a line break too). Without `multiline` an unescaped line break
   * ends the literal, unterminated, before the break; otherwise the end of the text does.
   */
  scanQuoted(quote: number, multiline: boolean): void {
    const text = this.text;
    const end = this.end;
    let p = this.pos;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === quote) {
        this.pos = p + 1;
        return;
      }
      if (c === 92) {
        const next = text.charCodeAt(p + 1);
        if (next === 10 || next === 13) {
          this.pos = p + 1;
          this.breakLine();
          p = this.pos;
        } else p += 2;
      } else if (c === 10 || c === 13) {
        if (!multiline) break;
        this.pos = p;
        this.breakLine();
        p = this.pos;
      } else p++;
    }
    this.pos = p > end ? end : p;
  }

  /**
   * Scans the rest of a literal without escapes (Go raw strings, JSX attributes) with `pos` just
   * after its opening quote; it may span lines and runs to the end of the text if unterminated.
   */
  scanVerbatim(quote: number): void {
    const text = this.text;
    const end = this.end;
    let p = this.pos;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === quote) {
        this.pos = p + 1;
        return;
      }
      if (c === 10 || c === 13) {
        this.pos = p;
        this.breakLine();
        p = this.pos;
      } else p++;
    }
    this.pos = p;
  }

  /** Walks the rest of the text counting lines (for text no token comes from, e.g. after Ruby's `__END__`). */
  skipRest(): void {
    while (this.pos < this.end) {
      this.skipToLineEnd();
      if (this.pos < this.end) this.breakLine();
    }
  }

  /**
   * The lexed file. `lineCount` counts lines the way editors do, except that a trailing line
   * break does not open a new line: "" has 0 lines, "a" and "a\n" have 1, "a\nb" has 2.
   */
  finish(language: LanguageId): LexedFile {
    this.skipRest();
    const lineCount = this.lineStart >= this.end ? this.line - 1 : this.line;
    return this.tokens.finish(language, this.text, lineCount);
  }
}
