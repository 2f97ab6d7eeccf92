import { isLineBreak } from './character-classes.js';
import type { Scanner } from './scanner.js';

/** How an interpolation hole opens inside a string literal. */
export const HoleOpener = {
  /** The literal has no holes (Java text blocks, Python triple-quoted strings, C# raw strings). */
  None: 0,
  /** `{expr}`, with `{{` standing for a literal brace (C# `$"..."`, Python f-strings). */
  Brace: 1,
  /** `${expr}` (Kotlin). */
  DollarBrace: 2,
  /** `#{expr}` (Ruby). */
  HashBrace: 3,
  /** `{$expr}` or `${expr}` (PHP). */
  Php: 4,
} as const;
export type HoleOpener = (typeof HoleOpener)[keyof typeof HoleOpener];

/** The rules of one kind of string literal. */
export interface StringSyntax {
  readonly hole: HoleOpener;
  /** Whether a backslash escapes the next character outside holes. */
  readonly escapes: boolean;
  /** Whether a doubled quote stands for one quote character (C# verbatim `@$"..."`). */
  readonly doubledQuotes: boolean;
  /** Whether the literal may span lines; if not, a line break outside a hole ends it, unterminated. */
  readonly multiline: boolean;
}

/**
 * Scans a string literal, interpolated or not, as ONE token, with `pos` just after its opening
 * quote(s). (Plain single-quote strings take `Scanner.scanQuoted`, which is faster.) The
 * literal ends at `quoteCount` quotes (1, or 3 and more for triple-quoted and raw strings; a
 * longer run of quotes is consumed whole). Inside a hole the scanner counts braces, so a `}` of a
 * nested block or hash does not end the hole, and skips nested quoted strings, so a quote or
 * brace inside them ends nothing. Nested strings are scanned as plain escaped strings: an
 * interpolation inside a hole's own string is not tracked.
 */
export function scanStringLiteral(s: Scanner, quote: number, quoteCount: number, syntax: StringSyntax): void {
  const text = s.text;
  const end = s.end;
  let depth = -1;
  while (s.pos < end) {
    const p = s.pos;
    const c = text.charCodeAt(p);
    if (c === 10 || c === 13) {
      // A single-line literal ends at the break even inside a hole: an unclosed `{` must not swallow the file.
      if (!syntax.multiline) return;
      s.breakLine();
    } else if (depth >= 0) {
      if (c === 123) depth++;
      else if (c === 125) depth--;
      if (c === 34 || c === 39 || c === 96) {
        s.pos = p + 1;
        s.scanQuoted(c, syntax.multiline);
      } else s.pos = c === 92 && !isLineBreak(text.charCodeAt(p + 1)) ? p + 2 : p + 1;
    } else if (c === quote) {
      if (quoteCount === 1) {
        if (syntax.doubledQuotes && text.charCodeAt(p + 1) === quote) s.pos = p + 2;
        else {
          s.pos = p + 1;
          return;
        }
      } else {
        let q = p;
        while (text.charCodeAt(q) === quote) q++;
        s.pos = q;
        if (q - p >= quoteCount) return;
      }
    } else if (c === 92 && syntax.escapes) {
      const next = text.charCodeAt(p + 1);
      if (next === 10 || next === 13) {
        s.pos = p + 1;
        s.breakLine();
      } else s.pos = p + 2;
    } else {
      const opened = holeLength(syntax.hole, c, text.charCodeAt(p + 1));
      if (opened > 0) depth = 0;
      s.pos = p + (opened > 0 ? opened : opened < 0 ? 2 : 1);
    }
  }
  if (s.pos > end) s.pos = end;
}

/**
 * How many characters of the hole opener at a character pair to consume (after them the scanner
 * is inside the hole at depth 0), -1 for an escaped brace pair, or 0 for none.
 */
function holeLength(hole: HoleOpener, c: number, next: number): number {
  switch (hole) {
    case HoleOpener.Brace:
      if (c === 123) return next === 123 ? -1 : 1;
      return c === 125 && next === 125 ? -1 : 0;
    case HoleOpener.DollarBrace:
      return c === 36 && next === 123 ? 2 : 0;
    case HoleOpener.HashBrace:
      return c === 35 && next === 123 ? 2 : 0;
    case HoleOpener.Php:
      if (c === 123 && next === 36) return 1;
      return c === 36 && next === 123 ? 2 : 0;
    default:
      return 0;
  }
}
