/**
 * Maximal-munch matching of a language's multi-character operators (`===`, `>>>=`, `::`, `?->`),
 * indexed by first character so a punctuation character costs one array read and a few char
 * code comparisons, never a substring.
 */
export class OperatorTable {
  /** For each ASCII first character, the operators starting with it as char codes, longest first. */
  private readonly byFirst: (number[][] | undefined)[] = new Array<number[][] | undefined>(128);

  constructor(operators: readonly string[]) {
    const sorted = [...new Set(operators)].sort((a, b) => b.length - a.length);
    for (const operator of sorted) {
      if (operator.length < 2) continue;
      const first = operator.charCodeAt(0);
      const codes = Array.from(operator, (ch) => ch.charCodeAt(0));
      (this.byFirst[first] ??= []).push(codes);
    }
  }

  /** Length of the longest operator at `pos` (1 when only the single character matches). */
  match(text: string, pos: number): number {
    const candidates = this.byFirst[text.charCodeAt(pos)];
    if (candidates === undefined) return 1;
    for (let k = 0; k < candidates.length; k++) {
      const codes = candidates[k]!;
      let j = 1;
      while (j < codes.length && text.charCodeAt(pos + j) === codes[j]) j++;
      if (j === codes.length) return j;
    }
    return 1;
  }
}
