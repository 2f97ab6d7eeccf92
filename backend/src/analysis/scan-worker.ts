import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { prepareRecord, type FileRecord } from '../engine/clones/file-record.js';
import { isJsx, languageForPath } from '../engine/lexing/languages.js';
import { lex } from '../engine/lexing/lex.js';
import { checkContent, type SkipReason } from './file-check.js';

/** One batch of files for a scan worker. */
export interface ScanTask {
  readonly root: string;
  readonly files: readonly string[];
  readonly minTokens: number;
  readonly maxBytes: number;
}

export interface ScanResult {
  readonly records: FileRecord[];
  readonly skipped: { file: string; reason: SkipReason }[];
  /** Lines of the analysed files, for duplication percentages. */
  readonly lines: number;
}

function buffersOf(record: FileRecord): ArrayBufferLike[] {
  return [
    record.codes,
    record.exact,
    record.lines.runStarts,
    record.lines.runLines,
    record.lines.multiLine,
    record.fingerprintHashes,
    record.fingerprintPositions,
    record.unitStarts,
    record.unitEnds,
    record.unitKeys,
  ].map((array) => array.buffer);
}

/**
 * The file's bytes, or 'too-large' without reading it: the size is checked first, so that a
 * multi-gigabyte file costs neither the memory nor the time to read it. Synchronous on purpose:
 * this runs in a worker thread of its own, and the promise API's extra thread-pool hops per file
 * cost more than the reads themselves (measured: a third of a worker's time on 2,000 files).
 */
function readBounded(path: string, maxBytes: number): Uint8Array | 'too-large' {
  const descriptor = openSync(path, 'r');
  try {
    const { size } = fstatSync(descriptor);
    if (size > maxBytes) return 'too-large';
    const bytes = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(descriptor, bytes, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return bytes.subarray(0, offset);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Reads, checks, lexes and fingerprints a batch of files. Runs in a worker thread; the records'
 * typed arrays are transferred back to the main thread, not copied.
 */
export default function scanBatch(task: ScanTask): unknown {
  const records: FileRecord[] = [];
  const skipped: ScanResult['skipped'] = [];
  let lines = 0;
  for (const file of task.files) {
    const language = languageForPath(file);
    if (!language) continue;
    let bytes: Uint8Array | 'too-large';
    try {
      bytes = readBounded(join(task.root, file), task.maxBytes);
    } catch {
      skipped.push({ file, reason: 'unreadable' });
      continue;
    }
    if (bytes === 'too-large') {
      skipped.push({ file, reason: bytes });
      continue;
    }
    const checked = checkContent(bytes, task.maxBytes);
    if ('skip' in checked) {
      skipped.push({ file, reason: checked.skip });
      continue;
    }
    const lexed = lex(checked.text, language, { jsx: isJsx(file) });
    lines += lexed.lineCount;
    records.push(prepareRecord(file, lexed, { minTokens: task.minTokens }));
  }
  const result: ScanResult = { records, skipped, lines };
  return move({
    [transferableSymbol]: records.flatMap(buffersOf),
    [valueSymbol]: result,
  });
}
