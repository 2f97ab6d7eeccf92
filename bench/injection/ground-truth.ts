import type { LineRange } from '../scoring/clone-report.js';

/** 1: identical modulo layout and comments; 2: names, literals and type names changed; 3: Type-2 plus statement edits. */
export type CloneType = 1 | 2 | 3;

export const CLONE_TYPES: readonly CloneType[] = [1, 2, 3];

/** One copy of a real function that the injector planted, and where it came from. */
export interface PlantedClone {
  readonly id: string;
  readonly type: CloneType;
  readonly original: LineRange;
  readonly copy: LineRange;
  /** Tokens of the original function. */
  readonly tokens: number;
  /** Token similarity of copy to original after identifiers and literals are normalised (2·LCS/(n+m)). */
  readonly similarity: number;
  /** What was done to the copy, for a reader checking a miss by hand. */
  readonly edits: readonly string[];
}

/** Everything the scorer needs to know about a planted corpus. */
export interface GroundTruth {
  readonly version: 1;
  readonly seed: number;
  readonly corpus: string;
  readonly plants: readonly PlantedClone[];
}
