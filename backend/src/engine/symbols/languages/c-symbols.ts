import { TokenKind } from '../../lexing/tokens.js';
import type { SymbolKind } from '../symbol-types.js';
import { Char, wordSet, type TokenView } from '../token-view.js';

/**
 * C and C++. Declarations are read at file level and inside namespaces, `extern "C"` blocks and
 * class, struct and union bodies; function bodies are not searched. Extracted: function
 * definitions (a body is required outside classes, and a return type: `MACRO(x) { }` is not a
 * function), member functions declared or defined in a class (methods; constructors and
 * destructors included), out-of-line definitions `Type::name() { }` (methods of `Type`),
 * classes, structs and unions (struct), enums, namespaces (modules), `typedef` and `using X =`
 * (types), object-like `#define NAME value` (constants), and variables at file or namespace
 * level (constants when `const` or `constexpr`); class fields are skipped except static
 * constants. `template <...>` heads are part of the declaration.
 *
 * Exported: at file and namespace level, everything but `static` declarations and the contents
 * of anonymous namespaces; in a class, members under `public:` (a struct's members are public
 * until an access label says otherwise).
 *
 * Imports: `#include <x>` and `#include "x"` (module as written between the delimiters, no names).
 */
export function extractC(v: TokenView): void {
  readBlock(v, 0, v.count, { exported: true });
}

interface Scope {
  readonly container?: string;
  /** The class whose members are being read, if any. */
  readonly className?: string;
  /** Whether declarations here are visible outside the file (false inside anonymous namespaces). */
  readonly exported: boolean;
  /** In a class body: whether members are public before any access label (struct and union). */
  readonly defaultPublic?: boolean;
}

const ATTRIBUTE_WORDS = wordSet('__attribute__ __declspec alignas decltype noexcept throw _Alignas static_assert requires');

function readBlock(v: TokenView, from: number, to: number, scope: Scope): void {
  let access = scope.className === undefined || scope.defaultPublic === true;
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon)) {
      i++;
      continue;
    }
    if (v.kind(i) === TokenKind.Directive) {
      directive(v, i, scope);
      i++;
      continue;
    }
    if (scope.className !== undefined && (v.is(i, 'public') || v.is(i, 'private') || v.is(i, 'protected')) && v.isChar(i + 1, Char.colon)) {
      access = v.is(i, 'public');
      i += 2;
      continue;
    }
    const declarationScope: Scope = { container: scope.container, className: scope.className, exported: scope.exported && access };
    i = Math.max(statement(v, i, to, declarationScope), i + 1);
  }
}

/** `#include` as an import; object-like `#define NAME value` as a constant. */
function directive(v: TokenView, i: number, scope: Scope): void {
  const text = v.text(i);
  const include = /^#\s*(?:include|import)\s*[<"]([^>"]+)[>"]/.exec(text);
  if (include !== null) v.addImport(include[1]!, [], i);
  const define = /^#\s*define\s+([A-Za-z_]\w*)(\(?)/.exec(text);
  if (define !== null && define[2] === '' && scope.className === undefined) v.add(define[1]!, 'constant', i, i, scope.exported);
}

/** Reads the declaration starting at `start`; returns the index just past it. */
function statement(v: TokenView, start: number, to: number, scope: Scope): number {
  let i = start;
  if (v.is(i, 'template')) i = v.skipAngles(i + 1, to);
  if (v.is(i, 'extern') && v.kind(i + 1) === TokenKind.String) {
    if (v.isChar(i + 2, Char.openBrace)) {
      v.nested(() => readBlock(v, i + 3, v.close[i + 2]!, scope));
      return v.close[i + 2]! + 1;
    }
    i += 2;
  }
  if (v.is(i, 'namespace')) return namespace(v, start, i, to, scope);
  if (v.is(i, 'using') && v.isIdentifier(i + 1) && v.isChar(i + 2, Char.equals)) {
    const end = semicolon(v, i, to);
    v.add(v.text(i + 1), 'type', start, end, scope.exported, scope.container);
    return end + 1;
  }
  if (v.is(i, 'typedef')) return typedef(v, start, i, to, scope);
  const typeKeyword = v.is(i, 'class') || v.is(i, 'struct') || v.is(i, 'union') || v.is(i, 'enum');
  if (typeKeyword) {
    const end = typeDefinition(v, start, i, to, scope);
    if (end >= 0) return end;
  }
  return declaration(v, start, i, to, scope);
}

function semicolon(v: TokenView, from: number, to: number): number {
  const at = v.findAtDepth(from, to, Char.semicolon);
  return at < 0 ? to - 1 : at;
}

function namespace(v: TokenView, start: number, at: number, to: number, scope: Scope): number {
  let i = at + 1;
  const path: string[] = [];
  while (v.isWord(i) || v.is(i, '::')) {
    if (v.isWord(i) && !v.is(i, 'inline')) path.push(v.text(i));
    i++;
  }
  if (!v.isChar(i, Char.openBrace)) return semicolon(v, at, to) + 1;
  const close = v.close[i]!;
  if (path.length === 0) {
    v.nested(() => readBlock(v, i + 1, close, { ...scope, exported: false }));
    return close + 1;
  }
  const name = path.join('::');
  v.add(name, 'module', start, close, scope.exported, scope.container);
  v.nested(() => readBlock(v, i + 1, close, { container: name, exported: scope.exported }));
  return close + 1;
}

function typedef(v: TokenView, start: number, at: number, to: number, scope: Scope): number {
  const end = semicolon(v, at, to);
  const body = v.findAtDepth(at, end, Char.openBrace);
  let name: string | undefined;
  for (let i = end - 1; i > at && name === undefined; i--) {
    if (v.isIdentifier(i)) name = v.text(i);
    else if (v.isChar(i, Char.closeParen) || v.isChar(i, Char.closeBracket)) {
      // `typedef void (*handler)(int);` names the pointer inside the first parentheses.
      const open = v.findAtDepth(at, end, Char.openParen);
      for (let j = open + 1; open >= 0 && j < v.close[open]!; j++) if (v.isIdentifier(j)) name = v.text(j);
      break;
    }
  }
  if (name !== undefined) {
    const kind: SymbolKind = body < 0 ? 'type' : v.is(at + 1, 'enum') ? 'enum' : 'struct';
    v.add(name, kind, start, end, scope.exported, scope.container);
  }
  return end + 1;
}

/** `class X : Base { ... };`, `struct X { ... } x;`, `enum class E : int { ... };`; -1 when it is not a definition. */
function typeDefinition(v: TokenView, start: number, at: number, to: number, scope: Scope): number {
  const keyword = v.text(at);
  let i = at + 1;
  if (keyword === 'enum' && (v.is(i, 'class') || v.is(i, 'struct'))) i++;
  while (v.isChar(i, Char.openBracket) || v.is(i, '__attribute__') || v.is(i, 'alignas'))
    i = v.step(v.is(i, '__attribute__') || v.is(i, 'alignas') ? i + 1 : i);
  let name: string | undefined;
  while (v.isWord(i) || v.is(i, '::')) {
    if (v.isWord(i) && !v.is(i, 'final')) name = v.text(i);
    i++;
  }
  i = v.skipAngles(i, to);
  // `struct stat st;` or `struct point make(void) {`: the type only names a declaration's type.
  if (!v.isChar(i, Char.openBrace) && !v.isChar(i, Char.colon)) return -1;
  let body = i;
  while (body < to && !v.isChar(body, Char.openBrace) && !v.isChar(body, Char.semicolon)) body = v.step(body);
  if (!v.isChar(body, Char.openBrace)) return semicolon(v, at, to) + 1;
  const close = v.close[body]!;
  const end = semicolon(v, close, to);
  const kind: SymbolKind = keyword === 'class' ? 'class' : keyword === 'enum' ? 'enum' : 'struct';
  if (name !== undefined) {
    v.add(name, kind, start, end, scope.exported, scope.container);
    if (kind !== 'enum')
      v.nested(() =>
        readBlock(v, body + 1, close, { container: name, className: name, exported: scope.exported, defaultPublic: keyword !== 'class' }),
      );
  }
  return end + 1;
}

/** A function, a member function or a variable; anything else is skipped to its end. */
function declaration(v: TokenView, start: number, at: number, to: number, scope: Scope): number {
  let paren = -1;
  let stop = -1;
  for (let i = at; i < to; i = v.step(i)) {
    if (v.isChar(i, Char.semicolon) || (v.isChar(i, Char.openBrace) && paren < 0) || v.isChar(i, Char.equals)) {
      stop = i;
      break;
    }
    if (v.isChar(i, Char.openParen) && paren < 0 && isParameterList(v, i, at)) {
      paren = i;
      break;
    }
  }
  if (paren >= 0) return functionDeclaration(v, start, at, paren, to, scope);
  let end = semicolon(v, at, to);
  if (stop >= 0 && v.isChar(stop, Char.openBrace)) {
    // A brace-initialised variable (`int x{4};`) ends at its `;`; a macro with a block (`TEST(a, b) { }`) at its `}`.
    end = v.isChar(v.close[stop]! + 1, Char.semicolon) ? v.close[stop]! + 1 : v.close[stop]!;
  }
  variable(v, start, at, stop, end, scope);
  return end + 1;
}

/** Whether the `(` at `open` starts a parameter list: a name precedes it, not an attribute, and a type precedes the name. */
function isParameterList(v: TokenView, open: number, at: number): boolean {
  const before = open - 1;
  if (before < at) return false;
  if (v.is(before, 'operator') || (v.kind(before) === TokenKind.Punctuation && operatorStart(v, before, at) >= 0)) return true;
  if (!v.isWord(before) || ATTRIBUTE_WORDS.has(v.text(before))) return false;
  // `MACRO(x) name(...)`: the first group was a macro.
  const after = v.close[open]! + 1;
  if (v.isIdentifier(after) && v.isChar(after + 1, Char.openParen)) return false;
  return before > at || v.isChar(before - 1, Char.tilde);
}

/** The index of `operator` when the tokens before `paren` spell an operator name (`operator==`, `operator[]`), else -1. */
function operatorStart(v: TokenView, end: number, at: number): number {
  for (let i = end; i >= at && i >= end - 3; i--) if (v.is(i, 'operator')) return i;
  return -1;
}

function functionDeclaration(v: TokenView, start: number, at: number, paren: number, to: number, scope: Scope): number {
  const op = operatorStart(v, paren - 1, at);
  let nameStart = op >= 0 ? op : paren - 1;
  let name = op >= 0 ? joined(v, op, paren) : v.text(paren - 1);
  if (v.isChar(nameStart - 1, Char.tilde)) {
    name = '~' + name;
    nameStart--;
  }
  const { qualifier, first } = qualifierBefore(v, nameStart, at);
  const hasType = first > at;
  const { body, end } = functionTail(v, v.close[paren]! + 1, to);
  const inClass = scope.className !== undefined;
  const isStatic = isStaticDeclaration(v, at, nameStart);
  if (inClass) {
    v.add(name, 'method', start, end, scope.exported, scope.className);
  } else if (body >= 0 && (hasType || qualifier.length > 0)) {
    const container = qualifier.length > 0 ? qualifier[qualifier.length - 1] : scope.container;
    v.add(name, qualifier.length > 0 ? 'method' : 'function', start, end, scope.exported && !isStatic, container);
  }
  return end + 1;
}

/** The `A::B<T>::` qualifier before a name at `nameStart` (template arguments dropped), and where the qualified name starts. */
function qualifierBefore(v: TokenView, nameStart: number, at: number): { qualifier: string[]; first: number } {
  const qualifier: string[] = [];
  let first = nameStart;
  for (let i = nameStart - 1; i > at && v.is(i, '::');) {
    let j = i - 1;
    if (v.isChar(j, Char.greater)) {
      let depth = 0;
      for (; j > at; j--) {
        if (v.isChar(j, Char.greater)) depth++;
        else if (v.isChar(j, Char.less) && --depth === 0) break;
      }
      j--;
    }
    if (!v.isWord(j)) break;
    qualifier.unshift(v.text(j));
    first = j;
    i = j - 1;
  }
  return { qualifier, first };
}

function joined(v: TokenView, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += v.text(i);
  return text;
}

function isStaticDeclaration(v: TokenView, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (v.is(i, 'static')) return true;
  return false;
}

/**
 * After a parameter list: qualifiers, a trailing return type, a constructor's initialiser list,
 * then the body `{ }` or the `;` (`= 0;`, `= default;` included). Returns the body's `{` (-1 when
 * there is none) and the declaration's last token.
 */
function functionTail(v: TokenView, from: number, to: number): { body: number; end: number } {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.openBrace)) return { body: i, end: v.close[i]! };
    if (v.isChar(i, Char.semicolon)) return { body: -1, end: i };
    if (v.isChar(i, Char.colon)) {
      i = initializerList(v, i + 1, to);
      continue;
    }
    if (v.isChar(i, Char.less)) {
      i = v.skipAngles(i, to);
      continue;
    }
    if (v.isChar(i, Char.equals)) return { body: -1, end: semicolon(v, i, to) };
    i = v.step(i);
  }
  return { body: -1, end: to - 1 };
}

/** Skips `a(x), b{y}, Base<T>(z)` after a constructor's `:`; returns the index of the body's `{` (or where it stopped). */
function initializerList(v: TokenView, from: number, to: number): number {
  let i = from;
  while (i < to) {
    while (v.isWord(i) || v.is(i, '::')) i++;
    i = v.skipAngles(i, to);
    if (!v.isChar(i, Char.openParen) && !v.isChar(i, Char.openBrace)) return i;
    i = v.step(i);
    if (v.is(i, '...')) i++;
    if (!v.isChar(i, Char.comma)) return i;
    i++;
  }
  return i;
}

/** `int count = 0;`, `static const char *NAME = "x";`, `constexpr int kMax{4};` at file, namespace or (static constants only) class level. */
function variable(v: TokenView, start: number, at: number, stop: number, end: number, scope: Scope): void {
  if (stop < 0) return;
  let nameAt = stop - 1;
  while (nameAt > at && v.isChar(nameAt, Char.closeBracket)) {
    let open = nameAt - 1;
    while (open > at && v.close[open] !== nameAt) open--;
    nameAt = open - 1;
  }
  if (!v.isIdentifier(nameAt) || nameAt <= at) return;
  let isConst = false;
  let isStatic = false;
  for (let i = at; i < nameAt; i++) {
    const word = v.text(i);
    if (word === 'extern' || word === 'friend' || word === 'return' || word === 'typedef' || word === 'using' || word === 'operator')
      return;
    if (
      v.kind(i) === TokenKind.Punctuation &&
      word !== '*' &&
      word !== '&' &&
      word !== '::' &&
      word !== '<' &&
      word !== '>' &&
      word !== ','
    )
      return;
    if (word === 'const' || word === 'constexpr') isConst = true;
    if (word === 'static') isStatic = true;
  }
  const inClass = scope.className !== undefined;
  if (inClass && !(isStatic && isConst) && !v.is(at, 'constexpr')) return;
  const kind: SymbolKind = isConst ? 'constant' : 'variable';
  v.add(v.text(nameAt), kind, start, end, scope.exported && (inClass || !isStatic), scope.className ?? scope.container);
}
