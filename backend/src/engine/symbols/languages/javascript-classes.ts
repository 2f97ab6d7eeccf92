import { TokenKind } from '../../lexing/tokens.js';
import { findBody, statementEnd } from '../statements.js';
import { Char, wordSet, type DraftSymbol, type TokenView } from '../token-view.js';
import { JS_RULES, isFunctionValue, nameAt, skipDecorators, type Scope } from './javascript-syntax.js';

const MEMBER_MODIFIERS = wordSet('public private protected static readonly abstract override declare accessor async');

/** `class Name extends Base { ... }`: the class and its members; returns the index past it. */
export function classDeclaration(v: TokenView, at: number, scope: Scope, hidden: Set<DraftSymbol>): number {
  const { name, next } = nameAt(v, at + 1, 'default');
  const body = findBody(v, next, scope.to, JS_RULES, scope.start);
  if (body < 0) return statementEnd(v, scope.start, scope.to, JS_RULES) + 1;
  const close = v.close[body]!;
  v.add(name, 'class', scope.start, close, scope.exported, scope.container);
  classMembers(v, body + 1, close, name, scope.exported, hidden);
  return close + 1;
}

/** Reads the members of a class body `[from, to)`: the ones with a parameter list become methods. */
function classMembers(v: TokenView, from: number, to: number, className: string, classExported: boolean, hidden: Set<DraftSymbol>): void {
  let i = from;
  while (i < to) {
    if (v.isChar(i, Char.semicolon)) {
      i++;
      continue;
    }
    const start = i;
    i = skipDecorators(v, i, to);
    let isPublic = true;
    while (v.isWord(i) && MEMBER_MODIFIERS.has(v.text(i)) && isMemberNameStart(v, i + 1)) {
      if (v.is(i, 'private') || v.is(i, 'protected')) isPublic = false;
      i++;
    }
    if (v.is(i, 'static') && v.isChar(i + 1, Char.openBrace)) {
      i = v.step(i + 1);
      continue;
    }
    if (v.isChar(i, Char.star)) i++;
    if ((v.is(i, 'get') || v.is(i, 'set')) && isMemberNameStart(v, i + 1)) i++;
    const nameToken = i;
    const name = memberName(v, i);
    i = v.step(i);
    if (v.isChar(i, Char.question) || v.isChar(i, Char.bang)) i++;
    i = v.skipAngles(i, to);
    const isVisible = isPublic && !name?.startsWith('#');
    const addMethod = (memberName: string, last: number): void => {
      const symbol = v.add(memberName, 'method', start, last, classExported && isVisible, className);
      if (!isVisible) hidden.add(symbol);
    };
    if (v.isChar(i, Char.openParen) && name !== undefined) {
      const body = findBody(v, v.step(i), to, JS_RULES, start);
      const last = body >= 0 ? v.close[body]! : statementEnd(v, start, to, JS_RULES, nameToken);
      addMethod(name, last);
      i = last + 1;
      continue;
    }
    const last = statementEnd(v, start, to, JS_RULES, nameToken);
    if (name !== undefined && v.isChar(i, Char.equals) && isFunctionValue(v, i + 1, last + 1)) addMethod(name, last);
    i = Math.max(last + 1, nameToken + 1);
  }
}

/** Whether token `i` can start a member name, so the word before it is a modifier rather than the name. */
function isMemberNameStart(v: TokenView, i: number): boolean {
  return (
    v.isWord(i) ||
    v.kind(i) === TokenKind.String ||
    v.kind(i) === TokenKind.Number ||
    v.isChar(i, Char.openBracket) ||
    v.isChar(i, Char.star)
  );
}

function memberName(v: TokenView, i: number): string | undefined {
  if (v.isWord(i) || v.kind(i) === TokenKind.Number) return v.text(i);
  if (v.kind(i) === TokenKind.String) return v.stringValue(i);
  return undefined;
}
