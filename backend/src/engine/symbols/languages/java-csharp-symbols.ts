import { TokenKind } from '../../lexing/tokens.js';
import type { SymbolKind } from '../symbol-types.js';
import { SEMICOLON_RULES, findBody } from '../statements.js';
import { Char, wordSet, type TokenView } from '../token-view.js';

/**
 * Java and C#. Extracted: classes, interfaces (Java `@interface` too), enums (their constants as
 * constants of the enum), records (classes; C# `record struct` a struct), C# structs and
 * delegates (types), C# namespaces, block or file-scoped, and Java packages (modules containing
 * the types after them),
 * methods and constructors (an identifier and a parameter list at type-body level), and
 * constants: Java `static final` fields, C# `const` and `static readonly` fields. Other fields,
 * properties, events and initialiser blocks are skipped, and method bodies are not searched. A
 * symbol starts at its first annotation or attribute.
 *
 * Exported: declared `public`, or a member of an interface without `private`, or an enum
 * constant of an exported enum. (Java's package-private and C#'s `internal` are not exported.)
 *
 * Imports: Java `import a.b.C` (module `a.b`, names `C`; `a.b.*` gives `*`), C# `using A.B`
 * (module `A.B`, names `*`; an alias `using X = A.B` imports `A.B`).
 */
export function extractJava(v: TokenView): void {
  readBody(v, 0, v.count, { csharp: false, inInterface: false, exported: true });
}

export function extractCSharp(v: TokenView): void {
  readBody(v, 0, v.count, { csharp: true, inInterface: false, exported: true });
}

interface Scope {
  readonly csharp: boolean;
  /** The enclosing namespace or type. */
  readonly container?: string;
  /** The enclosing type, when reading a type body. */
  readonly typeName?: string;
  readonly inInterface: boolean;
  /** Whether the enclosing type is exported (enum constants follow it). */
  readonly exported: boolean;
}

const MODIFIERS = wordSet(`public private protected internal static final abstract sealed default synchronized native transient
  volatile strictfp const readonly partial async unsafe extern virtual override new required file
  fixed ref global`);

const TYPE_KEYWORDS = new Set(['class', 'interface', 'enum', 'record', 'struct']);

interface Head {
  readonly start: number;
  readonly at: number;
  readonly modifiers: ReadonlySet<string>;
}

function readBody(v: TokenView, from: number, to: number, scope: Scope): void {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon) || v.kind(i) === TokenKind.Directive) {
      i++;
      continue;
    }
    const head = readHead(v, i, to, scope);
    i = Math.max(member(v, head, to, scope), i + 1);
  }
}

/** Skips annotations (`@Name(...)`), attributes (`[Name(...)]`) and modifiers (`non-sealed` included). */
function readHead(v: TokenView, start: number, to: number, scope: Scope): Head {
  const modifiers = new Set<string>();
  let i = start;
  while (i < to) {
    if (v.isChar(i, Char.at) && !v.is(i + 1, 'interface')) {
      i += 2;
      while (v.isChar(i, Char.dot) && v.isWord(i + 1)) i += 2;
      if (v.isChar(i, Char.openParen)) i = v.step(i);
    } else if (scope.csharp && v.isChar(i, Char.openBracket)) i = v.step(i);
    else if (v.is(i, 'non') && v.is(i + 1, '-') && v.is(i + 2, 'sealed')) i += 3;
    else if (v.isWord(i) && MODIFIERS.has(v.text(i)) && !v.isChar(i + 1, Char.openParen) && !v.isChar(i + 1, Char.equals)) {
      modifiers.add(v.text(i));
      i++;
    } else break;
  }
  return { start, at: i, modifiers };
}

function isExported(head: Head, scope: Scope): boolean {
  if (head.modifiers.has('public')) return true;
  return scope.inInterface && !head.modifiers.has('private');
}

/** Reads one declaration; returns the index just past it. */
function member(v: TokenView, head: Head, to: number, scope: Scope): number {
  const { at } = head;
  const word = v.isWord(at) ? v.text(at) : '';
  if (word === 'import' && !scope.csharp) return javaImport(v, at, to);
  if (word === 'using' && scope.csharp && scope.typeName === undefined) return csharpUsing(v, at, to);
  if ((word === 'namespace' && scope.csharp) || (word === 'package' && !scope.csharp)) return namespace(v, head, to, scope);
  if (v.isChar(at, Char.at) && v.is(at + 1, 'interface')) return typeDeclaration(v, head, at + 1, 'interface', to, scope);
  if (TYPE_KEYWORDS.has(word)) {
    let keyword = at;
    if (word === 'record' && (v.is(at + 1, 'struct') || v.is(at + 1, 'class'))) keyword++;
    const kind: SymbolKind =
      word === 'interface' ? 'interface' : word === 'enum' ? 'enum' : word === 'struct' || v.is(keyword, 'struct') ? 'struct' : 'class';
    if (v.isWord(keyword + 1)) return typeDeclaration(v, head, keyword, kind, to, scope);
  }
  if (word === 'delegate' && scope.csharp) {
    const end = semicolon(v, at, to);
    const paren = v.findAtDepth(at, end, Char.openParen);
    const name = paren > 0 ? nameBefore(v, paren) : undefined;
    if (name !== undefined) v.add(name, 'type', head.start, end, isExported(head, scope), scope.typeName ?? scope.container);
    return end + 1;
  }
  if (scope.typeName === undefined) return statementEnd(v, at, to) + 1;
  return typeMember(v, head, to, scope);
}

function semicolon(v: TokenView, from: number, to: number): number {
  const at = v.findAtDepth(from, to, Char.semicolon);
  return at < 0 ? to - 1 : at;
}

/** The end of an unrecognised statement: its `;`, or the `}` of its first brace group. */
function statementEnd(v: TokenView, from: number, to: number): number {
  for (let i = from; i < to; i = v.step(i)) {
    if (v.isChar(i, Char.semicolon)) return i;
    if (v.isChar(i, Char.openBrace)) return v.isChar(v.close[i]! + 1, Char.semicolon) ? v.close[i]! + 1 : v.close[i]!;
  }
  return to - 1;
}

function dottedName(v: TokenView, from: number, to: number): { name: string; next: number } {
  let name = '';
  let i = from;
  while (i < to && (v.isWord(i) || v.isChar(i, Char.dot) || v.isChar(i, Char.star))) name += v.text(i++);
  return { name, next: i };
}

function javaImport(v: TokenView, at: number, to: number): number {
  const end = semicolon(v, at, to);
  const from = v.is(at + 1, 'static') ? at + 2 : at + 1;
  const { name } = dottedName(v, from, end);
  const dot = name.lastIndexOf('.');
  if (dot > 0) v.addImport(name.slice(0, dot), [name.slice(dot + 1)], at);
  return end + 1;
}

function csharpUsing(v: TokenView, at: number, to: number): number {
  const end = semicolon(v, at, to);
  let i = at + 1;
  if (v.is(i, 'static')) i++;
  if (v.isWord(i) && v.isChar(i + 1, Char.equals)) i += 2;
  const { name } = dottedName(v, i, end);
  if (name !== '' && !v.isChar(at + 1, Char.openParen)) v.addImport(name, ['*'], at);
  return end + 1;
}

function namespace(v: TokenView, head: Head, to: number, scope: Scope): number {
  const { name, next } = dottedName(v, head.at + 1, to);
  if (v.isChar(next, Char.openBrace)) {
    const close = v.close[next]!;
    v.add(name, 'module', head.start, close, true, scope.container);
    v.nested(() => readBody(v, next + 1, close, { ...scope, container: name }));
    return close + 1;
  }
  // A file-scoped namespace (`namespace A.B;`) holds the rest of the file.
  v.add(name, 'module', head.start, to - 1, true, scope.container);
  readBody(v, next + 1, to, { ...scope, container: name });
  return to;
}

function typeDeclaration(v: TokenView, head: Head, keyword: number, kind: SymbolKind, to: number, scope: Scope): number {
  const name = v.text(keyword + 1);
  const body = findBody(v, keyword + 2, to, SEMICOLON_RULES);
  const end = body >= 0 ? v.close[body]! : semicolon(v, keyword, to);
  const exported = isExported(head, scope);
  v.add(name, kind, head.start, end, exported, scope.typeName ?? scope.container);
  if (body < 0) return end + 1;
  const inner: Scope = { csharp: scope.csharp, container: name, typeName: name, inInterface: kind === 'interface', exported };
  const membersFrom = kind === 'enum' ? enumConstants(v, body + 1, end, inner) : body + 1;
  v.nested(() => readBody(v, membersFrom, end, inner));
  return end + 1;
}

/** Reads `A, B(1), C { ... };` at the start of an enum body; returns where its other members start. */
function enumConstants(v: TokenView, from: number, to: number, scope: Scope): number {
  let expectName = true;
  for (let i = from; i < to; i = v.step(i)) {
    if (v.isChar(i, Char.semicolon)) return i + 1;
    if (v.isChar(i, Char.comma)) expectName = true;
    else if (v.isChar(i, Char.at) || (scope.csharp && v.isChar(i, Char.openBracket))) continue;
    else if (expectName && v.isIdentifier(i)) {
      v.add(v.text(i), 'constant', i, i, scope.exported, scope.typeName);
      expectName = false;
    }
  }
  return to;
}

/** A method, constructor, constant field, or something skipped (fields, properties, events, initialisers). */
function typeMember(v: TokenView, head: Head, to: number, scope: Scope): number {
  const { at } = head;
  let first = -1;
  for (let i = at; i < to; i = v.step(i)) {
    if (
      v.isChar(i, Char.openParen) ||
      v.isChar(i, Char.equals) ||
      v.isChar(i, Char.semicolon) ||
      v.isChar(i, Char.openBrace) ||
      v.is(i, '=>')
    ) {
      first = i;
      break;
    }
  }
  if (first < 0) return to;
  const container = scope.typeName;
  if (v.isChar(first, Char.openParen)) {
    const name = nameBefore(v, first);
    const end = methodEnd(v, v.close[first]! + 1, to);
    if (name !== undefined) v.add(name, 'method', head.start, end, isExported(head, scope), container);
    return end + 1;
  }
  if (v.isChar(first, Char.openBrace)) {
    // A property (C#) or an initialiser block; a property may have an initialiser after it.
    const close = v.close[first]!;
    return v.isChar(close + 1, Char.equals) ? semicolon(v, close, to) + 1 : close + 1;
  }
  const end = semicolon(v, first, to);
  const m = head.modifiers;
  const isConstant = scope.csharp
    ? m.has('const') || (m.has('static') && m.has('readonly'))
    : (m.has('static') && m.has('final')) || scope.inInterface;
  if (isConstant && !v.is(first, '=>') && v.isIdentifier(first - 1) && first - 1 > at) {
    v.add(v.text(first - 1), 'constant', head.start, end, isExported(head, scope), container);
  }
  return end + 1;
}

/** The method name before a parameter list: `name(`, `Name<T>(`, `~Name(`; undefined for `operator +(` and the like. */
function nameBefore(v: TokenView, paren: number): string | undefined {
  let i = paren - 1;
  if (v.isChar(i, Char.greater)) {
    let depth = 0;
    for (; i >= 0; i--) {
      if (v.isChar(i, Char.greater)) depth++;
      else if (v.isChar(i, Char.less) && --depth === 0) break;
    }
    i--;
  }
  if (!v.isIdentifier(i) && !(v.isWord(i) && v.kind(i) !== TokenKind.Keyword)) return undefined;
  return v.isChar(i - 1, Char.tilde) ? '~' + v.text(i) : v.text(i);
}

/** After a parameter list: `throws`, `where` constraints and `: base(...)`, then a body, `=> expression;`, or `;`. */
function methodEnd(v: TokenView, from: number, to: number): number {
  for (let i = from; i < to; i = v.step(i)) {
    if (v.isChar(i, Char.openBrace)) return v.close[i]!;
    if (v.isChar(i, Char.semicolon)) return i;
    if (v.is(i, '=>') || v.is(i, 'default')) return semicolon(v, i, to);
  }
  return to - 1;
}
