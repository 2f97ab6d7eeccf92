import type { FileRecord } from './file-record.js';
import type { CloneType } from './options.js';

/** A file as the index holds it. */
export interface IndexedFile {
  /** Owner id in the posting tables; never reused for another file. */
  readonly id: number;
  readonly record: FileRecord;
  /** Every pair this file takes part in (as either side). */
  pairs: ClonePair[];
  /** False until the file's pairs against every clean file have been computed. */
  clean: boolean;
  /**
   * This file's sides of its pairs, sorted by start: built on demand for neighbourhood searches
   * and dropped whenever `pairs` changes.
   */
  sides?: SortedSides | undefined;
}

/** A file's pair sides sorted by start, with the pair of each. */
export interface SortedSides {
  readonly starts: number[];
  readonly ends: number[];
  readonly pairs: ClonePair[];
}

/** The sorted sides of `file`, built once per change of its pairs. */
export function sortedSides(file: IndexedFile): SortedSides {
  if (file.sides) return file.sides;
  const list: [number, number, ClonePair][] = [];
  for (const pair of file.pairs) {
    if (pair.a === file) list.push([pair.aStart, pair.aEnd, pair]);
    if (pair.b === file) list.push([pair.bStart, pair.bEnd, pair]);
  }
  list.sort((x, y) => x[0] - y[0]);
  file.sides = { starts: list.map((x) => x[0]), ends: list.map((x) => x[1]), pairs: list.map((x) => x[2]) };
  return file.sides;
}

/** Adds a pair to both its files. */
export function attachPair(pair: ClonePair): void {
  pair.a.pairs.push(pair);
  pair.a.sides = undefined;
  if (pair.b !== pair.a) {
    pair.b.pairs.push(pair);
    pair.b.sides = undefined;
  }
}

/** Two fragments (token ranges, inclusive) that are copies of each other. */
export interface ClonePair {
  readonly type: CloneType;
  /** 2·LCS/(n+m) of the normalised tokens; 1 for Type-1 and Type-2 pairs. */
  readonly similarity: number;
  readonly a: IndexedFile;
  readonly aStart: number;
  readonly aEnd: number;
  readonly b: IndexedFile;
  readonly bStart: number;
  readonly bEnd: number;
}

/** The side of a pair in `file` (the first one if both sides are in it). */
export function sideIn(pair: ClonePair, file: IndexedFile): { start: number; end: number } {
  return pair.a === file ? { start: pair.aStart, end: pair.aEnd } : { start: pair.bStart, end: pair.bEnd };
}

/**
 * Whether two ranges in one file are the same copy: they overlap by most of the LONGER one. A
 * short fragment inside a long one is a different copy; treating it as the same would chain
 * unrelated classes together through ever larger unions.
 */
export function sameCopy(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  const overlap = Math.min(aEnd, bEnd) - Math.max(aStart, bStart) + 1;
  return overlap > 0 && overlap >= SAME_COPY_OVERLAP * Math.max(aEnd - aStart + 1, bEnd - bStart + 1);
}

/** Share of the longer of two ranges that must overlap for them to be one copy. */
export const SAME_COPY_OVERLAP = 0.9;
