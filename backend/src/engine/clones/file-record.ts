import type { LexedFile, LanguageId } from '../lexing/tokens.js';
import { extractSymbols, type FileSymbols } from '../symbols/extract-symbols.js';
import { winnow } from './fingerprints.js';
import { withoutImports } from './imports.js';
import { LineTable } from './line-table.js';
import { normalize } from './normalize.js';
import { type CloneOptions, winnowingParameters } from './options.js';
import { BANDS, bandKeys } from './sketch.js';
import { findUnits } from './units.js';

/**
 * Everything the clone index keeps of one file: compact, self-contained (no source text), and
 * built by a pure function, so worker threads can prepare records in parallel and the backend can
 * persist them and rebuild an index without lexing again.
 */
export interface FileRecord {
  readonly path: string;
  readonly language: LanguageId;
  readonly lineCount: number;
  /** Normalised token codes (identifiers and literals abstracted). */
  readonly codes: Uint16Array;
  /** 16-bit hash of each token's exact text. */
  readonly exact: Uint16Array;
  readonly lines: LineTable;
  /** Winnowed fingerprint hashes and the token positions they start at. */
  readonly fingerprintHashes: Uint32Array;
  readonly fingerprintPositions: Uint32Array;
  /** Function-like units: first and last token of each. */
  readonly unitStarts: Uint32Array;
  readonly unitEnds: Uint32Array;
  /** BANDS locality-sensitive keys per unit, unit after unit. */
  readonly unitKeys: Uint32Array;
  /** The minimum token count the fingerprints and units were prepared for. */
  readonly minTokens: number;
  /** Declarations and imports, for symbol search and conventions. */
  readonly symbols: FileSymbols;
}

/** A record that crossed threads: structured cloning drops the LineTable's prototype; give it back. */
export function revive(record: FileRecord): FileRecord {
  const { runStarts, runLines, multiLine } = record.lines;
  return { ...record, lines: new LineTable(runStarts, runLines, multiLine) };
}

/** Turns a lexed file into its clone-index record. */
export interface RecordOptions extends Pick<CloneOptions, 'minTokens'> {
  /** Extract symbols too (default true); a clone-only analysis saves the time and memory. */
  readonly symbols?: boolean;
}

/**
 * Version of how records are prepared (lexers, normalisation, import handling, fingerprints,
 * units, band keys). Bump it with any change that alters a record for the same input: stored
 * records with another version are ignored and their files prepared again.
 */
const PREPARATION_VERSION = 3;

/** Identifies records prepared by this engine with these options; a stored record with another key is stale. */
export function recordKey(options: RecordOptions): string {
  return `p${PREPARATION_VERSION}.t${options.minTokens}.${options.symbols === false ? 'nosym' : 'sym'}`;
}

/** A record's symbols where they are not needed (clone-only work): none. */
export const NO_SYMBOLS: FileSymbols = { symbols: [], imports: [] };

export function prepareRecord(path: string, file: LexedFile, options: RecordOptions): FileRecord {
  const symbols = options.symbols === false ? NO_SYMBOLS : extractSymbols(file);
  const lexed = withoutImports(file);
  const { codes, exact } = normalize(lexed);
  const { k, w } = winnowingParameters(options.minTokens);
  const fingerprints = winnow(codes, k, w);
  const units = findUnits(lexed, options.minTokens);
  const unitKeys = new Uint32Array(units.starts.length * BANDS);
  for (let u = 0; u < units.starts.length; u++) {
    unitKeys.set(bandKeys(codes, units.starts[u] as number, units.ends[u] as number), u * BANDS);
  }
  return {
    path,
    language: lexed.language,
    lineCount: lexed.lineCount,
    codes,
    exact,
    lines: LineTable.fromLexed(lexed),
    fingerprintHashes: fingerprints.hashes,
    fingerprintPositions: fingerprints.positions,
    unitStarts: units.starts,
    unitEnds: units.ends,
    unitKeys,
    minTokens: options.minTokens,
    symbols,
  };
}
