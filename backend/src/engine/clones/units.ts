import { TokenKind, type LexedFile } from '../lexing/tokens.js';

/**
 * Function-like units: the fragments near-miss (Type-3) detection compares as wholes. A unit is a
 * function, method, lambda with a block body, or constructor — the granularity at which people
 * copy code and then edit it.
 */
export interface Units {
  /** First token of each unit (the start of its signature). */
  readonly starts: Uint32Array;
  /** Last token of each unit (its closing brace or last body token), inclusive. */
  readonly ends: Uint32Array;
}

/** Units above this many tokens are left to Type-1/2 matching: comparing them whole costs too much. */
export const MAX_UNIT_TOKENS = 1500;

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const SEMICOLON = 59;
const COMMA = 44;

// Statement keywords whose `(...) {` is a control block, not a function.
const CONTROL_KEYWORDS = new Set([
  'if',
  'else',
  'for',
  'foreach',
  'while',
  'do',
  'switch',
  'catch',
  'try',
  'finally',
  'with',
  'using',
  'lock',
  'synchronized',
  'fixed',
  'unless',
  'until',
  'match',
  'when',
  'select',
  'loop',
  'elif',
  'unsafe',
  'checked',
  'unchecked',
]);

/** How far back from a `{` a function signature may start, in tokens. */
const MAX_HEADER_TOKENS = 128;

/** Finds the units of a file, in the file's own language's way. */
export function findUnits(lexed: LexedFile, minTokens: number): Units {
  switch (lexed.language) {
    case 'python':
      return indentedUnits(lexed, minTokens, 'def', false);
    case 'ruby':
      return indentedUnits(lexed, minTokens, 'def', true);
    default:
      return braceUnits(lexed, minTokens);
  }
}

function punctuation(lexed: LexedFile, i: number): number {
  const start = lexed.starts[i] as number;
  return (lexed.ends[i] as number) - start === 1 && lexed.kinds[i] === TokenKind.Punctuation ? lexed.text.charCodeAt(start) : -1;
}

function tokenText(lexed: LexedFile, i: number): string {
  return lexed.text.slice(lexed.starts[i], lexed.ends[i]);
}

/**
 * Brace languages: a `{ ... }` block is a unit when the tokens before it, back to the statement
 * boundary, hold a parenthesised group (a parameter list) and do not start with a control keyword.
 * `foo(a) {`, `(x) => {`, `func (r T) Name() error {`, `fn f() -> T {` and `new Foo() {` qualify;
 * `if (x) {`, `} else {`, `class A {` and object literals do not.
 */
function braceUnits(lexed: LexedFile, minTokens: number): Units {
  const starts: number[] = [];
  const ends: number[] = [];
  const openBraces: number[] = [];
  for (let i = 0; i < lexed.count; i++) {
    const char = punctuation(lexed, i);
    if (char === OPEN_BRACE) openBraces.push(i);
    else if (char === CLOSE_BRACE && openBraces.length > 0) {
      const open = openBraces.pop() as number;
      if (i - open + 1 < minTokens / 2) continue;
      const header = functionHeaderStart(lexed, open);
      if (header < 0) continue;
      const length = i - header + 1;
      if (length >= minTokens && length <= MAX_UNIT_TOKENS) {
        starts.push(header);
        ends.push(i);
      }
    }
  }
  return sortUnits(starts, ends);
}

/** Start of the function signature before the `{` at `open`, or −1 when the block is not a function body. */
function functionHeaderStart(lexed: LexedFile, open: number): number {
  let depth = 0;
  let sawParameterList = false;
  let start = open;
  for (let i = open - 1; i >= 0 && open - i <= MAX_HEADER_TOKENS; i--) {
    const char = punctuation(lexed, i);
    if (char === CLOSE_PAREN || char === CLOSE_BRACKET) {
      depth++;
      if (char === CLOSE_PAREN && depth === 1) sawParameterList = true;
    } else if (char === OPEN_PAREN || char === OPEN_BRACKET) {
      if (depth === 0) break; // The block is an argument: the header starts after the open paren.
      depth--;
    } else if (depth === 0 && (char === SEMICOLON || char === OPEN_BRACE || char === CLOSE_BRACE || char === COMMA)) {
      break;
    }
    start = i;
  }
  if (!sawParameterList || start === open) return -1;
  if (lexed.kinds[start] === TokenKind.Keyword && CONTROL_KEYWORDS.has(tokenText(lexed, start))) return -1;
  return start;
}

/**
 * Indentation languages: a unit runs from `def` to the last token of the lines indented deeper
 * than the `def` line (Ruby: through the `end` that closes it, found the same way).
 */
function indentedUnits(lexed: LexedFile, minTokens: number, keyword: string, closingEnd: boolean): Units {
  const starts: number[] = [];
  const ends: number[] = [];
  const { count, lines, columns, kinds } = lexed;
  // Column of the first token of each token's line, and whether that token opens its line.
  const lineIndent = new Uint32Array(count);
  const startsLine = new Uint8Array(count);
  let depth = 0;
  const depthAtLineStart = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const first = i === 0 || lines[i] !== lines[i - 1];
    startsLine[i] = first ? 1 : 0;
    lineIndent[i] = first ? (columns[i] as number) : (lineIndent[i - 1] as number);
    depthAtLineStart[i] = first ? depth : (depthAtLineStart[i - 1] as number);
    const char = punctuation(lexed, i);
    if (char === OPEN_PAREN || char === OPEN_BRACKET || char === OPEN_BRACE) depth++;
    else if ((char === CLOSE_PAREN || char === CLOSE_BRACKET || char === CLOSE_BRACE) && depth > 0) depth--;
  }
  for (let i = 0; i < count; i++) {
    if (kinds[i] !== TokenKind.Keyword || tokenText(lexed, i) !== keyword) continue;
    const indent = lineIndent[i] as number;
    const defLine = lines[i] as number;
    let end = i;
    for (let j = i + 1; j < count; j++) {
      const newLogicalLine = startsLine[j] === 1 && depthAtLineStart[j] === 0 && (lines[j] as number) > defLine;
      if (newLogicalLine && (lineIndent[j] as number) <= indent) {
        if (closingEnd && kinds[j] === TokenKind.Keyword && tokenText(lexed, j) === 'end') end = j;
        break;
      }
      end = j;
    }
    const length = end - i + 1;
    if (length >= minTokens && length <= MAX_UNIT_TOKENS) {
      starts.push(i);
      ends.push(end);
    }
  }
  return sortUnits(starts, ends);
}

function sortUnits(starts: number[], ends: number[]): Units {
  const order = starts
    .map((_, index) => index)
    .sort((a, b) => (starts[a] as number) - (starts[b] as number) || (ends[b] as number) - (ends[a] as number));
  return { starts: Uint32Array.from(order, (k) => starts[k] as number), ends: Uint32Array.from(order, (k) => ends[k] as number) };
}
