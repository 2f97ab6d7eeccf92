import { TokenKind } from '../../lexing/tokens.js';
import type { StatementRules } from '../statements.js';
import { Char, wordSet, type TokenView } from '../token-view.js';

/** Words that end an operand, after which a line break ends a statement. */
const VALUE_WORDS = wordSet('this super null true false undefined void');
/** Words that continue an expression or a type when they start the next line. */
const CONTINUING_WORDS = wordSet('as satisfies extends implements in instanceof keyof is');
const CONTINUING_PUNCTUATION = new Set([
  '.',
  '?.',
  ')',
  ']',
  '}',
  '{',
  '=>',
  '=',
  '|',
  '&',
  '||',
  '&&',
  '??',
  '?',
  ':',
  ',',
  '+',
  '-',
  '*',
  '/',
  '%',
  '>',
]);

/** JavaScript's automatic semicolon insertion, approximated with the statement's indentation. */
export const JS_RULES: StatementRules = {
  endsOperand(v, i) {
    const kind = v.kind(i);
    if (kind === TokenKind.Punctuation) {
      const text = v.text(i);
      return text === ')' || text === ']' || text === '}' || text === '++' || text === '--' || text === '>' || text === '!';
    }
    if (kind === TokenKind.Keyword) return VALUE_WORDS.has(v.text(i));
    return true;
  },
  continuesLine(v, i) {
    const kind = v.kind(i);
    if (kind === TokenKind.Punctuation) return CONTINUING_PUNCTUATION.has(v.text(i));
    return kind === TokenKind.Keyword && CONTINUING_WORDS.has(v.text(i));
  },
};

/** Where a JavaScript declaration sits and how it was introduced. */
export interface Scope {
  /** First token of the statement, decorators and `export` included. */
  readonly start: number;
  readonly to: number;
  readonly exported: boolean;
  readonly isDefault: boolean;
  readonly container: string | undefined;
}

/** Skips `@decorator`, `@a.b(...)` sequences. */
export function skipDecorators(v: TokenView, from: number, to: number): number {
  let i = from;
  while (i < to && v.isChar(i, Char.at) && v.isWord(i + 1)) {
    i += 2;
    while (v.isChar(i, Char.dot) && v.isWord(i + 1)) i += 2;
    if (v.isChar(i, Char.openParen)) i = v.step(i);
  }
  return i;
}

/** Whether the expression in `[from, to)` is a function: `function`, `async`, an arrow `(...) =>` or `x =>`. */
export function isFunctionValue(v: TokenView, from: number, to: number): boolean {
  let i = from;
  if (v.is(i, 'async') && !v.isChar(i + 1, Char.dot)) i++;
  if (v.is(i, 'function')) return true;
  if (v.isIdentifier(i) && v.is(i + 1, '=>')) return true;
  i = v.skipAngles(i, to);
  if (!v.isChar(i, Char.openParen)) return false;
  for (let j = v.step(i); j < to; j = v.step(j)) {
    if (v.is(j, '=>')) return true;
    if (v.isChar(j, Char.openBrace) || v.isChar(j, Char.semicolon) || v.isChar(j, Char.comma) || v.isChar(j, Char.equals)) return false;
  }
  return false;
}

/** The declared name at `i`, or `fallback` for an anonymous declaration (`export default class extends X`). */
export function nameAt(v: TokenView, i: number, fallback: string): { name: string; next: number } {
  if (v.isWord(i) && !v.is(i, 'extends') && !v.is(i, 'implements')) return { name: v.text(i), next: i + 1 };
  return { name: fallback, next: i };
}
