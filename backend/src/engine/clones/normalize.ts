import { TokenKind, type LexedFile } from '../lexing/tokens.js';

/** Normalised code of every identifier (and primitive type name): renaming keeps it. */
export const IDENTIFIER_CODE = 1;
/** Normalised code of every literal (number, string, regular expression). */
export const LITERAL_CODE = 2;
/** Normalised code of preprocessor lines and similar directives. */
export const DIRECTIVE_CODE = 3;
const FIRST_VERBATIM_CODE = 16;

/**
 * A file's tokens as clone detection sees them. `codes` abstracts identifiers and literals (equal
 * runs are Type-2 copies); `exact` is a 16-bit hash of each token's text (equal runs are Type-1
 * copies — a false "equal" needs a 1-in-65,536 collision on every renamed token of a run).
 * Keywords and punctuation keep their identity in `codes`, hashed from their text, so workers
 * agree on codes without sharing a vocabulary.
 */
export interface NormalizedTokens {
  readonly codes: Uint16Array;
  readonly exact: Uint16Array;
}

/** FNV-1a of `text[start, end)`. */
export function hashText(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function normalize(lexed: LexedFile): NormalizedTokens {
  const { count, kinds, starts, ends, text } = lexed;
  const codes = new Uint16Array(count);
  const exact = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    const hash = hashText(text, starts[i] as number, ends[i] as number);
    exact[i] = (hash ^ (hash >>> 16)) & 0xffff;
    switch (kinds[i]) {
      case TokenKind.Identifier:
      case TokenKind.BuiltinType:
        codes[i] = IDENTIFIER_CODE;
        break;
      case TokenKind.Number:
      case TokenKind.String:
      case TokenKind.Regex:
        codes[i] = LITERAL_CODE;
        break;
      case TokenKind.Directive:
        codes[i] = DIRECTIVE_CODE;
        break;
      default:
        codes[i] = FIRST_VERBATIM_CODE + (hash % (0x10000 - FIRST_VERBATIM_CODE));
    }
  }
  return { codes, exact };
}

/** The normalised code a keyword or punctuation text gets (what `normalize` assigns it). */
export function verbatimCode(text: string): number {
  return FIRST_VERBATIM_CODE + (hashText(text, 0, text.length) % (0x10000 - FIRST_VERBATIM_CODE));
}
