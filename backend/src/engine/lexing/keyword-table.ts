import { isIdentifierStart } from './character-classes.js';
import { TokenKind } from './tokens.js';

/**
 * Flag on a keyword entry: the word is a keyword only where it is followed, on the same line, by
 * a name or a string (`type Foo`, `async function`, `data class`, `from 'x'`); elsewhere it is an
 * ordinary identifier (`type = 1`, `obj.get(k)`). Contextual keywords are common variable names,
 * so treating them as keywords everywhere would hide those names from renaming and naming rules.
 */
export const SOFT = 0x100;
/**
 * Flag on a keyword entry: the word ends an operand (`this`, `null`, `true`, `self`), so a `/`
 * after it divides. Lexers that tell regular expressions from division read it.
 */
export const VALUE = 0x200;

/**
 * Flag on a keyword entry: the word is a keyword only where `;`, `{` or `=>` follows it (C#
 * property accessors: `get; set;`, `init { ... }`, `get => x`); elsewhere it is an identifier.
 */
export const ACCESSOR = 0x400;

/**
 * Flag on a SOFT entry: the word is also a keyword right before `(` (`async (x) => x`). Only for
 * words that are rarely called as functions of their own.
 */
export const BEFORE_PAREN = 0x800;

/** The TokenKind part of a lookup result. */
const KIND_MASK = 0xff;

/** The words of one language, grouped by how they are emitted. */
export interface KeywordGroups {
  /** Reserved words: TokenKind.Keyword. */
  readonly keywords?: readonly string[];
  /** Keywords that end an operand (`this`, `null`): TokenKind.Keyword with VALUE. */
  readonly values?: readonly string[];
  /** Contextual keywords: TokenKind.Keyword with SOFT. */
  readonly soft?: readonly string[];
  /** Contextual keywords that also count before `(`: TokenKind.Keyword with SOFT and BEFORE_PAREN. */
  readonly softBeforeParen?: readonly string[];
  /** Accessor keywords: TokenKind.Keyword with ACCESSOR. */
  readonly accessors?: readonly string[];
  /** Primitive types spelled as keywords: TokenKind.BuiltinType. */
  readonly builtinTypes?: readonly string[];
  /** Whether case is ignored (PHP). Words must then be given in lower case. */
  readonly caseInsensitive?: boolean;
}

/**
 * A keyword lookup that never allocates: the candidate is hashed straight from the text's char
 * codes and compared in place, so an identifier costs no substring and no Map lookup. Open
 * addressing over a table at most a quarter full keeps probes short.
 */
export class KeywordTable {
  private readonly words: string[] = [];
  private readonly codes: number[] = [];
  private readonly hashes: number[] = [];
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private readonly fold: boolean;

  constructor(groups: KeywordGroups) {
    this.fold = groups.caseInsensitive === true;
    const add = (list: readonly string[] | undefined, code: number): void => {
      for (const word of list ?? []) {
        const existing = this.words.indexOf(word);
        if (existing >= 0) this.codes[existing] = code;
        else {
          this.words.push(word);
          this.codes.push(code);
        }
      }
    };
    add(groups.builtinTypes, TokenKind.BuiltinType);
    add(groups.soft, TokenKind.Keyword | SOFT);
    add(groups.softBeforeParen, TokenKind.Keyword | SOFT | BEFORE_PAREN);
    add(groups.accessors, TokenKind.Keyword | ACCESSOR);
    add(groups.keywords, TokenKind.Keyword);
    add(groups.values, TokenKind.Keyword | VALUE);
    let size = 16;
    while (size < this.words.length * 4) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    let min = Infinity;
    let max = 0;
    this.words.forEach((word, index) => {
      min = Math.min(min, word.length);
      max = Math.max(max, word.length);
      const hash = this.hash(word, 0, word.length);
      this.hashes.push(hash);
      let slot = hash & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index + 1;
    });
    this.minLength = min;
    this.maxLength = max;
  }

  /**
   * The entry for `text[start, end)`: a TokenKind, possibly with SOFT, VALUE or ACCESSOR set, or
   * 0 when the word is not a keyword of this language.
   */
  lookup(text: string, start: number, end: number): number {
    const length = end - start;
    if (length < this.minLength || length > this.maxLength) return 0;
    return this.find(text, start, length, this.hash(text, start, end));
  }

  private find(text: string, start: number, length: number, hash: number): number {
    let slot = hash & this.mask;
    for (;;) {
      const index = this.slots[slot]! - 1;
      if (index < 0) return 0;
      if (this.hashes[index] === hash && this.matches(this.words[index]!, text, start, length)) return this.codes[index]!;
      slot = (slot + 1) & this.mask;
    }
  }

  private hash(text: string, start: number, end: number): number {
    let hash = 0;
    for (let i = start; i < end; i++) {
      let c = text.charCodeAt(i);
      if (this.fold && c >= 65 && c <= 90) c += 32;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    return hash;
  }

  private matches(word: string, text: string, start: number, length: number): boolean {
    if (word.length !== length) return false;
    for (let i = 0; i < length; i++) {
      let c = text.charCodeAt(start + i);
      if (this.fold && c >= 65 && c <= 90) c += 32;
      if (c !== word.charCodeAt(i)) return false;
    }
    return true;
  }
}

/**
 * The kind to emit for a word whose lookup gave `entry` (0 for none), deciding contextual
 * keywords by the first character after the word and any spaces or tabs: a name, a quote or `@`
 * (an annotation or C# `@name`) for SOFT, or `(` too with BEFORE_PAREN; `;`, `{` or `=>` for
 * ACCESSOR.
 */
export function keywordKind(entry: number, text: string, wordEnd: number, identifiers: Uint8Array): TokenKind {
  if (entry === 0) return TokenKind.Identifier;
  const kind = (entry & KIND_MASK) as TokenKind;
  if ((entry & (SOFT | ACCESSOR)) === 0) return kind;
  let p = wordEnd;
  let c = text.charCodeAt(p);
  while (c === 32 || c === 9) c = text.charCodeAt(++p);
  const applies =
    (entry & SOFT) !== 0
      ? c === 34 || c === 39 || c === 64 || isIdentifierStart(identifiers, c) || (c === 40 && (entry & BEFORE_PAREN) !== 0)
      : c === 59 || c === 123 || (c === 61 && text.charCodeAt(p + 1) === 62);
  return applies ? kind : TokenKind.Identifier;
}

/** Splits a whitespace-separated word list (keyword lists read best as one string). */
export function words(list: string): string[] {
  return list.split(/\s+/).filter((word) => word.length > 0);
}
