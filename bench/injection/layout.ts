import { scanTokens, type SourceToken } from '../tokens/token-scanner.js';
import type { SeededRandom } from './seeded-random.js';
import type { NameMaker } from './word-list.js';

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Indices of lines that begin inside a multi-line string or template literal: their leading
 * whitespace is part of a value, so layout changes must leave them alone.
 */
export function protectedLines(text: string): Set<number> {
  const starts = lineStarts(text);
  const inside = new Set<number>();
  for (const token of scanTokens(text)) {
    if (!token.text.includes('\n')) continue;
    starts.forEach((offset, line) => {
      if (offset > token.start && offset < token.end) inside.add(line);
    });
  }
  return inside;
}

const leading = (line: string): string => /^[ \t]*/.exec(line)![0];

/** Maps every unprotected line (the first one too) through `change`. */
function mapFreeLines(text: string, change: (line: string, index: number) => string): string {
  const locked = protectedLines(text);
  return text
    .split('\n')
    .map((line, index) => (locked.has(index) ? line : change(line, index)))
    .join('\n');
}

/**
 * Moves a function's text to column 0: the first line starts where the function started, the
 * other lines lose the indentation the function's first line had in its file.
 */
export function dedent(text: string, baseIndent: string): string {
  if (baseIndent === '') return text;
  return mapFreeLines(text, (line, index) => {
    if (index === 0) return line;
    if (line.startsWith(baseIndent)) return line.slice(baseIndent.length);
    return line.slice(Math.min(leading(line).length, baseIndent.length));
  });
}

/** Indents every unprotected, non-empty line by `prefix`. */
export function indent(text: string, prefix: string): string {
  return mapFreeLines(text, (line) => (line.trim() === '' ? line : prefix + line));
}

/** Tabs become two spaces; otherwise indentation is doubled (2 → 4) or halved (4 → 2). */
export function reindent(text: string): string {
  const free = text.split('\n');
  const usesTabs = free.some((line) => line.startsWith('\t'));
  const widths = free.map((line) => leading(line).length).filter((width) => width > 0);
  const unit = widths.length === 0 ? 2 : Math.min(...widths);
  return mapFreeLines(text, (line) => {
    const ws = leading(line);
    if (ws === '') return line;
    const rest = line.slice(ws.length);
    if (usesTabs) return ws.replace(/\t/g, '  ') + rest;
    const width = unit >= 4 ? Math.floor(ws.length / 2) : ws.length * 2;
    return ' '.repeat(width) + rest;
  });
}

/** Inserts a `//` comment line before a random unprotected line other than the first. */
export function addCommentLine(text: string, random: SeededRandom, words: NameMaker): string {
  const lines = text.split('\n');
  const locked = protectedLines(text);
  const places = lines.map((_, index) => index).filter((index) => index > 0 && !locked.has(index));
  if (places.length === 0) return text;
  const at = random.pick(places);
  lines.splice(at, 0, `${leading(lines[at]!)}// ${words.phrase()}`);
  return lines.join('\n');
}

function tokensByLine(text: string): Map<number, SourceToken[]> {
  const starts = lineStarts(text);
  const byLine = new Map<number, SourceToken[]>();
  let line = 0;
  for (const token of scanTokens(text)) {
    while (line + 1 < starts.length && starts[line + 1]! <= token.start) line++;
    const list = byLine.get(line) ?? [];
    list.push(token);
    byLine.set(line, list);
  }
  return byLine;
}

/**
 * Joins a line ending in `;`, `{` or `,` (with no comment after it) with the next line, or
 * splits a line after a comma; which one, and where, is drawn at random. The tokens stay the same.
 */
export function joinOrSplitLine(text: string, random: SeededRandom): string {
  const lines = text.split('\n');
  const starts = lineStarts(text);
  const locked = protectedLines(text);
  const byLine = tokensByLine(text);
  const joins: number[] = [];
  const splits: { line: number; cut: number; resume: number }[] = [];
  byLine.forEach((tokens, line) => {
    const last = tokens[tokens.length - 1]!;
    const lineEnd = starts[line]! + lines[line]!.trimEnd().length;
    const next = lines[line + 1];
    if (['{', ';', ','].includes(last.text) && last.end === lineEnd && next !== undefined && next.trim() !== '' && !locked.has(line + 1)) {
      joins.push(line);
    }
    tokens.forEach((token, k) => {
      const after = tokens[k + 1];
      if (token.text === ',' && after !== undefined && /^ +$/.test(text.slice(token.end, after.start)) && !locked.has(line)) {
        splits.push({ line, cut: token.end - starts[line]!, resume: after.start - starts[line]! });
      }
    });
  });
  if (joins.length > 0 && (splits.length === 0 || random.chance(0.5))) {
    const line = random.pick(joins);
    lines.splice(line, 2, `${lines[line]!.trimEnd()} ${lines[line + 1]!.trimStart()}`);
    return lines.join('\n');
  }
  if (splits.length === 0) return text;
  const split = random.pick(splits);
  const original = lines[split.line]!;
  lines.splice(split.line, 1, original.slice(0, split.cut), `${leading(original)}    ${original.slice(split.resume)}`);
  return lines.join('\n');
}
