import { Char, type DraftSymbol, type TokenView } from './token-view.js';

/**
 * How a language without mandatory semicolons ends a statement at a line break. A line break ends
 * the statement when the token before it can end an operand, the token after it cannot continue
 * the line, and the new line is indented no deeper than the statement's first token.
 */
export interface StatementRules {
  /** Whether a statement may end after token `i` (a name, a literal, a closing bracket). */
  endsOperand(v: TokenView, i: number): boolean;
  /** Whether token `i`, first on its line, continues the previous line (`.method()`, `| 'b'`, `)`). */
  continuesLine(v: TokenView, i: number): boolean;
}

/** Rules for languages where only `;` (or a body) ends a declaration: C, C++, Java, C#, PHP, Rust. */
export const SEMICOLON_RULES: StatementRules = {
  endsOperand: () => false,
  continuesLine: () => true,
};

function breaksAt(v: TokenView, last: number, i: number, column: number, rules: StatementRules): boolean {
  return v.line(i) > v.endLine(last) && v.column(i) <= column && rules.endsOperand(v, last) && !rules.continuesLine(v, i);
}

/**
 * The last token of the statement starting at `start`, scanning from `from` (the tokens between
 * them, such as decorators, never end it): the first `;` at the statement's bracket depth, or the
 * last token before a line break that ends it, or the last token before `to`.
 */
export function statementEnd(v: TokenView, start: number, to: number, rules: StatementRules, from = start): number {
  const column = v.column(start);
  let last = from - 1;
  for (let i = from; i < to;) {
    if (v.isChar(i, Char.semicolon)) return i;
    if (i > from && breaksAt(v, last, i, column, rules)) return last;
    last = Math.min(v.step(i), to) - 1;
    i = last + 1;
  }
  return Math.max(last, Math.min(start, to - 1));
}

/** Punctuation and words after which a `{` opens a type (`: { a: string }`), not a body. */
const TYPE_POSITION = new Set([':', '|', '&', '=>', '->', ',', 'extends', 'implements', 'keyof', 'typeof', 'is', 'asserts', 'new']);

/**
 * The `{` that opens the body of the declaration whose head runs from `from`, or -1 when the
 * declaration has none: a `;` or `=` comes first, or a line break ends it (by `rules`). Generic
 * parameters and type literals in annotations are stepped over.
 */
export function findBody(v: TokenView, from: number, to: number, rules: StatementRules, start = from): number {
  const column = v.column(start);
  let expectType = false;
  let last = from - 1;
  for (let i = from; i < to;) {
    if (v.isChar(i, Char.openBrace) && !expectType) return i;
    if (v.isChar(i, Char.semicolon) || v.isChar(i, Char.equals)) return -1;
    if (last >= start && breaksAt(v, last, i, column, rules)) return -1;
    if (v.isChar(i, Char.less)) {
      last = v.skipAngles(i, to) - 1;
      i = last + 1;
      expectType = false;
      continue;
    }
    expectType = TYPE_POSITION.has(v.text(i));
    last = Math.min(v.step(i), to) - 1;
    i = last + 1;
  }
  return -1;
}

/**
 * Merges consecutive declarations of one name, kind and container (TypeScript overload
 * signatures followed by their implementation, a getter and its setter) into one symbol spanning
 * them all, exported when any of them is.
 */
export function mergeOverloads(symbols: DraftSymbol[]): void {
  let kept = 0;
  for (let i = 0; i < symbols.length; i++) {
    const symbol = symbols[i]!;
    const previous = kept > 0 ? symbols[kept - 1]! : undefined;
    if (
      previous !== undefined &&
      (symbol.kind === 'function' || symbol.kind === 'method') &&
      previous.kind === symbol.kind &&
      previous.name === symbol.name &&
      previous.container === symbol.container &&
      previous.endLine <= symbol.startLine
    ) {
      previous.endLine = Math.max(previous.endLine, symbol.endLine);
      previous.exported = previous.exported || symbol.exported;
      continue;
    }
    symbols[kept++] = symbol;
  }
  symbols.length = kept;
}
