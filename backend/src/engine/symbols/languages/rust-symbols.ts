import { TokenKind } from '../../lexing/tokens.js';
import type { SymbolKind } from '../symbol-types.js';
import { SEMICOLON_RULES, findBody } from '../statements.js';
import { Char, type TokenView } from '../token-view.js';

/**
 * Rust. Items are read at module level and inside `mod`, `impl`, `trait` and `extern` blocks;
 * function bodies are not searched. Extracted: `fn` (a method inside `impl` or `trait`, with the
 * implemented type or the trait as container), `struct` and `union` (struct), `enum`, `trait`,
 * `type` aliases, `const` and `static` (constants; `static mut` is a variable), and `mod`
 * (module, its items contained in it). A symbol starts at its first attribute.
 *
 * Exported: declared `pub` (`pub(crate)`, `pub(super)` and `pub(in ...)` are crate-internal and
 * do not count). Items of a trait, and of an `impl Trait for Type`, are exported when the trait
 * or type is visible: they have no visibility of their own, so they count as exported.
 *
 * Imports: `use` trees, one import per module path (`use a::{b, c::d}` gives `a` with `b` and
 * `a::c` with `d`; a glob gives `*`), and `extern crate x` (module `x`, names `*`).
 */
export function extractRust(v: TokenView): void {
  readItems(v, 0, v.count, { inType: false, membersExported: false });
}

/** Where items are being read. */
interface Scope {
  /** The enclosing `mod`, trait or implemented type. */
  readonly container?: string;
  /** Whether the items belong to a trait or an `impl` (their functions are methods). */
  readonly inType: boolean;
  /** Whether items without `pub` are exported anyway (trait items, trait impl items). */
  readonly membersExported: boolean;
}

interface ItemHead {
  /** First token of the item: its first attribute, visibility or keyword. */
  readonly start: number;
  /** The item's keyword. */
  readonly at: number;
  readonly isPub: boolean;
}

function readItems(v: TokenView, from: number, to: number, scope: Scope): void {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon)) {
      i++;
      continue;
    }
    const head = readHead(v, i, to);
    const next = readItem(v, head, to, scope);
    i = Math.max(next, i + 1);
  }
}

/** Skips attributes (`#[...]`, `#![...]`), visibility and qualifiers (`async`, `const fn`, `unsafe`, `extern "C"`, `default`). */
function readHead(v: TokenView, start: number, to: number): ItemHead {
  let i = start;
  for (;;) {
    if (
      v.isChar(i, Char.hash) &&
      (v.isChar(i + 1, Char.openBracket) || (v.isChar(i + 1, Char.bang) && v.isChar(i + 2, Char.openBracket)))
    ) {
      i = v.step(v.isChar(i + 1, Char.bang) ? i + 2 : i + 1);
      continue;
    }
    break;
  }
  let isPub = false;
  if (v.is(i, 'pub')) {
    isPub = !v.isChar(i + 1, Char.openParen);
    i = v.isChar(i + 1, Char.openParen) ? v.step(i + 1) : i + 1;
  }
  while (i < to) {
    if (
      v.is(i, 'async') ||
      v.is(i, 'unsafe') ||
      v.is(i, 'default') ||
      (v.is(i, 'const') && (v.is(i + 1, 'fn') || v.is(i + 1, 'unsafe') || v.is(i + 1, 'async')))
    )
      i++;
    else if (v.is(i, 'extern') && v.kind(i + 1) === TokenKind.String && !v.isChar(i + 2, Char.openBrace)) i += 2;
    else break;
  }
  return { start, at: i, isPub };
}

/** Reads the item at `head`; returns the index just past it. */
function readItem(v: TokenView, head: ItemHead, to: number, scope: Scope): number {
  const { start, at } = head;
  const { container } = scope;
  const exported = head.isPub || scope.membersExported;
  const keyword = v.isWord(at) ? v.text(at) : '';
  const name = v.isWord(at + 1) ? v.text(at + 1) : undefined;
  switch (keyword) {
    case 'fn':
      return named(v, head, to, name, scope.inType ? 'method' : 'function', exported, container);
    case 'struct':
    case 'union':
      return named(v, head, to, name, 'struct', exported, container);
    case 'enum':
      return named(v, head, to, name, 'enum', exported, container);
    case 'type':
      return named(v, head, to, name, 'type', exported, container);
    case 'trait': {
      const end = named(v, head, to, name, 'trait', exported, container);
      const body = findBody(v, at + 2, end, SEMICOLON_RULES);
      if (body >= 0 && name !== undefined)
        v.nested(() => readItems(v, body + 1, v.close[body]!, { container: name, inType: true, membersExported: exported }));
      return end;
    }
    case 'mod': {
      const end = named(v, head, to, name, 'module', exported, container);
      if (v.isChar(at + 2, Char.openBrace) && name !== undefined)
        v.nested(() => readItems(v, at + 3, v.close[at + 2]!, { container: name, inType: false, membersExported: false }));
      return end;
    }
    case 'const':
    case 'static': {
      const isMut = v.is(at + 1, 'mut');
      const constName = v.isWord(at + (isMut ? 2 : 1)) ? v.text(at + (isMut ? 2 : 1)) : undefined;
      return named(v, head, to, constName === '_' ? undefined : constName, isMut ? 'variable' : 'constant', exported, container);
    }
    case 'impl':
      return implBlock(v, at, to);
    case 'extern':
      if (v.is(at + 1, 'crate') && v.isWord(at + 2)) v.addImport(v.text(at + 2), ['*'], start);
      if (v.kind(at + 1) === TokenKind.String && v.isChar(at + 2, Char.openBrace)) {
        v.nested(() => readItems(v, at + 3, v.close[at + 2]!, scope));
        return v.close[at + 2]! + 1;
      }
      if (v.isChar(at + 1, Char.openBrace)) {
        v.nested(() => readItems(v, at + 2, v.close[at + 1]!, scope));
        return v.close[at + 1]! + 1;
      }
      return itemEnd(v, at, to) + 1;
    case 'use': {
      const end = itemEnd(v, at, to);
      useTree(v, at + 1, end, [], start);
      return end + 1;
    }
    default:
      return itemEnd(v, at, to) + 1;
  }
}

/** Adds a named item spanning to its body's `}` or its `;`; returns the index past it. */
function named(
  v: TokenView,
  head: ItemHead,
  to: number,
  name: string | undefined,
  kind: SymbolKind,
  exported: boolean,
  container: string | undefined,
): number {
  const end = itemEnd(v, head.at, to);
  if (name !== undefined) v.add(name, kind, head.start, end, exported, container);
  return end + 1;
}

/** The last token of the item at `at`: its first `;` at item depth, or the `}` closing its first brace group. */
function itemEnd(v: TokenView, at: number, to: number): number {
  const body = findBody(v, at + 1, to, SEMICOLON_RULES);
  if (body >= 0) return v.close[body]!;
  for (let i = at; i < to; i = v.step(i)) {
    if (v.isChar(i, Char.semicolon)) return i;
    if (v.isChar(i, Char.openBrace)) return v.close[i]!;
  }
  return to - 1;
}

/** `impl<T> Trait for Type<T> where ... { items }`: reads the items with the implemented type as container. */
function implBlock(v: TokenView, at: number, to: number): number {
  const body = findBody(v, at + 1, to, SEMICOLON_RULES);
  if (body < 0) return itemEnd(v, at, to) + 1;
  let i = v.skipAngles(at + 1, body);
  let forTrait = false;
  for (let j = i; j < body; j = v.step(j)) {
    if (v.is(j, 'for')) {
      i = j + 1;
      forTrait = true;
    }
  }
  let type: string | undefined;
  for (let j = i; j < body; j++) {
    if (v.isChar(j, Char.less) || v.is(j, 'where')) break;
    if (v.isIdentifier(j) && !v.text(j).startsWith("'")) type = v.text(j);
  }
  v.nested(() => readItems(v, body + 1, v.close[body]!, { container: type ?? 'impl', inType: true, membersExported: forTrait }));
  return v.close[body]! + 1;
}

/** Reads a `use` tree from `from` to `end` (its `;`) under `prefix`, adding one import per module path. */
function useTree(v: TokenView, from: number, end: number, prefix: string[], at: number): void {
  const groups = new Map<string, string[]>();
  walkUse(v, from, end, prefix, groups);
  for (const [module, names] of groups) v.addImport(module, names, at);
}

function walkUse(v: TokenView, from: number, end: number, prefix: string[], groups: Map<string, string[]>): void {
  const path = [...prefix];
  for (let i = from; i < end; i++) {
    if (v.is(i, '::')) continue;
    if (v.isChar(i, Char.openBrace)) {
      const close = Math.min(v.close[i]!, end);
      let itemStart = i + 1;
      for (let j = i + 1; j <= close; j = v.step(j)) {
        if (j === close || v.isChar(j, Char.comma)) {
          if (j > itemStart) walkUse(v, itemStart, j, path, groups);
          itemStart = j + 1;
        }
      }
      return;
    }
    if (v.isChar(i, Char.star)) {
      addUse(groups, path.join('::'), '*');
      return;
    }
    if (v.is(i, 'as')) break;
    if (v.isWord(i)) path.push(v.text(i));
  }
  if (path.length === 0) return;
  if (path.length === 1) addUse(groups, path[0]!, '*');
  else addUse(groups, path.slice(0, -1).join('::'), path[path.length - 1]!);
}

function addUse(groups: Map<string, string[]>, module: string, name: string): void {
  const names = groups.get(module);
  if (names === undefined) groups.set(module, [name]);
  else names.push(name);
}
