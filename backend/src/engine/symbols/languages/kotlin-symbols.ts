import { TokenKind } from '../../lexing/tokens.js';
import type { SymbolKind } from '../symbol-types.js';
import { findBody, statementEnd, type StatementRules } from '../statements.js';
import { Char, wordSet, type TokenView } from '../token-view.js';

/**
 * Kotlin. Extracted: classes (`data`, `sealed`, `value`, `annotation` classes too), `object`
 * declarations (classes), interfaces (`fun interface` too), enum classes (their entries as
 * constants), functions (methods inside a class, object or interface; an extension function
 * `fun String.x()` is named `x`), `typealias` (types), `const val` (constants), top-level
 * `val`/`var` (variables), and the `package` (a module containing the file's declarations). Members of a `companion object` belong to the enclosing class. Class
 * properties, `init` blocks and function bodies are not searched. A symbol starts at its first
 * annotation.
 *
 * Exported: Kotlin's default visibility is public, so everything not declared `private`,
 * `protected` or `internal`.
 *
 * Imports: `import a.b.C` (module `a.b`, names `C`; `a.b.*` gives `*`; an alias imports the
 * original name).
 */
export function extractKotlin(v: TokenView): void {
  readBody(v, 0, v.count, {});
}

interface Scope {
  /** The enclosing class, object or interface. */
  readonly typeName?: string;
  /** The file's package, container of its top-level declarations. */
  readonly packageName?: string;
}

const VALUE_WORDS = new Set(['this', 'super', 'null', 'true', 'false']);
const CONTINUING = new Set([
  '.',
  '?.',
  '?:',
  ':',
  '=',
  '->',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '%',
  ')',
  ']',
  '}',
  '{',
  ',',
  '<',
  '>',
  'as',
  'as?',
  'where',
  'by',
  'is',
  'in',
]);

/** Kotlin ends a statement at a line break unless an operator or a closing bracket carries it on. */
const KOTLIN_RULES: StatementRules = {
  endsOperand(v, i) {
    const kind = v.kind(i);
    if (kind === TokenKind.Punctuation) {
      const text = v.text(i);
      return text === ')' || text === ']' || text === '}' || text === '>' || text === '?' || text === '!!';
    }
    return kind !== TokenKind.Keyword || VALUE_WORDS.has(v.text(i));
  },
  continuesLine(v, i) {
    return CONTINUING.has(v.text(i));
  },
};

const MODIFIERS = wordSet(`public private protected internal open abstract final override data sealed inner enum annotation
  value inline suspend tailrec operator infix external const lateinit expect actual noinline
  crossinline`);

interface Head {
  readonly start: number;
  readonly at: number;
  readonly modifiers: ReadonlySet<string>;
}

function readBody(v: TokenView, from: number, to: number, scope: Scope): void {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon)) {
      i++;
      continue;
    }
    const head = readHead(v, i, to);
    i = Math.max(declaration(v, head, to, scope), i + 1);
  }
}

/** Skips annotations (`@Name`, `@Name(...)`, `@file:Name(...)`) and modifiers. */
function readHead(v: TokenView, start: number, to: number): Head {
  const modifiers = new Set<string>();
  let i = start;
  while (i < to) {
    if (v.isChar(i, Char.at) && v.isWord(i + 1)) {
      i += 2;
      if (v.isChar(i, Char.colon) && v.isWord(i + 1)) i += 2;
      while (v.isChar(i, Char.dot) && v.isWord(i + 1)) i += 2;
      if (v.isChar(i, Char.openParen) && v.line(i) === v.line(i - 1)) i = v.step(i);
    } else if (v.isWord(i) && MODIFIERS.has(v.text(i)) && v.isWord(i + 1)) {
      modifiers.add(v.text(i));
      i++;
    } else break;
  }
  return { start, at: i, modifiers };
}

function isExported(head: Head): boolean {
  const m = head.modifiers;
  return !m.has('private') && !m.has('protected') && !m.has('internal');
}

function declaration(v: TokenView, head: Head, to: number, scope: Scope): number {
  const { start, at } = head;
  const word = v.isWord(at) ? v.text(at) : '';
  switch (word) {
    case 'import':
      return importDirective(v, at, to);
    case 'package':
      return packageDirective(v, head, to);
    case 'class':
    case 'interface':
    case 'object':
      return typeDeclaration(v, head, at, to, scope);
    case 'companion':
      if (v.is(at + 1, 'object')) return companion(v, head, at + 1, to, scope);
      break;
    case 'fun':
      if (v.is(at + 1, 'interface')) return typeDeclaration(v, head, at + 1, to, scope);
      return functionDeclaration(v, head, to, scope);
    case 'typealias': {
      const end = statementEnd(v, start, to, KOTLIN_RULES, at);
      if (v.isWord(at + 1)) v.add(v.text(at + 1), 'type', start, end, isExported(head), scope.typeName ?? scope.packageName);
      return end + 1;
    }
    case 'val':
    case 'var':
      return property(v, head, to, scope);
    case 'init':
      if (v.isChar(at + 1, Char.openBrace)) return v.step(at + 1);
      break;
  }
  return statementEnd(v, start, to, KOTLIN_RULES, at) + 1;
}

/** `package a.b`: a module holding the rest of the file. */
function packageDirective(v: TokenView, head: Head, to: number): number {
  const end = lineEnd(v, head.at, to);
  let name = '';
  for (let i = head.at + 1; i <= end; i++) name += v.text(i);
  v.add(name, 'module', head.start, to - 1, true);
  readBody(v, end + 1, to, { packageName: name });
  return to;
}

/** The last token on the line of token `at` (before a `;`). */
function lineEnd(v: TokenView, at: number, to: number): number {
  let end = at;
  while (end + 1 < to && v.line(end + 1) === v.line(at) && !v.isChar(end + 1, Char.semicolon)) end++;
  return end;
}

function importDirective(v: TokenView, at: number, to: number): number {
  const end = lineEnd(v, at, to);
  let path = '';
  for (let i = at + 1; i <= end && !v.is(i, 'as'); i++) path += v.text(i);
  const dot = path.lastIndexOf('.');
  if (dot > 0) v.addImport(path.slice(0, dot), [path.slice(dot + 1)], at);
  return end + 1;
}

function typeDeclaration(v: TokenView, head: Head, keyword: number, to: number, scope: Scope): number {
  const name = v.isWord(keyword + 1) ? v.text(keyword + 1) : undefined;
  const word = v.text(keyword);
  const kind: SymbolKind = word === 'interface' ? 'interface' : head.modifiers.has('enum') ? 'enum' : 'class';
  const body = findBody(v, keyword + 2, to, KOTLIN_RULES, head.start);
  const end = body >= 0 ? v.close[body]! : statementEnd(v, head.start, to, KOTLIN_RULES, keyword);
  if (name === undefined) return end + 1;
  v.add(name, kind, head.start, end, isExported(head), scope.typeName ?? scope.packageName);
  if (body >= 0) {
    const membersFrom = kind === 'enum' ? enumEntries(v, body + 1, end, name, isExported(head)) : body + 1;
    v.nested(() => readBody(v, membersFrom, end, { typeName: name }));
  }
  return end + 1;
}

/** `companion object [Name] { ... }`: its members belong to the enclosing class. */
function companion(v: TokenView, head: Head, keyword: number, to: number, scope: Scope): number {
  const body = findBody(v, keyword + 1, to, KOTLIN_RULES, head.start);
  if (body < 0) return statementEnd(v, head.start, to, KOTLIN_RULES, keyword) + 1;
  v.nested(() => readBody(v, body + 1, v.close[body]!, scope));
  return v.close[body]! + 1;
}

/** Reads `A, B("x"), C { ... };` at the start of an enum body; returns where its other members start. */
function enumEntries(v: TokenView, from: number, to: number, enumName: string, exported: boolean): number {
  let expectName = true;
  for (let i = from; i < to; i = v.step(i)) {
    if (v.isChar(i, Char.semicolon)) return i + 1;
    if (v.isChar(i, Char.comma)) expectName = true;
    else if (v.isChar(i, Char.at)) i++;
    else if (expectName && v.isIdentifier(i)) {
      v.add(v.text(i), 'constant', i, i, exported, enumName);
      expectName = false;
    }
  }
  return to;
}

function functionDeclaration(v: TokenView, head: Head, to: number, scope: Scope): number {
  const { start, at } = head;
  let paren = -1;
  for (let i = v.skipAngles(at + 1, to); i < to; i = v.isChar(i, Char.less) ? v.skipAngles(i, to) : i + 1) {
    if (v.isChar(i, Char.openParen)) {
      paren = i;
      break;
    }
    if (!v.isWord(i) && !v.isChar(i, Char.dot) && !v.isChar(i, Char.question)) break;
  }
  if (paren < 0 || !v.isWord(paren - 1)) return statementEnd(v, start, to, KOTLIN_RULES, at) + 1;
  const body = findBody(v, v.close[paren]! + 1, to, KOTLIN_RULES, start);
  const end = body >= 0 ? v.close[body]! : statementEnd(v, start, to, KOTLIN_RULES, at);
  v.add(
    v.text(paren - 1),
    scope.typeName === undefined ? 'function' : 'method',
    start,
    end,
    isExported(head),
    scope.typeName ?? scope.packageName,
  );
  return end + 1;
}

/** `const val X = ...` anywhere is a constant; a top-level `val`/`var` is a variable; class properties are skipped. */
function property(v: TokenView, head: Head, to: number, scope: Scope): number {
  const { start, at } = head;
  const end = statementEnd(v, start, to, KOTLIN_RULES, at);
  const isConst = head.modifiers.has('const');
  if (!isConst && scope.typeName !== undefined) return end + 1;
  let name: string | undefined;
  for (let i = v.skipAngles(at + 1, end + 1); i <= end && (v.isWord(i) || v.isChar(i, Char.dot)); i++) if (v.isWord(i)) name = v.text(i);
  if (name !== undefined) v.add(name, isConst ? 'constant' : 'variable', start, end, isExported(head), scope.typeName ?? scope.packageName);
  return end + 1;
}
