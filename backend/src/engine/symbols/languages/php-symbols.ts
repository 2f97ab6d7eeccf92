import { TokenKind } from '../../lexing/tokens.js';
import type { SymbolKind } from '../symbol-types.js';
import { Char, wordSet, type TokenView } from '../token-view.js';

/**
 * PHP (keywords in any case). Extracted: functions, classes, interfaces, traits, enums (their
 * `case`s as constants), methods, class constants, top-level `const X = ...` and
 * `define('X', ...)` (constants), and namespaces (modules containing what follows them: a
 * `namespace A;` statement covers the rest of the file, a `namespace A { }` block its body).
 * Properties and function bodies are not searched (functions declared inside `if` blocks are not
 * found). A symbol starts at its first attribute.
 *
 * Exported: functions, types and top-level constants always; methods and class constants unless
 * declared `private` or `protected` (PHP's default visibility is public).
 *
 * Imports: `use A\B\C` (module `A\B`, names `C`; grouped `use A\{B, C}` gives `A` with both),
 * `use function`/`use const` likewise, and `require`/`include` (`_once` too) with the string
 * parts of their argument as the module (no names).
 */
export function extractPhp(v: TokenView): void {
  readBlock(v, 0, v.count, undefined);
}

function word(v: TokenView, i: number): string {
  return v.isWord(i) ? v.text(i).toLowerCase() : '';
}

const MODIFIERS = wordSet('public private protected static abstract final readonly var');
const TYPE_KINDS: Readonly<Record<string, SymbolKind>> = { class: 'class', interface: 'interface', trait: 'trait', enum: 'enum' };
const INCLUDES = new Set(['require', 'require_once', 'include', 'include_once']);

interface Head {
  readonly start: number;
  readonly at: number;
  readonly modifiers: ReadonlySet<string>;
}

/** Skips attributes (`#[...]`) and modifiers. */
function readHead(v: TokenView, start: number, to: number): Head {
  const modifiers = new Set<string>();
  let i = start;
  while (i < to) {
    if (v.is(i, '#[')) {
      let depth = 1;
      for (i++; i < to && depth > 0; i++) {
        if (v.isChar(i, Char.openBracket)) depth++;
        else if (v.isChar(i, Char.closeBracket)) depth--;
      }
    } else if (MODIFIERS.has(word(v, i)) && v.isWord(i + 1)) {
      modifiers.add(word(v, i));
      i++;
    } else break;
  }
  return { start, at: i, modifiers };
}

function semicolon(v: TokenView, from: number, to: number): number {
  const at = v.findAtDepth(from, to, Char.semicolon);
  return at < 0 ? to - 1 : at;
}

/** The end of a statement: its `;`, or the `}` of its first brace group. */
function statementEnd(v: TokenView, from: number, to: number): number {
  for (let i = from; i < to; i = v.step(i)) {
    if (v.isChar(i, Char.semicolon)) return i;
    if (v.isChar(i, Char.openBrace)) return v.close[i]!;
  }
  return to - 1;
}

/** Reads top-level or namespace-level statements in `[from, to)`. */
function readBlock(v: TokenView, from: number, to: number, namespace: string | undefined): void {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon)) {
      i++;
      continue;
    }
    const head = readHead(v, i, to);
    i = Math.max(topLevel(v, head, to, namespace), i + 1);
  }
}

function topLevel(v: TokenView, head: Head, to: number, namespace: string | undefined): number {
  const { start, at } = head;
  const keyword = word(v, at);
  if (keyword === 'namespace' && !v.is(at + 1, '\\')) {
    const { name, next } = qualifiedName(v, at + 1, to);
    if (v.isChar(next, Char.openBrace)) {
      const close = v.close[next]!;
      v.add(name, 'module', start, close, true);
      v.nested(() => readBlock(v, next + 1, close, name));
      return close + 1;
    }
    v.add(name, 'module', start, to - 1, true);
    readBlock(v, next + 1, to, name);
    return to;
  }
  if (keyword === 'use') return useStatement(v, at, to);
  if (keyword === 'function' && (v.isWord(at + 1) || (v.isChar(at + 1, Char.ampersand) && v.isWord(at + 2)))) {
    const nameAt = v.isChar(at + 1, Char.ampersand) ? at + 2 : at + 1;
    const end = statementEnd(v, at, to);
    v.add(v.text(nameAt), 'function', start, end, true, namespace);
    return end + 1;
  }
  if (TYPE_KINDS[keyword] !== undefined && v.isWord(at + 1)) return typeDeclaration(v, head, to, namespace);
  if (keyword === 'const') return constants(v, head, to, namespace, true);
  const end = statementEnd(v, at, to);
  if (INCLUDES.has(keyword)) {
    let module = '';
    for (let i = at + 1; i <= end; i++) if (v.kind(i) === TokenKind.String) module += v.stringValue(i);
    if (module !== '') v.addImport(module, [], at);
  } else if (keyword === 'define' && v.isChar(at + 1, Char.openParen) && v.kind(at + 2) === TokenKind.String) {
    v.add(v.stringValue(at + 2), 'constant', start, end, true, namespace);
  }
  return end + 1;
}

function qualifiedName(v: TokenView, from: number, to: number): { name: string; next: number } {
  let name = '';
  let i = from;
  if (v.is(i, '\\')) i++;
  // Words joined by backslashes: `A\B\C`, or `A\B\` before a group.
  while (i < to && v.isWord(i)) {
    name += v.text(i++);
    if (!v.is(i, '\\')) break;
    name += '\\';
    i++;
  }
  return { name, next: i };
}

/** `use A\B\C as D, E\F;`, `use function A\b;`, `use A\{B, C as D};`. */
function useStatement(v: TokenView, at: number, to: number): number {
  const end = semicolon(v, at, to);
  let i = at + 1;
  if (word(v, i) === 'function' || word(v, i) === 'const') i++;
  while (i < end) {
    const { name, next } = qualifiedName(v, i, end);
    if (v.isChar(next, Char.openBrace)) {
      const close = v.close[next]!;
      const names: string[] = [];
      for (let j = next + 1; j < close; j++) {
        const item = qualifiedName(v, j, close);
        if (item.name !== '') names.push(item.name);
        j = item.next;
        while (j < close && !v.isChar(j, Char.comma)) j++;
      }
      v.addImport(name.replace(/\\$/, ''), names, at);
      i = close + 1;
    } else {
      const slash = name.lastIndexOf('\\');
      if (name !== '') v.addImport(slash > 0 ? name.slice(0, slash) : name, [slash > 0 ? name.slice(slash + 1) : '*'], at);
      i = next;
    }
    while (i < end && !v.isChar(i, Char.comma)) i++;
    i++;
  }
  return end + 1;
}

function typeDeclaration(v: TokenView, head: Head, to: number, namespace: string | undefined): number {
  const { start, at } = head;
  const name = v.text(at + 1);
  const body = v.findAtDepth(at + 2, to, Char.openBrace, Char.semicolon);
  if (body < 0 || !v.isChar(body, Char.openBrace)) return statementEnd(v, at, to) + 1;
  const close = v.close[body]!;
  v.add(name, TYPE_KINDS[word(v, at)]!, start, close, true, namespace);
  readMembers(v, body + 1, close, name);
  return close + 1;
}

function readMembers(v: TokenView, from: number, to: number, typeName: string): void {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon)) {
      i++;
      continue;
    }
    const head = readHead(v, i, to);
    const { at } = head;
    const keyword = word(v, at);
    const exported = !head.modifiers.has('private') && !head.modifiers.has('protected');
    let next: number;
    if (keyword === 'function') {
      const nameAt = v.isChar(at + 1, Char.ampersand) ? at + 2 : at + 1;
      const end = statementEnd(v, at, to);
      if (v.isWord(nameAt)) v.add(v.text(nameAt), 'method', head.start, end, exported, typeName);
      next = end + 1;
    } else if (keyword === 'const') next = constants(v, head, to, typeName, exported);
    else if (keyword === 'case') {
      const end = semicolon(v, at, to);
      if (v.isWord(at + 1)) v.add(v.text(at + 1), 'constant', head.start, end, true, typeName);
      next = end + 1;
    } else next = statementEnd(v, at, to) + 1;
    i = Math.max(next, i + 1);
  }
}

/** `const A = 1, B = 2;` (a type may precede the name in PHP 8.3). */
function constants(v: TokenView, head: Head, to: number, container: string | undefined, exported: boolean): number {
  const end = semicolon(v, head.at, to);
  let first = true;
  for (let i = head.at + 1; i < end; i = v.step(i)) {
    if (!v.isChar(i, Char.equals) || !v.isWord(i - 1)) continue;
    v.add(v.text(i - 1), 'constant', first ? head.start : i - 1, end, exported, container);
    first = false;
    const comma = v.findAtDepth(i, end, Char.comma);
    if (comma < 0) break;
    i = comma;
  }
  return end + 1;
}
