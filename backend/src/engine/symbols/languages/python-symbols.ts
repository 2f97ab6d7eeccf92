import { TokenKind } from '../../lexing/tokens.js';
import { namingStyle } from '../naming.js';
import type { SymbolKind } from '../symbol-types.js';
import { Char, type DraftSymbol, type TokenView } from '../token-view.js';

/**
 * Python. Blocks are found by indentation: a logical line (brackets joined) indented deeper than
 * a `def` or `class` line belongs to it. Extracted: `def` and `async def` (methods directly in a
 * class body; functions nested in functions are not symbols), classes (an `Enum` subclass is an
 * enum, a `Protocol` an interface), `type X = ...` aliases, and module-level assignments outside
 * any function or class (`NAME = ...`, `name: T = ...`): constants when the name is UPPER_CASE,
 * variables otherwise; dunder names such as `__all__` are skipped. A symbol starts at its first
 * decorator.
 *
 * Exported: a module-level name is exported when it is listed in `__all__`, or when the module
 * has no `__all__` and the name does not start with `_`. A member is exported when its class is
 * and its name does not start with `_` (dunder methods such as `__init__` count as exported).
 *
 * Imports: `import a.b` (names `*`), `from m import x, y` (the names), `from . import x`
 * (module `.`), wherever they appear in the file.
 */
export function extractPython(v: TokenView): void {
  const { lines, indents } = logicalLines(v);
  const stack: Block[] = [];
  const all = dunderAll(v, lines);
  let decorators = -1;
  for (let index = 0; index < lines.length; index++) {
    const first = lines[index]!;
    const last = (lines[index + 1] ?? v.count) - 1;
    const indent = indents[index]!;
    while (stack.length > 0 && indent <= stack[stack.length - 1]!.indent) close(v, stack.pop()!, first - 1);
    if (v.isChar(first, Char.at)) {
      if (decorators < 0) decorators = first;
      continue;
    }
    const start = decorators >= 0 ? decorators : first;
    decorators = -1;
    const owner = enclosing(stack);
    const block = readLine(v, first, last, start, owner, all);
    if (block !== undefined) stack.push({ ...block, indent });
    else if (v.isChar(last, Char.colon)) stack.push({ indent, kind: 'other' });
  }
  while (stack.length > 0) close(v, stack.pop()!, v.count - 1);
}

interface Block {
  readonly indent: number;
  readonly kind: 'class' | 'def' | 'other';
  readonly name?: string;
  readonly exported?: boolean;
  readonly symbol?: DraftSymbol;
}

/** The innermost `def` or `class` around the current line, if any. */
function enclosing(stack: readonly Block[]): Block | undefined {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.kind !== 'other') return stack[i];
  return undefined;
}

function close(v: TokenView, block: Block, lastToken: number): void {
  if (block.symbol !== undefined) block.symbol.endLine = Math.max(block.symbol.startLine, v.endLine(lastToken));
}

/** Reads one logical line `[first, last]`; returns the block it opens when it is a `def` or `class`. */
function readLine(
  v: TokenView,
  first: number,
  last: number,
  start: number,
  owner: Block | undefined,
  all: Set<string> | undefined,
): Omit<Block, 'indent'> | undefined {
  readImport(v, first, last);
  let i = first;
  if (v.is(i, 'async') && v.is(i + 1, 'def')) i++;
  const isDef = v.is(i, 'def');
  if ((isDef || v.is(i, 'class')) && v.isWord(i + 1)) {
    const name = v.text(i + 1);
    const kind = isDef ? 'def' : 'class';
    if (owner?.kind === 'def') return { kind };
    const exported = owner === undefined ? isModuleExport(name, all) : owner.exported === true && isPublicMember(name);
    const symbolKind: SymbolKind = isDef ? (owner === undefined ? 'function' : 'method') : classKind(v, i + 2, last);
    const symbol = v.add(name, symbolKind, start, last, exported, owner?.name);
    return { kind, name, exported, symbol };
  }
  if (owner !== undefined || !v.isIdentifier(first)) return undefined;
  if (v.is(first, 'type') && v.isIdentifier(first + 1) && (v.isChar(first + 2, Char.equals) || v.isChar(first + 2, Char.openBracket))) {
    const name = v.text(first + 1);
    v.add(name, 'type', first, last, isModuleExport(name, all));
    return undefined;
  }
  const name = v.text(first);
  const assigns = v.isChar(first + 1, Char.equals) || (v.isChar(first + 1, Char.colon) && first + 1 < last);
  if (assigns && !/^__.*__$/.test(name))
    v.add(name, namingStyle(name) === 'UPPER_CASE' ? 'constant' : 'variable', first, last, isModuleExport(name, all));
  return undefined;
}

const ENUM_BASES = new Set(['Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag']);

/** `class X(Enum)` is an enum and `class X(Protocol)` an interface; any other class is a class. */
function classKind(v: TokenView, from: number, last: number): SymbolKind {
  if (!v.isChar(from, Char.openParen)) return 'class';
  const close = Math.min(v.close[from]!, last);
  for (let i = from + 1; i < close; i++) {
    if (!v.isIdentifier(i) || v.isChar(i + 1, Char.dot) || v.isChar(i + 1, Char.equals)) continue;
    const base = v.text(i);
    if (ENUM_BASES.has(base)) return 'enum';
    if (base === 'Protocol') return 'interface';
  }
  return 'class';
}

function isModuleExport(name: string, all: Set<string> | undefined): boolean {
  return all === undefined ? !name.startsWith('_') : all.has(name);
}

function isPublicMember(name: string): boolean {
  return !name.startsWith('_') || /^__.*__$/.test(name);
}

/** `import a.b as c, d` and `from .m import (x, y as z)`. */
function readImport(v: TokenView, first: number, last: number): void {
  if (v.is(first, 'import')) {
    let module = '';
    for (let i = first + 1; i <= last + 1; i++) {
      if (i > last || v.isChar(i, Char.comma)) {
        if (module !== '') v.addImport(module, ['*'], first);
        module = '';
      } else if (v.is(i, 'as')) i++;
      else module += v.text(i);
    }
    return;
  }
  if (!v.is(first, 'from')) return;
  let i = first + 1;
  let module = '';
  for (; i <= last && !v.is(i, 'import'); i++) module += v.text(i);
  const names: string[] = [];
  let expectName = true;
  for (i++; i <= last; i++) {
    if (v.isChar(i, Char.comma)) expectName = true;
    else if (expectName && (v.isWord(i) || v.isChar(i, Char.star))) {
      names.push(v.text(i));
      expectName = false;
    }
  }
  if (module !== '') v.addImport(module, names, first);
}

/**
 * The first token of every logical line (a token on a later line than the previous token, outside
 * brackets and not after a backslash continuation, or a statement after `;`) and its indentation.
 */
function logicalLines(v: TokenView): { lines: number[]; indents: number[] } {
  const lines: number[] = [];
  const indents: number[] = [];
  let depth = 0;
  for (let i = 0; i < v.count; i++) {
    const newLine = i === 0 || (v.line(i) > v.endLine(i - 1) && depth === 0 && !v.isChar(i - 1, Char.backslash));
    // Statements after `;` share their line's indentation.
    if (newLine || (depth === 0 && v.isChar(i - 1, Char.semicolon))) {
      lines.push(i);
      indents.push(newLine ? v.column(i) : indents[indents.length - 1]!);
    }
    if (v.kind(i) !== TokenKind.Punctuation) continue;
    if (v.isChar(i, Char.openParen) || v.isChar(i, Char.openBracket) || v.isChar(i, Char.openBrace)) depth++;
    else if (depth > 0 && (v.isChar(i, Char.closeParen) || v.isChar(i, Char.closeBracket) || v.isChar(i, Char.closeBrace))) depth--;
  }
  return { lines, indents };
}

/** The names listed in a module-level `__all__ = [...]`, or undefined when the module has none. */
function dunderAll(v: TokenView, lines: readonly number[]): Set<string> | undefined {
  for (const first of lines) {
    if (v.column(first) !== 0 || !v.is(first, '__all__')) continue;
    if (!v.isChar(first + 1, Char.equals) && !v.is(first + 1, '+=')) continue;
    const open = first + 2;
    if (!v.isChar(open, Char.openBracket) && !v.isChar(open, Char.openParen)) continue;
    const names = new Set<string>();
    for (let i = open + 1; i < v.close[open]!; i++) if (v.kind(i) === TokenKind.String) names.add(v.stringValue(i));
    return names;
  }
  return undefined;
}
