import type { LexedFile } from '../lexing/tokens.js';

/**
 * Token index → line, stored as runs: the token indexes where a new line begins and that line.
 * About one entry per source line instead of one per token; lookups are binary searches.
 * Tokens spanning lines (multi-line strings) are listed separately, as (token, end line) pairs.
 */
export class LineTable {
  constructor(
    /** Ascending token indexes at which the start line changes (always starts with 0 if non-empty). */
    readonly runStarts: Uint32Array,
    /** Start line of the tokens from `runStarts[k]` on. */
    readonly runLines: Uint32Array,
    /** Flat (token index, end line) pairs for tokens that end on a later line than they start. */
    readonly multiLine: Uint32Array,
  ) {}

  static fromLexed(lexed: LexedFile): LineTable {
    const starts: number[] = [];
    const lines: number[] = [];
    const multiLine: number[] = [];
    let previous = -1;
    for (let i = 0; i < lexed.count; i++) {
      const line = lexed.lines[i] as number;
      if (line !== previous) {
        starts.push(i);
        lines.push(line);
        previous = line;
      }
      const endLine = lexed.endLines[i] as number;
      if (endLine !== line) multiLine.push(i, endLine);
    }
    return new LineTable(Uint32Array.from(starts), Uint32Array.from(lines), Uint32Array.from(multiLine));
  }

  /** 1-based line of the token's first character. */
  startLine(token: number): number {
    const runs = this.runStarts;
    let low = 0;
    let high = runs.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((runs[middle] as number) <= token) low = middle;
      else high = middle - 1;
    }
    return (this.runLines[low] as number) || 1;
  }

  /** 1-based line of the token's last character. */
  endLine(token: number): number {
    const pairs = this.multiLine;
    let low = 0;
    let high = pairs.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = pairs[middle * 2] as number;
      if (at === token) return pairs[middle * 2 + 1] as number;
      if (at < token) low = middle + 1;
      else high = middle - 1;
    }
    return this.startLine(token);
  }
}
