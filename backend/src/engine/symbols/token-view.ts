import { TokenKind, type LexedFile } from '../lexing/tokens.js';
import type { ImportInfo, SymbolInfo, SymbolKind } from './symbol-types.js';

/** A symbol while its file is being read: extractors widen ranges and fix `exported` after the fact. */
export type DraftSymbol = { -readonly [K in keyof SymbolInfo]: SymbolInfo[K] };

const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Deepest nesting of bodies read for declarations; real code stays far below it. */
export const MAX_NESTING = 200;

/**
 * Read access to one lexed file for the extractors, plus the collected symbols and imports.
 * Extractors work on token indexes; `close[i]` pairs every bracket with its partner, so a whole
 * `(...)`, `[...]` or `{...}` group is skipped in one step.
 */
export class TokenView {
  readonly count: number;
  /** For an opening bracket, the index of its closing partner (the last token when unclosed); -1 elsewhere. */
  readonly close: Int32Array;
  readonly symbols: DraftSymbol[] = [];
  readonly imports: ImportInfo[] = [];
  private depth = 0;

  constructor(readonly file: LexedFile) {
    this.count = file.count;
    this.close = pairBrackets(file);
  }

  /**
   * Runs `read` one nesting level deeper (a namespace, class or module body), unless
   * `MAX_NESTING` levels are open already: then the nested declarations are skipped, so that
   * pathological input cannot exhaust the call stack.
   */
  nested(read: () => void): void {
    if (this.depth >= MAX_NESTING) return;
    this.depth++;
    read();
    this.depth--;
  }

  /** The token's text. */
  text(i: number): string {
    return this.file.text.slice(this.file.starts[i], this.file.ends[i]);
  }

  /** Whether token `i` exists and spells exactly `word` (any kind but String, Number and Regex). */
  is(i: number, word: string): boolean {
    if (i < 0 || i >= this.count) return false;
    const f = this.file;
    const start = f.starts[i]!;
    if (f.ends[i]! - start !== word.length) return false;
    const kind = f.kinds[i];
    if (kind === TokenKind.String || kind === TokenKind.Number || kind === TokenKind.Regex) return false;
    return f.text.startsWith(word, start);
  }

  /** Whether token `i` is a single-character punctuation token with char code `code`. */
  isChar(i: number, code: number): boolean {
    if (i < 0 || i >= this.count) return false;
    const f = this.file;
    return f.kinds[i] === TokenKind.Punctuation && f.ends[i]! - f.starts[i]! === 1 && f.text.charCodeAt(f.starts[i]!) === code;
  }

  /** Whether token `i` is a name-like word: an identifier, a keyword or a builtin type. */
  isWord(i: number): boolean {
    if (i < 0 || i >= this.count) return false;
    const kind = this.file.kinds[i];
    return kind === TokenKind.Identifier || kind === TokenKind.Keyword || kind === TokenKind.BuiltinType;
  }

  /** Whether token `i` is an identifier (not a reserved word). */
  isIdentifier(i: number): boolean {
    return i >= 0 && i < this.count && this.file.kinds[i] === TokenKind.Identifier;
  }

  kind(i: number): number {
    return i >= 0 && i < this.count ? this.file.kinds[i]! : 0;
  }

  line(i: number): number {
    return this.file.lines[Math.min(Math.max(i, 0), this.count - 1)] ?? 1;
  }

  endLine(i: number): number {
    return this.file.endLines[Math.min(Math.max(i, 0), this.count - 1)] ?? 1;
  }

  column(i: number): number {
    return this.file.columns[i] ?? 0;
  }

  /** Whether token `i` is immediately followed by token `i + 1`, with no space between them. */
  touches(i: number): boolean {
    return i + 1 < this.count && this.file.ends[i] === this.file.starts[i + 1];
  }

  /** Whether token `i` opens a bracket group: `(`, `[` or `{`. */
  opens(i: number): boolean {
    return this.close[i]! >= 0;
  }

  /** The index just past token `i`, or past its whole group when it opens one. */
  step(i: number): number {
    const partner = this.close[i] ?? -1;
    return partner >= 0 ? partner + 1 : i + 1;
  }

  /**
   * The index of the first token at or after `from` and before `to` that is a single-character
   * punctuation with one of `codes`, at the same bracket depth (groups are skipped); -1 if none.
   */
  findAtDepth(from: number, to: number, ...codes: number[]): number {
    for (let i = from; i < to; i = this.step(i)) {
      if (codes.some((code) => this.isChar(i, code))) return i;
    }
    return -1;
  }

  /**
   * The index just past a `<...>` group starting at `i` (a `<`), counting `>>` as two closers and
   * stepping over bracket groups inside (`Component<{ a: string }>`); `i` if no `<` is there. A
   * `;` or an unmatched closing bracket ends the search where it stands.
   */
  skipAngles(i: number, limit = this.count): number {
    if (!this.isChar(i, 60)) return i;
    let depth = 0;
    for (let j = i; j < limit; j++) {
      const text = this.kind(j) === TokenKind.Punctuation ? this.text(j) : '';
      if (text === '<') depth++;
      else if (text === '>' || text === '>>' || text === '>>>') {
        depth -= text.length;
        if (depth <= 0) return j + 1;
      } else if (text === ';' || text === '}' || text === ')' || text === ']') return j;
      if (this.opens(j)) j = this.close[j]!;
    }
    return limit;
  }

  /** Adds a symbol spanning tokens `first`..`last`. */
  add(name: string, kind: SymbolKind, first: number, last: number, exported: boolean, container?: string): DraftSymbol {
    const symbol: DraftSymbol = {
      name,
      kind,
      startLine: this.line(first),
      endLine: Math.max(this.endLine(last), this.line(first)),
      startColumn: this.column(first),
      exported,
      ...(container === undefined ? {} : { container }),
    };
    this.symbols.push(symbol);
    return symbol;
  }

  addImport(module: string, names: string[], at: number): void {
    this.imports.push({ module, names, line: this.line(at) });
  }

  /** The value of a string literal token without its quotes (prefixes such as `r`, `b`, `@` dropped). */
  stringValue(i: number): string {
    const raw = this.text(i);
    const quote = raw.search(/["'`]/);
    if (quote < 0) return raw;
    const q = raw[quote]!;
    let body = raw.slice(quote);
    const run = /^("""|'''|"|'|`)/.exec(body)?.[1] ?? q;
    body = body.slice(run.length);
    return body.endsWith(run) ? body.slice(0, body.length - run.length) : body;
  }
}

/** Pairs brackets with a stack; a closer with no opener is ignored, openers left at the end close at the last token. */
function pairBrackets(file: LexedFile): Int32Array {
  const close = new Int32Array(file.count).fill(-1);
  const stack: number[] = [];
  const text = file.text;
  for (let i = 0; i < file.count; i++) {
    if (file.kinds[i] !== TokenKind.Punctuation || file.ends[i]! - file.starts[i]! !== 1) continue;
    const c = text.charCodeAt(file.starts[i]!);
    if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) stack.push(i);
    else if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      const opener = c === CLOSE_PAREN ? OPEN_PAREN : c === CLOSE_BRACKET ? OPEN_BRACKET : OPEN_BRACE;
      let depth = stack.length - 1;
      while (depth >= 0 && text.charCodeAt(file.starts[stack[depth]!]!) !== opener) depth--;
      if (depth < 0) continue;
      // Openers above the partner were never closed: they end where their enclosing group ends.
      while (stack.length > depth + 1) close[stack.pop()!] = i - 1 >= 0 ? i - 1 : i;
      close[stack.pop()!] = i;
    }
  }
  while (stack.length > 0) close[stack.pop()!] = file.count - 1;
  return close;
}

/** A set of the space-separated words in `list` (keyword and operator tables read best as one string). */
export function wordSet(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter((word) => word.length > 0));
}

/** Char codes extractors compare punctuation with. */
export const Char = {
  openParen: OPEN_PAREN,
  closeParen: CLOSE_PAREN,
  openBracket: OPEN_BRACKET,
  closeBracket: CLOSE_BRACKET,
  openBrace: OPEN_BRACE,
  closeBrace: CLOSE_BRACE,
  semicolon: 59,
  comma: 44,
  colon: 58,
  equals: 61,
  dot: 46,
  less: 60,
  greater: 62,
  star: 42,
  at: 64,
  hash: 35,
  question: 63,
  bang: 33,
  ampersand: 38,
  pipe: 124,
  tilde: 126,
  backslash: 92,
} as const;
