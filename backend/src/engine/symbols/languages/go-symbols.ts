import { TokenKind } from '../../lexing/tokens.js';
import type { SymbolKind } from '../symbol-types.js';
import { Char, type TokenView } from '../token-view.js';

/**
 * Go. Top-level declarations start in column 0 (as gofmt writes them) with `func`, `type`,
 * `const`, `var` or `import`; each runs to the next one. Extracted: functions, methods (container
 * = the receiver's type, pointer and type parameters dropped), `type X struct`, `type X interface`
 * and other type declarations, and every name of `const` and `var` specs, grouped ones included.
 *
 * Exported: the name starts with an upper-case letter (Go's rule).
 *
 * Imports: `import "p"` and grouped imports, module = the import path; names `*` (the package as
 * a whole, renamed or dot-imported alike), none for a blank `_` import.
 */
export function extractGo(v: TokenView): void {
  const starts: number[] = [];
  for (let i = 0; i < v.count; i++) {
    if (v.column(i) === 0 && v.kind(i) === TokenKind.Keyword && DECLARATIONS.has(v.text(i)) && (i === 0 || v.line(i) > v.endLine(i - 1)))
      starts.push(i);
  }
  starts.forEach((start, index) => {
    const last = (starts[index + 1] ?? v.count) - 1;
    switch (v.text(start)) {
      case 'func':
        funcDeclaration(v, start, last);
        break;
      case 'type':
        specs(v, start, last, (spec, end) => typeSpec(v, spec, end));
        break;
      case 'const':
        specs(v, start, last, (spec, end) => valueSpec(v, spec, end, 'constant'));
        break;
      case 'var':
        specs(v, start, last, (spec, end) => valueSpec(v, spec, end, 'variable'));
        break;
      case 'import':
        specs(v, start, last, (spec, end) => importSpec(v, spec, end));
        break;
    }
  });
}

const DECLARATIONS = new Set(['func', 'type', 'const', 'var', 'import']);

function isExported(name: string): boolean {
  const first = name.charAt(0);
  return first !== first.toLowerCase();
}

function funcDeclaration(v: TokenView, start: number, last: number): void {
  let i = start + 1;
  let receiver: string | undefined;
  if (v.isChar(i, Char.openParen)) {
    const close = v.close[i]!;
    for (let j = i + 1; j < close; j = v.step(j)) if (v.isIdentifier(j)) receiver = v.text(j);
    i = close + 1;
  }
  if (!v.isWord(i)) return;
  const name = v.text(i);
  v.add(name, receiver === undefined ? 'function' : 'method', start, last, isExported(name), receiver);
}

/**
 * Calls `read` for each spec of a declaration: the single spec after the keyword, or each line of
 * a parenthesised group (`const ( A = iota; B )`), with the spec's first and last token.
 */
function specs(v: TokenView, start: number, last: number, read: (spec: number, end: number) => void): void {
  const open = start + 1;
  if (!v.isChar(open, Char.openParen)) {
    read(open, last);
    return;
  }
  const close = Math.min(v.close[open]!, last);
  let spec = open + 1;
  for (let i = spec; i < close;) {
    const next = v.step(i);
    const end = next - 1;
    if (next >= close || v.isChar(next, Char.semicolon) || v.line(next) > v.endLine(end)) {
      if (!v.isChar(spec, Char.semicolon)) read(spec, v.isChar(end, Char.semicolon) ? end - 1 : end);
      spec = v.isChar(next, Char.semicolon) ? next + 1 : next;
      i = spec;
    } else i = next;
  }
}

function typeSpec(v: TokenView, spec: number, end: number): void {
  if (!v.isWord(spec)) return;
  const name = v.text(spec);
  let i = spec + 1;
  // Type parameters touch the name (`List[T any]`); an array type is spaced (`Grid [9]int`).
  if (v.isChar(i, Char.openBracket) && v.touches(spec)) i = v.step(i);
  if (v.isChar(i, Char.equals)) i++;
  const kind: SymbolKind = v.is(i, 'struct') ? 'struct' : v.is(i, 'interface') ? 'interface' : 'type';
  v.add(name, kind, v.is(spec - 1, 'type') ? spec - 1 : spec, end, isExported(name));
}

function valueSpec(v: TokenView, spec: number, end: number, kind: SymbolKind): void {
  const first = v.is(spec - 1, 'const') || v.is(spec - 1, 'var') ? spec - 1 : spec;
  for (let i = spec; i <= end && v.isIdentifier(i); i += 2) {
    const name = v.text(i);
    if (name !== '_') v.add(name, kind, i === spec ? first : i, end, isExported(name));
    if (!v.isChar(i + 1, Char.comma)) break;
  }
}

function importSpec(v: TokenView, spec: number, end: number): void {
  for (let i = spec; i <= end; i++) {
    if (v.kind(i) !== TokenKind.String) continue;
    const blank = v.is(i - 1, '_');
    v.addImport(v.stringValue(i), blank ? [] : ['*'], i);
  }
}
