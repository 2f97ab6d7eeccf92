import { TIER } from './fuzzy-score.js';

/**
 * The best-scoring names seen so far that together hold at least `limit` hits: a min-heap on
 * (score, tie-break) from which the worst name is dropped whenever the others still cover `limit`.
 */
export class BestNames {
  private readonly ids: number[] = [];
  private readonly scores: number[] = [];
  private readonly hits: number[] = [];
  private totalHits = 0;

  constructor(
    private readonly limit: number,
    private readonly names: readonly string[],
  ) {}

  /** The lowest tier a new name must reach to make the results: 1 until `limit` hits are held, then the worst held name's tier. */
  minTier = 1;

  /** The score of the worst name held (0 while fewer than `limit` hits are held). */
  worstScore(): number {
    return this.totalHits < this.limit || this.ids.length === 0 ? 0 : this.scores[0]!;
  }

  /** Whether a name with `score` could still make the results. */
  admits(score: number, id: number): boolean {
    if (this.totalHits < this.limit || this.ids.length === 0) return true;
    return this.worse(0, score, id);
  }

  add(score: number, id: number, hits: number): void {
    this.ids.push(id);
    this.scores.push(score);
    this.hits.push(hits);
    this.totalHits += hits;
    this.siftUp(this.ids.length - 1);
    while (this.ids.length > 1 && this.totalHits - this.hits[0]! >= this.limit) this.pop();
    if (this.totalHits >= this.limit) this.minTier = Math.floor(this.scores[0]! / TIER);
  }

  sorted(): { id: number; score: number }[] {
    return this.ids
      .map((id, i) => ({ id, score: this.scores[i]! }))
      .sort((a, b) => (this.better(a.score, a.id, b.score, b.id) ? -1 : this.better(b.score, b.id, a.score, a.id) ? 1 : 0));
  }

  /** Whether (scoreA, idA) ranks above (scoreB, idB). */
  private better(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
    if (scoreA !== scoreB) return scoreA > scoreB;
    const a = this.names[idA]!;
    const b = this.names[idB]!;
    if (a.length !== b.length) return a.length < b.length;
    return a < b;
  }

  /** Whether heap entry `i` ranks below (score, id). */
  private worse(i: number, score: number, id: number): boolean {
    return this.better(score, id, this.scores[i]!, this.ids[i]!);
  }

  private pop(): void {
    this.totalHits -= this.hits[0]!;
    const last = this.ids.length - 1;
    this.swap(0, last);
    this.ids.pop();
    this.scores.pop();
    this.hits.pop();
    this.siftDown(0);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, this.scores[parent]!, this.ids[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.ids.length;
    for (;;) {
      let worst = i;
      const left = 2 * i + 1;
      const right = left + 1;
      if (left < n && this.worse(left, this.scores[worst]!, this.ids[worst]!)) worst = left;
      if (right < n && this.worse(right, this.scores[worst]!, this.ids[worst]!)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b]!, this.ids[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
    [this.hits[a], this.hits[b]] = [this.hits[b]!, this.hits[a]!];
  }
}
