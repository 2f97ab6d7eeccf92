import { TokenKind } from '../../lexing/tokens.js';
import { findBody, mergeOverloads, statementEnd } from '../statements.js';
import { Char, type DraftSymbol, type TokenView } from '../token-view.js';
import { classDeclaration } from './javascript-classes.js';
import { collectRequires, commonJsExport, exportClause, importStatement } from './javascript-modules.js';
import { JS_RULES, isFunctionValue, nameAt, skipDecorators, type Scope } from './javascript-syntax.js';

/**
 * TypeScript and JavaScript (JSX and TSX included). Extracted: top-level and namespace-level
 * functions, classes, interfaces, type aliases, enums, namespaces and `const`/`let`/`var`
 * declarations (a function when initialised by an arrow function or function expression, a class
 * when by a class expression; otherwise `const` is a constant and `let`/`var` a variable), and
 * class members with a parameter list (methods, accessors, constructors, arrow-function fields).
 * Declarations inside function bodies are not symbols. TypeScript overload signatures are merged
 * with their implementation into one symbol.
 *
 * Exported: `export` or `export default` on the declaration, a name listed in a local
 * `export { ... }` or `export default name`, or a CommonJS `module.exports`/`exports.name`
 * assignment. A class member is exported when its class is and it is neither `private`,
 * `protected` nor `#private`. Anonymous default exports are named `default`.
 *
 * Imports: `import ... from 'm'` (names as the module exports them: `default`, `*`, or the listed
 * names), `import 'm'` (no names), re-exports `export ... from 'm'`, `require('m')` (destructured
 * names, else `*`; no names as a bare statement) and `import('m')` (`*`).
 */
export function extractJavaScript(v: TokenView): void {
  const exportedNames = new Set<string>();
  const hidden = new Set<DraftSymbol>();
  walkBlock(v, 0, v.count, undefined, { exportedNames, hidden });
  // Names exported after their declaration (`export { a }`, `module.exports = { A }`) export their public members too.
  const exportedClasses = new Set<string>();
  for (const symbol of v.symbols) {
    if (symbol.container !== undefined || !exportedNames.has(symbol.name) || symbol.exported) continue;
    symbol.exported = true;
    if (symbol.kind === 'class') exportedClasses.add(symbol.name);
  }
  for (const symbol of v.symbols) {
    if (symbol.container !== undefined && exportedClasses.has(symbol.container) && !hidden.has(symbol)) symbol.exported = true;
  }
  collectRequires(v);
  mergeOverloads(v.symbols);
}

/** What a file's statements leave for the passes after them. */
interface FileState {
  /** Names exported apart from their declaration. */
  readonly exportedNames: Set<string>;
  /** Class members that stay unexported even when their class is exported later (`private`, `#x`). */
  readonly hidden: Set<DraftSymbol>;
}

/** Reads the declarations of a module, a namespace body or a `declare module` block in `[from, to)`. */
function walkBlock(v: TokenView, from: number, to: number, container: string | undefined, state: FileState): void {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon)) {
      i++;
      continue;
    }
    const next = readStatement(v, i, to, container, state);
    i = Math.max(next, i + 1);
  }
}

/** Reads the statement starting at `start`; returns the index just past it. */
function readStatement(v: TokenView, start: number, to: number, container: string | undefined, state: FileState): number {
  const { exportedNames } = state;
  let i = skipDecorators(v, start, to);
  let exported = false;
  let isDefault = false;
  if (v.is(i, 'export')) {
    exported = true;
    i++;
    if (v.is(i, 'default')) {
      isDefault = true;
      i++;
    }
    if (!isDefault && (v.isChar(i, Char.openBrace) || v.isChar(i, Char.star) || v.is(i, 'type'))) {
      const end = exportClause(v, i, to, exportedNames);
      if (end >= 0) return end + 1;
    }
  }
  while (v.is(i, 'declare') || v.is(i, 'abstract')) i++;
  const word = v.isWord(i) ? v.text(i) : '';
  const scope = { start, to, exported, isDefault, container };
  switch (word) {
    case 'async':
      if (v.is(i + 1, 'function')) return functionDeclaration(v, i + 1, scope);
      break;
    case 'function':
      return functionDeclaration(v, i, scope);
    case 'class':
      return classDeclaration(v, i, scope, state.hidden);
    case 'interface':
      return bodyDeclaration(v, i, 'interface', scope);
    case 'enum':
      return bodyDeclaration(v, i, 'enum', scope);
    case 'const':
      if (v.is(i + 1, 'enum')) return bodyDeclaration(v, i + 1, 'enum', scope);
      return variableStatement(v, i, scope);
    case 'let':
    case 'var':
      return variableStatement(v, i, scope);
    case 'type':
      if (v.isWord(i + 1) && (v.isChar(i + 2, Char.equals) || v.isChar(i + 2, Char.less))) return typeAlias(v, i, scope);
      break;
    case 'namespace':
    case 'module':
      if (v.isWord(i + 1) || v.kind(i + 1) === TokenKind.String) return namespaceDeclaration(v, i, scope, state);
      break;
    case 'global':
      if (v.isChar(i + 1, Char.openBrace)) return v.step(i + 1);
      break;
    case 'import':
      if (!v.isChar(i + 1, Char.openParen) && !v.isChar(i + 1, Char.dot)) return importStatement(v, i, to);
      break;
  }
  if (isDefault && v.isIdentifier(i)) {
    // `export default name;` exports a declaration made elsewhere in the file.
    const end = statementEnd(v, i, to, JS_RULES);
    if (end === i || (end === i + 1 && v.isChar(end, Char.semicolon))) {
      exportedNames.add(v.text(i));
      return end + 1;
    }
  }
  const end = statementEnd(v, start, to, JS_RULES);
  if (container === undefined) commonJsExport(v, start, end, exportedNames);
  return end + 1;
}

function functionDeclaration(v: TokenView, at: number, scope: Scope): number {
  let i = at + 1;
  if (v.isChar(i, Char.star)) i++;
  const { name, next } = nameAt(v, i, 'default');
  const body = findBody(v, next, scope.to, JS_RULES, scope.start);
  const last = body >= 0 ? v.close[body]! : statementEnd(v, scope.start, scope.to, JS_RULES);
  if (name !== 'default' || scope.isDefault) v.add(name, 'function', scope.start, last, scope.exported, scope.container);
  return last + 1;
}

function bodyDeclaration(v: TokenView, at: number, kind: 'interface' | 'enum', scope: Scope): number {
  const body = findBody(v, at + 2, scope.to, JS_RULES, scope.start);
  const last = body >= 0 ? v.close[body]! : statementEnd(v, scope.start, scope.to, JS_RULES);
  if (v.isWord(at + 1)) v.add(v.text(at + 1), kind, scope.start, last, scope.exported, scope.container);
  return last + 1;
}

function typeAlias(v: TokenView, at: number, scope: Scope): number {
  const last = statementEnd(v, scope.start, scope.to, JS_RULES);
  v.add(v.text(at + 1), 'type', scope.start, last, scope.exported, scope.container);
  return last + 1;
}

function namespaceDeclaration(v: TokenView, at: number, scope: Scope, state: FileState): number {
  let i = at + 1;
  let name = v.kind(i) === TokenKind.String ? v.stringValue(i) : v.text(i);
  i++;
  while (v.isChar(i, Char.dot) && v.isWord(i + 1)) {
    name += '.' + v.text(i + 1);
    i += 2;
  }
  if (!v.isChar(i, Char.openBrace)) {
    const last = statementEnd(v, scope.start, scope.to, JS_RULES);
    v.add(name, 'module', scope.start, last, scope.exported, scope.container);
    return last + 1;
  }
  const close = v.close[i]!;
  v.add(name, 'module', scope.start, close, scope.exported, scope.container);
  v.nested(() => walkBlock(v, i + 1, close, name, state));
  return close + 1;
}

function variableStatement(v: TokenView, at: number, scope: Scope): number {
  const declaration = v.text(at);
  const end = statementEnd(v, scope.start, scope.to, JS_RULES);
  let i = at + 1;
  let first = true;
  while (i <= end) {
    const nameToken = i;
    const named = v.isIdentifier(i) || (v.isWord(i) && !v.isChar(i + 1, Char.dot));
    i = v.step(i);
    if (v.isChar(i, Char.bang)) i++;
    // A type annotation: skip it to the `=`, `,` or the end, stepping over generic arguments.
    while (i <= end && !v.isChar(i, Char.equals) && !v.isChar(i, Char.comma))
      i = v.isChar(i, Char.less) ? v.skipAngles(i, end + 1) : v.step(i);
    let declaratorEnd = i - 1;
    let kind: 'function' | 'class' | 'constant' | 'variable' = declaration === 'const' ? 'constant' : 'variable';
    if (v.isChar(i, Char.equals)) {
      const comma = nextDeclarator(v, i + 1, end);
      declaratorEnd = comma < 0 ? end : comma - 1;
      if (isFunctionValue(v, i + 1, declaratorEnd + 1)) kind = 'function';
      else if (v.is(i + 1, 'class')) kind = 'class';
      i = declaratorEnd + 1;
    }
    // `const fs = require('fs')` binds an import, not a declaration of this file.
    const isRequire = v.is(nameToken + 2, 'require') && v.isChar(nameToken + 3, Char.openParen);
    if (named && !isRequire)
      v.add(v.text(nameToken), kind, first ? scope.start : nameToken, declaratorEnd, scope.exported, scope.container);
    first = false;
    if (!v.isChar(i, Char.comma)) break;
    i++;
  }
  return end + 1;
}

/**
 * The comma in `[from, end]` that starts another declarator (`, name =`, `, name;`), or -1. A comma
 * between generic arguments (`f<A, B>()`) is not followed by a plain declarator, so it is skipped.
 */
function nextDeclarator(v: TokenView, from: number, end: number): number {
  for (let i = from; i <= end; i = v.step(i)) {
    if (!v.isChar(i, Char.comma) || !v.isIdentifier(i + 1)) continue;
    const after = i + 2;
    if (
      after > end ||
      v.isChar(after, Char.equals) ||
      v.isChar(after, Char.colon) ||
      v.isChar(after, Char.comma) ||
      v.isChar(after, Char.semicolon)
    )
      return i;
  }
  return -1;
}
