/**
 * Character classes shared by every lexer. ASCII is classified through a 128-entry table per
 * language (languages differ only in a few characters such as `$`); everything above ASCII is
 * classified by one cheap range test instead of Unicode's ID_Start/ID_Continue tables.
 */

/** Bit set on ASCII codes that may start an identifier. */
export const IDENTIFIER_START = 1;
/** Bit set on ASCII codes that may continue an identifier. */
export const IDENTIFIER_PART = 2;

/**
 * The identifier table for a language: letters, digits (part only) and `_`, plus `extraChars`
 * (e.g. `$` for JavaScript and Java) as both start and part.
 */
export function identifierTable(extraChars = ''): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (letter) table[c] = IDENTIFIER_START | IDENTIFIER_PART;
    else if (c >= 48 && c <= 57) table[c] = IDENTIFIER_PART;
  }
  for (let i = 0; i < extraChars.length; i++) table[extraChars.charCodeAt(i)] = IDENTIFIER_START | IDENTIFIER_PART;
  return table;
}

/**
 * Whether a code unit at or above U+0080 belongs to an identifier. Every non-ASCII letter, digit,
 * mark, symbol and surrogate half does; only the C1 controls and the Unicode spaces don't. Real
 * code uses non-ASCII punctuation only inside strings and comments, so this one range test is as
 * good as the Unicode tables and far cheaper. Returns false for NaN (reading past the end).
 */
export function isWideIdentifierChar(c: number): boolean {
  if (!(c > 0xa0)) return false;
  if (c < 0x1680) return true;
  return !(
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Whether `c` may start an identifier under `table` (false for NaN). */
export function isIdentifierStart(table: Uint8Array, c: number): boolean {
  return c < 128 ? (table[c]! & IDENTIFIER_START) !== 0 : isWideIdentifierChar(c);
}

/** Whether `c` may continue an identifier under `table` (false for NaN). */
export function isIdentifierPart(table: Uint8Array, c: number): boolean {
  return c < 128 ? (table[c]! & IDENTIFIER_PART) !== 0 : isWideIdentifierChar(c);
}

/** Offset just after the identifier characters that start at `pos`. */
export function identifierEnd(text: string, pos: number, end: number, table: Uint8Array): number {
  let p = pos;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c < 128) {
      if ((table[c]! & IDENTIFIER_PART) === 0) break;
    } else if (!isWideIdentifierChar(c)) break;
    p++;
  }
  return p;
}

/** Whether `c` is an ASCII decimal digit (false for NaN). */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether `c` ends a line: LF or CR (a CR LF pair is one break; `Scanner.breakLine` consumes both). */
export function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}
