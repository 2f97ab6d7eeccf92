import { TokenKind } from '../../lexing/tokens.js';
import { Char, wordSet, type DraftSymbol, type TokenView } from '../token-view.js';

/**
 * Ruby. Blocks are matched keyword to `end`: `def`, `class`, `module`, `case`, `begin`, `for`,
 * `do`, and `if`/`unless`/`while`/`until` when they start a statement (not as modifiers, `x if y`);
 * the `do` of `while x do` belongs to its loop. Extracted: methods (`def x`, `def self.x`, endless
 * `def x = ...`; a `def` outside any class or module is a function; methods nested in methods are
 * not symbols), classes, modules (`class A::B` is named `B` in container `A`), and constants
 * (`NAME = ...` outside methods). Methods in `class << self` belong to the enclosing class.
 *
 * Exported: classes, modules, constants and top-level functions always; methods unless they follow
 * a bare `private` or `protected` in their class, are defined as `private def x`, or are named in
 * `private :x`.
 *
 * Imports: `require`, `require_relative` and `load` with a string argument (no names).
 */
export function extractRuby(v: TokenView): void {
  const stack: Frame[] = [];
  let loopLine = -1;
  for (let i = 0; i < v.count; i++) {
    if (v.kind(i) === TokenKind.Identifier) {
      i = identifierStatement(v, i, stack);
      continue;
    }
    if (v.kind(i) !== TokenKind.Keyword) continue;
    switch (v.text(i)) {
      case 'def':
        i = methodDefinition(v, i, stack);
        break;
      case 'class':
      case 'module':
        i = typeDefinition(v, i, stack);
        break;
      case 'while':
      case 'until':
      case 'for':
        if (startsStatement(v, i)) {
          stack.push({ kind: 'other' });
          loopLine = v.line(i);
        }
        break;
      case 'if':
      case 'unless':
        if (startsStatement(v, i)) stack.push({ kind: 'other' });
        break;
      case 'case':
      case 'begin':
        stack.push({ kind: 'other' });
        break;
      case 'do':
        if (loopLine === v.line(i)) loopLine = -1;
        else stack.push({ kind: 'other' });
        break;
      case 'end': {
        const frame = stack.pop();
        if (frame?.symbol !== undefined) frame.symbol.endLine = v.endLine(i);
        break;
      }
    }
  }
  for (const frame of stack) if (frame.symbol !== undefined) frame.symbol.endLine = v.endLine(v.count - 1);
}

interface Frame {
  readonly kind: 'def' | 'class' | 'module' | 'singleton' | 'other';
  readonly name?: string;
  readonly symbol?: DraftSymbol;
  /** Set by a bare `private`/`protected` in a class body: later methods are not exported. */
  hidden?: boolean;
}

/** Words after which a keyword starts an expression rather than modifying a statement. */
const EXPRESSION_STARTS = wordSet('; ( [ { , | || && ! ? : << and or not then else do begin');

/** Whether the keyword at `i` starts a statement or an expression (`x = if ...`), so it needs an `end`. */
function startsStatement(v: TokenView, i: number): boolean {
  if (i === 0 || v.line(i) > v.endLine(i - 1)) return true;
  const previous = v.text(i - 1);
  return (
    EXPRESSION_STARTS.has(previous) ||
    (v.kind(i - 1) === TokenKind.Punctuation && previous.endsWith('=') && previous !== '==' && previous !== '!=')
  );
}

/** The innermost class or module frame (a singleton class counts as its enclosing class), and whether a method body encloses it. */
function owner(stack: readonly Frame[]): { type: Frame | undefined; inMethod: boolean } {
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]!;
    if (frame.kind === 'def') return { type: undefined, inMethod: true };
    if (frame.kind === 'class' || frame.kind === 'module') return { type: frame, inMethod: false };
  }
  return { type: undefined, inMethod: false };
}

function methodDefinition(v: TokenView, at: number, stack: Frame[]): number {
  let i = at + 1;
  if ((v.is(i, 'self') || v.isWord(i)) && v.isChar(i + 1, Char.dot)) i += 2;
  let name = v.text(i);
  if (v.isChar(i, Char.openBracket) && v.isChar(i + 1, Char.closeBracket)) {
    name = '[]';
    i++;
    if (v.isChar(i + 1, Char.equals) && v.touches(i)) {
      name = '[]=';
      i++;
    }
  } else if (v.isWord(i) && v.isChar(i + 1, Char.equals) && v.touches(i) && v.isChar(i + 2, Char.openParen)) {
    name += '=';
    i++;
  }
  i++;
  if (v.isChar(i, Char.openParen)) i = v.step(i);
  const endless = v.isChar(i, Char.equals);
  const { type, inMethod } = owner(stack);
  const privateDef = v.is(at - 1, 'private') || v.is(at - 1, 'protected');
  const exported = type === undefined ? true : type.hidden !== true && !privateDef;
  const kind = type === undefined ? 'function' : 'method';
  if (endless) {
    const last = lineEnd(v, i);
    if (!inMethod) v.add(name, kind, at, last, exported, type?.name);
    return last;
  }
  const symbol = inMethod ? undefined : v.add(name, kind, at, at, exported, type?.name);
  stack.push({ kind: 'def', ...(symbol === undefined ? {} : { symbol }) });
  return i - 1;
}

function typeDefinition(v: TokenView, at: number, stack: Frame[]): number {
  if (v.is(at + 1, '<<')) {
    stack.push({ kind: 'singleton' });
    return at + 1;
  }
  const { type, inMethod } = owner(stack);
  const path: string[] = [];
  let i = at + 1;
  if (v.is(i, '::')) i++;
  while (v.isWord(i)) {
    path.push(v.text(i));
    if (!v.is(i + 1, '::')) break;
    i += 2;
  }
  const name = path.pop();
  if (name === undefined) return at;
  const kind = v.text(at) === 'class' ? 'class' : 'module';
  const container = path.length > 0 ? path.join('::') : type?.name;
  const symbol = inMethod ? undefined : v.add(name, kind, at, at, true, container);
  stack.push({ kind, name, ...(symbol === undefined ? {} : { symbol }) });
  return i;
}

/** `require 'x'`, `private` sections, `private :a, :b`, and `CONSTANT = value`. */
function identifierStatement(v: TokenView, i: number, stack: Frame[]): number {
  const word = v.text(i);
  const atStart = i === 0 || v.line(i) > v.endLine(i - 1) || v.isChar(i - 1, Char.semicolon);
  if (!atStart) return i;
  if (word === 'require' || word === 'require_relative' || word === 'load') {
    const argument = v.isChar(i + 1, Char.openParen) ? i + 2 : i + 1;
    if (v.kind(argument) === TokenKind.String) v.addImport(v.stringValue(argument), [], i);
    return i;
  }
  const { type, inMethod } = owner(stack);
  if ((word === 'private' || word === 'protected' || word === 'public') && type !== undefined && !inMethod) {
    const bare = i + 1 >= v.count || v.line(i + 1) > v.line(i) || v.isChar(i + 1, Char.semicolon);
    if (bare) type.hidden = word !== 'public';
    else if (word !== 'public') hideNamedMethods(v, i + 1, type.name);
    return i;
  }
  const first = word.charCodeAt(0);
  if (first >= 65 && first <= 90 && v.isChar(i + 1, Char.equals) && !inMethod) {
    v.add(word, 'constant', i, lineEnd(v, i), true, type?.name);
  }
  return i;
}

/** `private :a, :b` hides the named methods of the class already read. */
function hideNamedMethods(v: TokenView, from: number, container: string | undefined): void {
  const line = v.line(from);
  for (let j = from; j < v.count && v.line(j) === line; j++) {
    if (v.kind(j) !== TokenKind.String) continue;
    const name = v
      .text(j)
      .replace(/^:/, '')
      .replace(/^["']|["']$/g, '');
    for (const symbol of v.symbols)
      if (symbol.container === container && symbol.name === name && symbol.kind === 'method') symbol.exported = false;
  }
}

/** The last token of the line `from` is on, brackets followed across lines. */
function lineEnd(v: TokenView, from: number): number {
  let last = from;
  for (let j = from; j < v.count && v.line(j) <= v.endLine(last); j = v.step(j)) last = Math.min(v.step(j), v.count) - 1;
  return last;
}
