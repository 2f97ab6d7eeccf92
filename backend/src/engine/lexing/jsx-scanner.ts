import { identifierEnd, identifierTable, isIdentifierStart } from './character-classes.js';
import { JsContext, type ContextStack } from './javascript-contexts.js';
import type { Scanner } from './scanner.js';
import { TokenKind } from './tokens.js';

/** JSX names may contain `-` (`data-id`, `aria-label`). */
const JSX_NAMES = identifierTable('$-');
const NAME_START = identifierTable('$');

/** The JavaScript lexer's state that JSX scanning reads and updates. */
export interface JsxHost {
  readonly s: Scanner;
  readonly contexts: ContextStack;
  /** Depth of `{` in code; a JSX `{` expression records it to find its matching `}`. */
  braceDepth: number;
  /** Whether a `/` in code would start a regular expression; a finished element is an operand. */
  regexAllowed: boolean;
}

/**
 * Scans inside a JSX opening or closing tag until the tag ends or a `{` expression begins: names
 * (`div`, `data-id`, `Foo.Bar`, `svg:rect`), `=`, attribute strings (no escapes, may span lines),
 * `/>` and `>`. Anything else means the `<` was not JSX after all (a TSX generic arrow such as
 * `<T,>() => x`, or `<T extends X>`): the tag is abandoned and code scanning resumes at that
 * character, so a misguess costs a few tokens, never the rest of the file.
 */
export function scanJsxTag(host: JsxHost): void {
  const s = host.s;
  const text = s.text;
  const end = s.end;
  while (s.pos < end) {
    const start = s.pos;
    const c = text.charCodeAt(start);
    if (c === 32 || c === 9 || c === 11 || c === 12) {
      s.pos = start + 1;
      continue;
    }
    if (c === 10 || c === 13) {
      s.breakLine();
      continue;
    }
    if (isIdentifierStart(NAME_START, c)) {
      const nameEnd = identifierEnd(text, start + 1, end, JSX_NAMES);
      if (nameEnd - start === 7 && text.startsWith('extends', start)) break;
      s.pos = nameEnd;
      s.emit(TokenKind.Identifier, start);
      continue;
    }
    switch (c) {
      case 61:
      case 46:
      case 58:
        s.pos = start + 1;
        s.emit(TokenKind.Punctuation, start);
        continue;
      case 34:
      case 39: {
        const line = s.line;
        const column = start - s.lineStart;
        s.pos = start + 1;
        s.scanVerbatim(c);
        s.emitSpan(TokenKind.String, start, line, column);
        continue;
      }
      case 123:
        s.pos = start + 1;
        s.emit(TokenKind.Punctuation, start);
        host.contexts.push(JsContext.JsxExpression, host.braceDepth);
        host.regexAllowed = true;
        return;
      case 62:
        s.pos = start + 1;
        s.emit(TokenKind.Punctuation, start);
        if (host.contexts.top() === JsContext.JsxTag) host.contexts.replaceTop(JsContext.JsxChildren);
        else host.contexts.pop();
        host.regexAllowed = false;
        return;
      case 47: {
        const next = text.charCodeAt(start + 1);
        if (next === 62) {
          s.pos = start + 2;
          s.emit(TokenKind.Punctuation, start);
          host.contexts.pop();
          host.regexAllowed = false;
          return;
        }
        if (next === 47) {
          s.skipToLineEnd();
          continue;
        }
        if (next === 42) {
          s.skipBlockComment(false);
          continue;
        }
      }
    }
    break;
  }
  if (s.pos < end) host.contexts.pop();
}

/**
 * Scans an element's children up to the next `<` or `{`: the text between tags is emitted as one
 * String token, trimmed of surrounding whitespace (whitespace-only text emits nothing). `</`
 * starts the closing tag, `<` a child element or fragment, `{` an expression.
 */
export function scanJsxChildren(host: JsxHost): void {
  const s = host.s;
  const text = s.text;
  const start = s.pos;
  const c = text.charCodeAt(start);
  if (c === 123) {
    s.pos = start + 1;
    s.emit(TokenKind.Punctuation, start);
    host.contexts.push(JsContext.JsxExpression, host.braceDepth);
    host.regexAllowed = true;
  } else if (c === 60) {
    const next = text.charCodeAt(start + 1);
    s.pos = start + (next === 47 ? 2 : 1);
    s.emit(TokenKind.Punctuation, start);
    if (next === 47) host.contexts.replaceTop(JsContext.JsxClosingTag);
    else if (next === 62) {
      s.pos = start + 2;
      s.emit(TokenKind.Punctuation, start + 1);
      host.contexts.push(JsContext.JsxChildren, host.braceDepth);
    } else host.contexts.push(JsContext.JsxTag, host.braceDepth);
  } else scanJsxText(s);
}

/** Emits the text up to the next `<` or `{` as one String, trimmed; nothing if it is all whitespace. */
function scanJsxText(s: Scanner): void {
  const text = s.text;
  const end = s.end;
  let first = -1;
  let firstLine = 0;
  let firstColumn = 0;
  let lastEnd = 0;
  let lastLine = 0;
  while (s.pos < end) {
    const p = s.pos;
    const c = text.charCodeAt(p);
    if (c === 60 || c === 123) break;
    if (c === 10 || c === 13) {
      s.breakLine();
      continue;
    }
    s.pos = p + 1;
    if (c === 32 || c === 9) continue;
    if (first < 0) {
      first = p;
      firstLine = s.line;
      firstColumn = p - s.lineStart;
    }
    lastEnd = p + 1;
    lastLine = s.line;
  }
  if (first >= 0) s.tokens.push(TokenKind.String, first, lastEnd, firstLine, firstColumn, lastLine);
}
