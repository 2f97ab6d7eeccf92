import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lex, type LexOptions } from '../../src/engine/lexing/lex.js';
import { TokenKind, type LanguageId, type LexedFile } from '../../src/engine/lexing/tokens.js';

/** A TokenKind by name, as the tests spell expectations: `['Keyword', 'const']`. */
export type KindName = keyof typeof TokenKind;
export type Pair = readonly [KindName, string];

const kindNames = new Map<number, KindName>(Object.entries(TokenKind).map(([name, value]) => [value, name as KindName]));

/** The text of a fixture under backend/test/fixtures/lexing (stored with a .txt suffix so no tool formats or compiles it). */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/lexing/${name}.txt`, import.meta.url), 'utf8');
}

/** Lexes `text` and checks the result is well formed before a test looks at it. */
export function lexChecked(text: string, language: LanguageId, options?: LexOptions): LexedFile {
  const file = lex(text, language, options);
  assertWellFormed(file);
  return file;
}

export function kindName(file: LexedFile, index: number): KindName {
  return kindNames.get(file.kinds[index]!) ?? ('?' as KindName);
}

export function textOf(file: LexedFile, index: number): string {
  return file.text.slice(file.starts[index], file.ends[index]);
}

/** Every token as [kind, text]. */
export function pairs(file: LexedFile): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < file.count; i++) out.push([kindName(file, i), textOf(file, i)]);
  return out;
}

/** The tokens that start on 1-based `line`, as [kind, text]. */
export function lineTokens(file: LexedFile, line: number): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < file.count; i++) if (file.lines[i] === line) out.push([kindName(file, i), textOf(file, i)]);
  return out;
}

/** Index of the first token at or after `from` whose text is exactly `text`; fails the test if there is none. */
export function indexOf(file: LexedFile, text: string, from = 0): number {
  for (let i = from; i < file.count; i++) if (textOf(file, i) === text) return i;
  assert.fail(`no token ${JSON.stringify(text)} after token ${from}`);
}

/** The tokens from the first one whose text is `text`, `count` of them. */
export function run(file: LexedFile, text: string, count: number): Pair[] {
  const start = indexOf(file, text);
  return pairs(file).slice(start, start + count);
}

/** Where a token is: kind, text, and its 1-based line, 0-based column and 1-based end line. */
export function placeOf(file: LexedFile, index: number): { kind: KindName; text: string; line: number; column: number; endLine: number } {
  return {
    kind: kindName(file, index),
    text: textOf(file, index),
    line: file.lines[index]!,
    column: file.columns[index]!,
    endLine: file.endLines[index]!,
  };
}

/** Offsets where lines start, computed independently of the lexers: CR LF, lone CR and LF each end a line; a BOM is skipped. */
function lineStarts(text: string): number[] {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const starts = [bom];
  for (let i = bom; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) {
      starts.push(i + 2);
      i++;
    } else if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

function lineIndex(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Checks what every consumer relies on: tokens are non-empty, in order, non-overlapping and
 * inside the text; each token's line, column and end line match an independent computation from
 * its offsets; `lineCount` counts lines with a trailing line break opening none.
 */
export function assertWellFormed(file: LexedFile): void {
  const text = file.text;
  const starts = lineStarts(text);
  const last = starts[starts.length - 1]!;
  const expectedLines = last >= text.length ? starts.length - 1 : starts.length;
  assert.equal(file.lineCount, expectedLines, 'lineCount');
  for (const array of [file.kinds, file.starts, file.ends, file.lines, file.columns, file.endLines]) assert.equal(array.length, file.count);
  let previousEnd = 0;
  for (let i = 0; i < file.count; i++) {
    const start = file.starts[i]!;
    const end = file.ends[i]!;
    const where = `token ${i} ${JSON.stringify(text.slice(start, Math.min(end, start + 40)))} at ${start}`;
    if (start < previousEnd || end <= start || end > text.length)
      assert.fail(`${where}: bad range [${start}, ${end}) after ${previousEnd}`);
    const line = lineIndex(starts, start);
    if (file.lines[i] !== line + 1 || file.columns[i] !== start - starts[line]!) {
      assert.fail(`${where}: at ${file.lines[i]}:${file.columns[i]}, expected ${line + 1}:${start - starts[line]!}`);
    }
    const endLine = lineIndex(starts, end - 1) + 1;
    if (file.endLines[i] !== endLine) assert.fail(`${where}: ends on line ${file.endLines[i]}, expected ${endLine}`);
    if (kindNames.get(file.kinds[i]!) === undefined) assert.fail(`${where}: unknown kind ${file.kinds[i]}`);
    previousEnd = end;
  }
}
