import type { ClonePair, IndexedFile } from './clone-pair.js';
import { NO_SYMBOLS, type FileRecord } from './file-record.js';
import { LineTable } from './line-table.js';
import { Matcher, type MatchSource } from './matcher.js';
import type { CloneOptions, CloneType } from './options.js';
import { PostingTable, shared, type PostingTableState } from './posting-table.js';

/**
 * Matching a full scan on every core: the index's files and posting tables are handed to worker
 * threads on shared memory (no copies), each worker matches a range of files against every file
 * with a smaller id — exactly what matching them one by one in id order would find — and sends
 * its pairs back packed in typed arrays. Same code as interactive matching (`Matcher`), same
 * results, whichever worker matches which file.
 */

/**
 * Everything a matching worker needs, once. Files are described by integers into a few shared
 * buffers rather than sent as objects: structured-cloning 600,000 typed arrays for 60,000 files
 * took the main thread minutes; a few thousand buffers and one descriptor array take milliseconds.
 */
export interface MatchingState {
  readonly options: CloneOptions;
  /** The buffers the files' arrays live in. */
  readonly buffers: readonly SharedArrayBuffer[];
  /** Per file: its id, its line count, then (buffer index, byte offset, length) for each of ARRAYS. */
  readonly files: Int32Array;
  readonly fingerprints: PostingTableState;
  readonly unitBands: PostingTableState;
}

/** Pairs as flat arrays: 7 integers (a id, a start, a end, b id, b start, b end, type) and a similarity each. */
export interface PackedPairs {
  readonly ints: Int32Array;
  readonly similarities: Float64Array;
}

/** The typed arrays of a record that matching reads, in descriptor order. */
const ARRAYS = [
  ['codes', Uint16Array],
  ['exact', Uint16Array],
  ['runStarts', Uint32Array],
  ['runLines', Uint32Array],
  ['multiLine', Uint32Array],
  ['fingerprintHashes', Uint32Array],
  ['fingerprintPositions', Uint32Array],
  ['unitStarts', Uint32Array],
  ['unitEnds', Uint32Array],
  ['unitKeys', Uint32Array],
] as const;
const FILE_INTS = 2 + ARRAYS.length * 3;

type ArrayKind = (typeof ARRAYS)[number][1];

/** A view of `Kind` over a shared buffer (TypeScript's typed array constructors do not take a union). */
function view<T extends Uint16Array | Uint32Array = Uint16Array | Uint32Array>(
  Kind: ArrayKind,
  buffer: SharedArrayBuffer,
  byteOffset = 0,
  length?: number,
): T {
  const Constructor = Kind as unknown as new (buffer: SharedArrayBuffer, byteOffset: number, length?: number) => T;
  return new Constructor(buffer, byteOffset, length);
}

/** The record's arrays in ARRAYS order. */
function arraysOf(record: FileRecord): (Uint16Array | Uint32Array)[] {
  const { lines } = record;
  return [
    record.codes,
    record.exact,
    lines.runStarts,
    lines.runLines,
    lines.multiLine,
    record.fingerprintHashes,
    record.fingerprintPositions,
    record.unitStarts,
    record.unitEnds,
    record.unitKeys,
  ];
}

/** The record fields `arraysOf` lists, rebuilt from the arrays in the same order (the inverse of `arraysOf`). */
function fromArrays(
  array: <T extends Uint16Array | Uint32Array>(k: number) => T,
): Pick<FileRecord, 'codes' | 'exact' | 'lines' | 'fingerprintHashes' | 'fingerprintPositions' | 'unitStarts' | 'unitEnds' | 'unitKeys'> {
  return {
    codes: array<Uint16Array>(0),
    exact: array<Uint16Array>(1),
    lines: new LineTable(array<Uint32Array>(2), array<Uint32Array>(3), array<Uint32Array>(4)),
    fingerprintHashes: array<Uint32Array>(5),
    fingerprintPositions: array<Uint32Array>(6),
    unitStarts: array<Uint32Array>(7),
    unitEnds: array<Uint32Array>(8),
    unitKeys: array<Uint32Array>(9),
  };
}

/**
 * The records with all their arrays moved into one shared buffer per kind (views into it), so a
 * batch of files is a handful of buffers wherever it travels.
 */
export function sharedRecords(records: readonly FileRecord[]): FileRecord[] {
  const sources = records.map(arraysOf);
  const packed = ARRAYS.map(([, Kind], k) => {
    let total = 0;
    for (const arrays of sources) total += (arrays[k] as Uint16Array | Uint32Array).length;
    const buffer = view(Kind, new SharedArrayBuffer(total * Kind.BYTES_PER_ELEMENT));
    let offset = 0;
    const views = sources.map((arrays) => {
      const source = arrays[k] as Uint16Array | Uint32Array;
      const view = buffer.subarray(offset, offset + source.length);
      view.set(source);
      offset += source.length;
      return view;
    });
    return views;
  });
  return records.map((record, i) => {
    const array = <T extends Uint16Array | Uint32Array>(k: number): T => packed[k]?.[i] as T;
    return { ...record, ...fromArrays(array) };
  });
}

/** Describes files for `MatchingState`; arrays not yet on shared memory are copied there. */
export function describeFiles(files: readonly { id: number; record: FileRecord }[]): { buffers: SharedArrayBuffer[]; files: Int32Array } {
  const buffers: SharedArrayBuffer[] = [];
  const indexes = new Map<SharedArrayBuffer, number>();
  const descriptors = new Int32Array(files.length * FILE_INTS);
  files.forEach(({ id, record }, i) => {
    const arrays = arraysOf(record);
    const at = i * FILE_INTS;
    descriptors[at] = id;
    descriptors[at + 1] = record.lineCount;
    arrays.forEach((original, k) => {
      const array = shared(original);
      const buffer = array.buffer as SharedArrayBuffer;
      let index = indexes.get(buffer);
      if (index === undefined) {
        index = buffers.push(buffer) - 1;
        indexes.set(buffer, index);
      }
      descriptors.set([index, array.byteOffset, array.length], at + 2 + k * 3);
    });
  });
  return { buffers, files: descriptors };
}

/** Rebuilds, in a worker, the record of the file `describeFiles` described at `at` (views, nothing copied). */
function describedRecord(state: MatchingState, at: number): FileRecord {
  const array = <T extends Uint16Array | Uint32Array>(k: number): T => {
    const base = at + 2 + k * 3;
    const buffer = state.buffers[state.files[base] as number] as SharedArrayBuffer;
    return view<T>((ARRAYS[k] as (typeof ARRAYS)[number])[1], buffer, state.files[base + 1], state.files[base + 2]);
  };
  // Matching reads neither a file's path nor its language, so the worker goes without them.
  return {
    path: '',
    language: 'typescript',
    lineCount: state.files[at + 1] as number,
    minTokens: state.options.minTokens,
    symbols: NO_SYMBOLS,
    ...fromArrays(array),
  };
}

export function packPairs(pairs: readonly ClonePair[]): PackedPairs {
  const ints = new Int32Array(pairs.length * 7);
  const similarities = new Float64Array(pairs.length);
  pairs.forEach((pair, i) => {
    ints.set([pair.a.id, pair.aStart, pair.aEnd, pair.b.id, pair.bStart, pair.bEnd, pair.type], i * 7);
    similarities[i] = pair.similarity;
  });
  return { ints, similarities };
}

/** Turns packed pairs back into pairs between the given files. */
export function unpackPairs(packed: PackedPairs, file: (id: number) => IndexedFile | undefined): ClonePair[] {
  const pairs: ClonePair[] = [];
  const { ints, similarities } = packed;
  for (let i = 0; i < similarities.length; i++) {
    const a = file(ints[i * 7] as number);
    const b = file(ints[i * 7 + 3] as number);
    if (!a || !b) continue;
    pairs.push({
      a,
      aStart: ints[i * 7 + 1] as number,
      aEnd: ints[i * 7 + 2] as number,
      b,
      bStart: ints[i * 7 + 4] as number,
      bEnd: ints[i * 7 + 5] as number,
      type: ints[i * 7 + 6] as CloneType,
      similarity: similarities[i] as number,
    });
  }
  return pairs;
}

/**
 * A worker's read-only view of a shared index: matches files against every file with a smaller
 * id, the order `CloneIndex` itself would have matched them in.
 */
export class SharedMatching {
  /**
   * Files by id, made on first use: an array, since ids are small integers and this lookup is the
   * hottest there is. A file is ten typed-array views and a few objects (about 1 KB); a thread
   * that made all 60,000 of a large project up front held 70 MB, most of them never looked at.
   */
  private readonly files: (IndexedFile | undefined)[] = [];
  /** Per id, where its descriptor starts in `state.files`, plus one (0: no such file). */
  private readonly described: Int32Array;
  private readonly matcher: Matcher;

  constructor(private readonly state: MatchingState) {
    let maxId = 0;
    for (let at = 0; at < state.files.length; at += FILE_INTS) maxId = Math.max(maxId, state.files[at] as number);
    this.described = new Int32Array(maxId + 1);
    // Filled up front, so the array keeps V8's fast elements (one written far past its end turns slow).
    for (let id = 0; id <= maxId; id++) this.files.push(undefined);
    for (let at = 0; at < state.files.length; at += FILE_INTS) this.described[state.files[at] as number] = at + 1;
    const source: MatchSource = {
      options: state.options,
      fingerprints: PostingTable.fromState(state.fingerprints),
      unitBands: PostingTable.fromState(state.unitBands),
      file: (id) => this.files[id] ?? this.describe(id),
    };
    this.matcher = new Matcher(source);
  }

  private describe(id: number): IndexedFile | undefined {
    const at = (this.described[id] ?? 0) - 1;
    if (at < 0) return undefined;
    const file: IndexedFile = { id, record: describedRecord(this.state, at), pairs: [], clean: true };
    this.files[id] = file;
    return file;
  }

  /** The pairs of each of the files, in the order given. */
  match(ids: readonly number[]): PackedPairs {
    const pairs: ClonePair[] = [];
    for (const id of ids) {
      const file = this.files[id] ?? this.describe(id);
      if (file) for (const pair of this.matcher.match(file)) pairs.push(pair);
    }
    return packPairs(pairs);
  }
}
