import { TokenKind } from '../../lexing/tokens.js';
import { statementEnd } from '../statements.js';
import { Char, type TokenView } from '../token-view.js';
import { JS_RULES, isFunctionValue } from './javascript-syntax.js';

export function importStatement(v: TokenView, at: number, to: number): number {
  const end = statementEnd(v, at, to, JS_RULES);
  let i = at + 1;
  if (v.is(i, 'type') && !v.is(i + 1, 'from')) i++;
  const names: string[] = [];
  let module: string | undefined;
  for (; i <= end; i++) {
    if (v.kind(i) === TokenKind.String) {
      module = v.stringValue(i);
      break;
    }
    if (v.is(i, 'from')) continue;
    if (v.isChar(i, Char.star)) {
      names.push('*');
      i += 2;
    } else if (v.isChar(i, Char.openBrace)) {
      names.push(...clauseNames(v, i));
      i = v.close[i]!;
    } else if (v.isWord(i) && !v.isChar(i + 1, Char.equals)) names.push('default');
    else if (v.isChar(i + 1, Char.equals)) return end + 1;
  }
  if (module !== undefined) v.addImport(module, names, at);
  return end + 1;
}

/** The names of an `{ a, b as c, type d, 'e-f' as g }` clause, as the module spells them. */
function clauseNames(v: TokenView, open: number): string[] {
  const names: string[] = [];
  const close = v.close[open]!;
  let expectName = true;
  for (let i = open + 1; i < close; i++) {
    if (v.isChar(i, Char.comma)) expectName = true;
    else if (expectName && v.is(i, 'type') && (v.isWord(i + 1) || v.kind(i + 1) === TokenKind.String) && !v.is(i + 1, 'as')) continue;
    else if (expectName) {
      names.push(v.kind(i) === TokenKind.String ? v.stringValue(i) : v.text(i));
      expectName = false;
    }
  }
  return names;
}

/** `export { a, b as c }`, `export { x } from 'm'`, `export * from 'm'`: returns the last token, or -1 when not a clause. */
export function exportClause(v: TokenView, at: number, to: number, exportedNames: Set<string>): number {
  let i = at;
  if (v.is(i, 'type')) {
    if (!v.isChar(i + 1, Char.openBrace) && !v.isChar(i + 1, Char.star)) return -1;
    i++;
  }
  const end = statementEnd(v, at, to, JS_RULES);
  const names = v.isChar(i, Char.star) ? ['*'] : clauseNames(v, i);
  let from = -1;
  for (let j = i; j <= end; j = v.step(j)) if (v.is(j, 'from') && v.kind(j + 1) === TokenKind.String) from = j + 1;
  if (from >= 0) v.addImport(v.stringValue(from), names, at);
  else for (const name of names) exportedNames.add(name);
  return end;
}

/** `module.exports = name`, `module.exports = { a, b }` and `exports.name = ...` export local names. */
export function commonJsExport(v: TokenView, start: number, end: number, exportedNames: Set<string>): void {
  let i = start;
  if (v.is(i, 'module') && v.isChar(i + 1, Char.dot)) i += 2;
  if (!v.is(i, 'exports')) return;
  if (v.isChar(i + 1, Char.dot) && v.isWord(i + 2) && v.isChar(i + 3, Char.equals)) {
    const name = v.text(i + 2);
    exportedNames.add(name);
    if (isFunctionValue(v, i + 4, end + 1)) v.add(name, 'function', start, end, true);
    return;
  }
  if (!v.isChar(i + 1, Char.equals)) return;
  const value = i + 2;
  if (v.isIdentifier(value) && value === end) exportedNames.add(v.text(value));
  if (!v.isChar(value, Char.openBrace)) return;
  const close = v.close[value]!;
  let expectName = true;
  for (let j = value + 1; j < close; j = v.step(j)) {
    if (v.isChar(j, Char.comma)) expectName = true;
    else if (expectName && v.isIdentifier(j)) {
      const valueName = v.isChar(j + 1, Char.colon) && v.isIdentifier(j + 2) ? v.text(j + 2) : v.text(j);
      exportedNames.add(valueName);
      expectName = false;
    } else expectName = false;
  }
}

/** `require('m')` and `import('m')` anywhere in the file. */
export function collectRequires(v: TokenView): void {
  for (let i = 0; i + 3 < v.count; i++) {
    const isRequire = v.is(i, 'require') && !v.isChar(i - 1, Char.dot);
    const isDynamicImport = v.is(i, 'import') && !v.isChar(i - 1, Char.dot);
    if (
      !(isRequire || isDynamicImport) ||
      !v.isChar(i + 1, Char.openParen) ||
      v.kind(i + 2) !== TokenKind.String ||
      !v.isChar(i + 3, Char.closeParen)
    )
      continue;
    v.addImport(v.stringValue(i + 2), requiredNames(v, i, isRequire), i);
  }
  v.imports.sort((a, b) => a.line - b.line);
}

function requiredNames(v: TokenView, at: number, isRequire: boolean): string[] {
  if (!isRequire) return ['*'];
  const before = at - 1;
  if (v.isChar(before, Char.equals) && v.isChar(before - 1, Char.closeBrace)) {
    let open = before - 2;
    while (open >= 0 && v.close[open] !== before - 1) open--;
    if (open >= 0) {
      const names: string[] = [];
      let expectName = true;
      for (let j = open + 1; j < before - 1; j = v.step(j)) {
        if (v.isChar(j, Char.comma)) expectName = true;
        else if (expectName && v.isWord(j)) {
          names.push(v.text(j));
          expectName = false;
        }
      }
      return names;
    }
  }
  const statementStart = v.line(before) < v.line(at) || before < 0 || v.isChar(before, Char.semicolon) || v.isChar(before, Char.closeBrace);
  return statementStart && !v.isChar(at + 4, Char.dot) ? [] : ['*'];
}
