import { IDENTIFIER_PART, IDENTIFIER_START, identifierEnd, identifierTable, isWideIdentifierChar } from './character-classes.js';
import { KeywordTable, SOFT, keywordKind, words } from './keyword-table.js';
import { scanNumber, type NumberSyntax } from './number-scanner.js';
import { OperatorTable } from './operator-table.js';
import { Scanner } from './scanner.js';
import { HoleOpener, scanStringLiteral, type StringSyntax } from './string-literal-scanner.js';
import { TokenKind, type LexedFile } from './tokens.js';

const IDENTIFIERS = identifierTable('');
const NUMBERS: NumberSyntax = { dotNeedsDigit: false, apostropheSeparators: false };
const OPERATORS = new OperatorTable(words('**= //= >>= <<= ... ** // >> << <= >= == != <> -> := += -= *= /= %= @= &= |= ^='));
const KEYWORDS = new KeywordTable({
  keywords: words(`and as assert async await break class continue def del elif else except finally for from global if
    import in is lambda nonlocal not or pass raise return try while with yield`),
  values: words('False None True'),
  soft: words('match case type'),
});

const TRIPLE: StringSyntax = { hole: HoleOpener.None, escapes: true, doubledQuotes: false, multiline: true };
const F_STRING: StringSyntax = { hole: HoleOpener.Brace, escapes: true, doubledQuotes: false, multiline: false };
const F_TRIPLE: StringSyntax = { hole: HoleOpener.Brace, escapes: true, doubledQuotes: false, multiline: true };

/**
 * Lexes Python. Strings with any prefix (`r`, `b`, `u`, `f`, `t` and their two-letter mixes, any
 * case) are one String token each, f-strings included; `//` is floor division, `#` starts a
 * comment, a backslash before a line break joins lines. Indentation is not tokenized: columns
 * carry it.
 */
export function lexPython(text: string): LexedFile {
  const s = new Scanner(text);
  const end = s.end;
  while (s.pos < end) {
    const start = s.pos;
    const c = text.charCodeAt(start);
    switch (c) {
      case 32:
      case 9:
      case 11:
      case 12:
        s.pos = start + 1;
        continue;
      case 10:
      case 13:
        s.breakLine();
        continue;
      case 35:
        s.skipToLineEnd();
        continue;
      case 92: {
        const next = text.charCodeAt(start + 1);
        if (next === 10 || next === 13) {
          s.pos = start + 1;
          s.breakLine();
        } else punctuation(s, start, 1);
        continue;
      }
      case 34:
      case 39:
        scanString(s, start, start, false);
        continue;
      case 46: {
        const next = text.charCodeAt(start + 1);
        if (next >= 48 && next <= 57) number(s, start);
        else punctuation(s, start, OPERATORS.match(text, start));
        continue;
      }
      default:
        if (c < 128) {
          const flags = IDENTIFIERS[c]!;
          if ((flags & IDENTIFIER_START) !== 0) word(s, start);
          else if ((flags & IDENTIFIER_PART) !== 0) number(s, start);
          else if (c < 32 || c === 127) s.pos = start + 1;
          else punctuation(s, start, OPERATORS.match(text, start));
        } else if (isWideIdentifierChar(c)) word(s, start);
        else s.pos = start + 1;
    }
  }
  return s.finish('python');
}

function punctuation(s: Scanner, start: number, length: number): void {
  s.pos = start + length;
  s.emit(TokenKind.Punctuation, start);
}

function number(s: Scanner, start: number): void {
  scanNumber(s, NUMBERS);
  s.emit(TokenKind.Number, start);
}

/** Emits a name or keyword, or a prefixed string when the word is a string prefix followed by a quote. */
function word(s: Scanner, start: number): void {
  const text = s.text;
  const end = identifierEnd(text, start + 1, s.end, IDENTIFIERS);
  const next = text.charCodeAt(end);
  if (next === 34 || next === 39) {
    const prefix = stringPrefix(text, start, end);
    if (prefix !== 0) {
      scanString(s, start, end, prefix === INTERPOLATED);
      return;
    }
  }
  s.pos = end;
  const entry = KEYWORDS.lookup(text, start, end);
  let kind = keywordKind(entry, text, end, IDENTIFIERS);
  // `match` and `case` are keywords only as the first word of a line that opens a block
  // (`match cmd:`, `case [x, y]: ...`), and `type` only first on its line and before a name
  // (`type Alias = int`); elsewhere they are names (`re.match(x)`, `case = 1`).
  if ((entry & SOFT) !== 0) {
    const isType = text.charCodeAt(start) === 116;
    const applies = isFirstOnLine(s, start) && (isType ? kind === TokenKind.Keyword : opensBlock(text, end));
    kind = applies ? TokenKind.Keyword : TokenKind.Identifier;
  }
  s.emit(kind, start);
}

const PLAIN = 1;
const INTERPOLATED = 2;

/** PLAIN or INTERPOLATED if `text[start, end)` is a string prefix (r, b, u, f, t, rb, br, fr, rf, tr, rt; any case), else 0. */
function stringPrefix(text: string, start: number, end: number): number {
  const length = end - start;
  if (length > 2) return 0;
  let raw = 0;
  let other = 0;
  let interpolated = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c === 114) raw++;
    else if (c === 98 || c === 117 || c === 102 || c === 116) {
      other++;
      interpolated ||= c === 102 || c === 116;
    } else return 0;
  }
  const unicodePair = length === 2 && ((text.charCodeAt(start) | 32) === 117 || (text.charCodeAt(start + 1) | 32) === 117);
  if (raw > 1 || other > 1 || unicodePair) return 0;
  return interpolated ? INTERPOLATED : PLAIN;
}

/** Scans a string whose quote is at `quote` (its prefix, if any, starts at `start`) and emits it. */
function scanString(s: Scanner, start: number, quote: number, interpolated: boolean): void {
  const text = s.text;
  const q = text.charCodeAt(quote);
  const line = s.line;
  const column = start - s.lineStart;
  if (text.charCodeAt(quote + 1) === q && text.charCodeAt(quote + 2) === q) {
    s.pos = quote + 3;
    scanStringLiteral(s, q, 3, interpolated ? F_TRIPLE : TRIPLE);
  } else {
    s.pos = quote + 1;
    if (interpolated) scanStringLiteral(s, q, 1, F_STRING);
    else s.scanQuoted(q, false);
  }
  s.emitSpan(TokenKind.String, start, line, column);
}

function isFirstOnLine(s: Scanner, pos: number): boolean {
  for (let p = pos - 1; p >= s.lineStart; p--) {
    const c = s.text.charCodeAt(p);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Whether the rest of the line, up to a `#`, has a `:` outside brackets before any assignment
 * `=` there: `match point:` and `case {"k": v}: ...` do, `match = lambda x: x` does not. The scan
 * runs only for the first word of a line, so it stays linear.
 */
function opensBlock(text: string, from: number): boolean {
  let depth = 0;
  for (let p = from; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === 10 || c === 13 || c === 35) return false;
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth--;
    else if (depth === 0 && c === 58) return text.charCodeAt(p + 1) !== 61;
    else if (depth === 0 && c === 61) {
      const before = text.charCodeAt(p - 1);
      const comparison = text.charCodeAt(p + 1) === 61 || before === 61 || before === 33 || before === 60 || before === 62;
      if (!comparison) return false;
    }
  }
  return false;
}
