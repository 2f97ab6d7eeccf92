import { identifierEnd, isIdentifierStart } from './character-classes.js';
import { StringStyle, type CFamilySyntax } from './c-family-languages.js';
import type { Scanner } from './scanner.js';
import { HoleOpener, scanStringLiteral, type StringSyntax } from './string-literal-scanner.js';
import { TokenKind } from './tokens.js';

/** The character a C-family literal (or directive) starts with, as the lexer dispatches it. */
export const LiteralForm = {
  DoubleQuote: 1,
  SingleQuote: 2,
  Backquote: 3,
  /** A `#` first on its line in C, C++ and C#. */
  Directive: 4,
  /** A C# `$` or `@`: interpolated or verbatim string, or verbatim identifier. */
  CSharpSigil: 5,
} as const;
export type LiteralForm = (typeof LiteralForm)[keyof typeof LiteralForm];

const TEXT_BLOCK: StringSyntax = { hole: HoleOpener.None, escapes: true, doubledQuotes: false, multiline: true };
const RAW: StringSyntax = { hole: HoleOpener.None, escapes: false, doubledQuotes: false, multiline: true };
const KOTLIN: StringSyntax = { hole: HoleOpener.DollarBrace, escapes: true, doubledQuotes: false, multiline: false };
const KOTLIN_RAW: StringSyntax = { hole: HoleOpener.DollarBrace, escapes: false, doubledQuotes: false, multiline: true };

/** Scans the literal of `form` at `pos` and returns the kind of token it makes. */
export function scanLiteral(s: Scanner, syntax: CFamilySyntax, form: LiteralForm): TokenKind {
  const start = s.pos;
  switch (form) {
    case LiteralForm.DoubleQuote:
      scanDoubleQuoted(s, syntax.strings);
      return TokenKind.String;
    case LiteralForm.SingleQuote:
      if (syntax.strings === StringStyle.Rust) return scanRustQuote(s, syntax.identifiers);
      s.pos = start + 1;
      s.scanQuoted(39, false);
      return TokenKind.String;
    case LiteralForm.Backquote:
      s.pos = start + 1;
      if (syntax.backquoteStrings) {
        s.scanVerbatim(96);
        return TokenKind.String;
      }
      s.scanQuoted(96, false);
      return TokenKind.Identifier;
    case LiteralForm.Directive:
      scanDirective(s);
      return TokenKind.Directive;
    default:
      return scanCSharpSigil(s, syntax.identifiers);
  }
}

/** Scans a `"` string in the language's style, with `pos` on the quote. */
function scanDoubleQuoted(s: Scanner, style: StringStyle): void {
  const text = s.text;
  const start = s.pos;
  const triple = text.charCodeAt(start + 1) === 34 && text.charCodeAt(start + 2) === 34;
  if (triple && (style === StringStyle.TextBlock || style === StringStyle.Kotlin)) {
    s.pos = start + 3;
    scanStringLiteral(s, 34, 3, style === StringStyle.Kotlin ? KOTLIN_RAW : TEXT_BLOCK);
  } else if (triple && style === StringStyle.CSharp) {
    const quotes = runLength(text, start, 34);
    s.pos = start + quotes;
    scanStringLiteral(s, 34, quotes, RAW);
  } else if (style === StringStyle.Kotlin) {
    s.pos = start + 1;
    scanStringLiteral(s, 34, 1, KOTLIN);
  } else {
    s.pos = start + 1;
    s.scanQuoted(34, style === StringStyle.Rust);
  }
}

/**
 * Scans a Rust `'`, with `pos` on it: a char literal (`'a'`, `'\n'`, `'\u{1F600}'`, `'😀'`) is a
 * String; otherwise `'a` in `<'a>` or `'outer: loop` is a lifetime or label, an Identifier.
 */
function scanRustQuote(s: Scanner, identifiers: Uint8Array): TokenKind {
  const text = s.text;
  const start = s.pos;
  const next = text.charCodeAt(start + 1);
  if (next === 92) {
    s.pos = start + 1;
    s.scanQuoted(39, false);
    return TokenKind.String;
  }
  const surrogatePair = next >= 0xd800 && next <= 0xdbff && text.charCodeAt(start + 2) >= 0xdc00 && text.charCodeAt(start + 2) <= 0xdfff;
  const width = surrogatePair ? 2 : 1;
  if (next !== 10 && next !== 13 && text.charCodeAt(start + 1 + width) === 39) {
    s.pos = start + 2 + width;
    return TokenKind.String;
  }
  if (isIdentifierStart(identifiers, next)) {
    s.pos = identifierEnd(text, start + 2, s.end, identifiers);
    return TokenKind.Identifier;
  }
  s.pos = start + 1;
  return TokenKind.Punctuation;
}

/**
 * Scans a preprocessor line with `pos` on its `#`: to the end of the line, across `\`
 * continuations, stopping before a `//` or `/*` comment (outside quotes) and before trailing
 * blanks, so the directive's text is exactly the directive.
 */
function scanDirective(s: Scanner): void {
  const text = s.text;
  const end = s.end;
  let p = s.pos + 1;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === 92 && (text.charCodeAt(p + 1) === 10 || text.charCodeAt(p + 1) === 13)) {
      s.pos = p + 1;
      s.breakLine();
      p = s.pos;
    } else if (c === 10 || c === 13) break;
    else if (c === 47 && (text.charCodeAt(p + 1) === 47 || text.charCodeAt(p + 1) === 42)) break;
    else if (c === 34) {
      s.pos = p + 1;
      s.scanQuoted(34, false);
      p = s.pos;
    } else p++;
  }
  while (p > s.lineStart && (text.charCodeAt(p - 1) === 32 || text.charCodeAt(p - 1) === 9)) p--;
  s.pos = p;
}

/**
 * Scans what a C# `$` or `@` starts, with `pos` on it: `$"..."` and `$@"..."`/`@$"..."`
 * interpolated strings, `@"..."` verbatim strings (doubled quotes, multi-line), `$"""..."""`
 * raw strings, or an `@class` verbatim identifier. A lone sigil is punctuation.
 */
function scanCSharpSigil(s: Scanner, identifiers: Uint8Array): TokenKind {
  const text = s.text;
  const start = s.pos;
  let p = start;
  let dollars = 0;
  let verbatim = false;
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 36) dollars++;
    else if (c === 64 && !verbatim) verbatim = true;
    else break;
    p++;
  }
  if (text.charCodeAt(p) === 34) {
    const quotes = verbatim ? 1 : runLength(text, p, 34);
    if (quotes >= 3) {
      s.pos = p + quotes;
      scanStringLiteral(s, 34, quotes, RAW);
    } else {
      s.pos = p + 1;
      const hole = dollars > 0 ? HoleOpener.Brace : HoleOpener.None;
      scanStringLiteral(s, 34, 1, { hole, escapes: !verbatim, doubledQuotes: verbatim, multiline: verbatim });
    }
    return TokenKind.String;
  }
  if (p === start + 1 && verbatim && isIdentifierStart(identifiers, text.charCodeAt(p))) {
    s.pos = identifierEnd(text, p + 1, s.end, identifiers);
    return TokenKind.Identifier;
  }
  s.pos = start + 1;
  return TokenKind.Punctuation;
}

/**
 * Scans a literal whose prefix is the word `text[start, wordEnd)` if it is one: C/C++ `L"x"`,
 * `u8'x'`, raw `R"d(x)d"`; Rust `b"x"`, `b'x'`, `c"x"`, raw `r#"x"#`, and raw identifiers
 * `r#type`. Returns the token kind with `pos` at the literal's end, or 0 (nothing consumed).
 */
export function scanPrefixedLiteral(s: Scanner, syntax: CFamilySyntax, start: number, wordEnd: number): TokenKind | 0 {
  const text = s.text;
  const next = text.charCodeAt(wordEnd);
  const is = (word: string): boolean => wordEnd - start === word.length && text.startsWith(word, start);
  if (syntax.strings === StringStyle.Rust) {
    const raw = is('r') || is('br') || is('cr');
    if (raw && (next === 34 || next === 35)) {
      if (next === 35 && is('r') && isIdentifierStart(syntax.identifiers, text.charCodeAt(wordEnd + 1))) {
        s.pos = identifierEnd(text, wordEnd + 2, s.end, syntax.identifiers);
        return TokenKind.Identifier;
      }
      return scanRustRawString(s, wordEnd) ? TokenKind.String : 0;
    }
    if ((is('b') && (next === 34 || next === 39)) || (is('c') && next === 34)) {
      s.pos = wordEnd + 1;
      s.scanQuoted(next, next === 34);
      return TokenKind.String;
    }
    return 0;
  }
  if (next === 35) return 0;
  if (is('L') || is('u') || is('U') || is('u8')) {
    s.pos = wordEnd + 1;
    s.scanQuoted(next, false);
    return TokenKind.String;
  }
  if (next === 34 && (is('R') || is('LR') || is('uR') || is('UR') || is('u8R'))) {
    scanCppRawString(s, wordEnd);
    return TokenKind.String;
  }
  return 0;
}

/** Scans `#`* `"` ... `"` `#`* (same count) with `p` after the `r`; false if no quote follows the hashes. */
function scanRustRawString(s: Scanner, from: number): boolean {
  const text = s.text;
  const hashes = runLength(text, from, 35);
  if (text.charCodeAt(from + hashes) !== 34) return false;
  s.pos = from + hashes + 1;
  while (s.pos < s.end) {
    const p = s.pos;
    const c = text.charCodeAt(p);
    if (c === 34 && runLength(text, p + 1, 35) >= hashes) {
      s.pos = p + 1 + hashes;
      return true;
    }
    if (c === 10 || c === 13) s.breakLine();
    else s.pos = p + 1;
  }
  return true;
}

/**
 * Scans a C++ raw string `R"delim( ... )delim"` with `from` on the opening quote. A malformed
 * delimiter (over 16 characters, or a space, backslash or line break in it) makes it an ordinary
 * string, as compilers recover.
 */
function scanCppRawString(s: Scanner, from: number): void {
  const text = s.text;
  const end = s.end;
  let open = from + 1;
  while (open < end && open - from <= 17) {
    const c = text.charCodeAt(open);
    if (c === 40 || c === 41 || c === 92 || c === 32 || c === 9 || c === 10 || c === 13 || c === 34) break;
    open++;
  }
  if (text.charCodeAt(open) !== 40 || open - from > 17) {
    s.pos = from + 1;
    s.scanQuoted(34, false);
    return;
  }
  const delimiter = text.slice(from + 1, open);
  s.pos = open + 1;
  while (s.pos < end) {
    const p = s.pos;
    const c = text.charCodeAt(p);
    if (c === 41 && text.startsWith(delimiter, p + 1) && text.charCodeAt(p + 1 + delimiter.length) === 34) {
      s.pos = p + 2 + delimiter.length;
      return;
    }
    if (c === 10 || c === 13) s.breakLine();
    else s.pos = p + 1;
  }
}

/** Number of consecutive `code` characters from `pos`. */
function runLength(text: string, pos: number, code: number): number {
  let p = pos;
  while (text.charCodeAt(p) === code) p++;
  return p - pos;
}
