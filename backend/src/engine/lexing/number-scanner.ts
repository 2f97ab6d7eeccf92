import type { Scanner } from './scanner.js';

/** How a language spells numbers, as far as finding their end goes. */
export interface NumberSyntax {
  /**
   * Whether a `.` belongs to the number only when a digit follows. True where `1.method()` or
   * `1..2` is valid (JavaScript, C#, Kotlin, Rust, Ruby); false where `1.`, `1.f` and `1.e5` are
   * numbers (C, C++, Java, Go, Python, PHP), though `1..` still stops before the dots.
   */
  readonly dotNeedsDigit: boolean;
  /** Whether `'` separates digits (C++14 `1'000'000`). */
  readonly apostropheSeparators: boolean;
}

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/**
 * Scans a numeric literal with `pos` on its first digit (or on a `.` followed by a digit). One
 * loop covers every language: digits, letters and `_` (radix prefixes, hex digits, separators,
 * suffixes such as `n`, `L`, `f32`, `ULL`, `j`), one fraction dot, and a sign right after an
 * exponent letter (`e`, or `p` in a hex float). Malformed numbers still end somewhere sensible.
 */
export function scanNumber(s: Scanner, syntax: NumberSyntax): void {
  const text = s.text;
  const end = s.end;
  let p = s.pos;
  const hex = text.charCodeAt(p) === 48 && (text.charCodeAt(p + 1) | 32) === 120;
  const exponent = hex ? 112 : 101;
  let seenDot = false;
  // A sign follows an exponent only while no suffix letter has been read: `1usize-1` is a subtraction.
  let seenLetter = false;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (isAlphanumeric(c)) {
      p++;
      const isExponent = (c | 32) === exponent && (hex || !seenLetter);
      if (c > 57 && c !== 95) seenLetter = true;
      if (isExponent) {
        const sign = text.charCodeAt(p);
        const after = text.charCodeAt(p + 1);
        if ((sign === 43 || sign === 45) && after >= 48 && after <= 57) p += 2;
      }
    } else if (c === 46) {
      if (seenDot) break;
      const next = text.charCodeAt(p + 1);
      const digit = next >= 48 && next <= 57;
      if (!digit && (syntax.dotNeedsDigit || next === 46)) break;
      seenDot = true;
      p++;
    } else if (c === 39 && syntax.apostropheSeparators && isAlphanumeric(text.charCodeAt(p + 1))) {
      p += 2;
    } else break;
  }
  s.pos = p;
}
