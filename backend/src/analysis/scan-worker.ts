import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRecord, type FileRecord } from '../engine/clones/file-record.js';
import { sharedRecords } from '../engine/clones/shared-matching.js';
import { isJsx, languageForPath } from '../engine/lexing/languages.js';
import { lex } from '../engine/lexing/lex.js';
import { checkContent, type SkipReason } from './file-check.js';

/** One batch of files for a scan worker. */
export interface ScanTask {
  readonly root: string;
  readonly files: readonly string[];
  readonly minTokens: number;
  readonly maxBytes: number;
  /** Extract symbols (for symbol search and conventions) as well as clone fingerprints. */
  readonly symbols: boolean;
}

export interface ScanResult {
  readonly records: FileRecord[];
  readonly skipped: { file: string; reason: SkipReason }[];
  /** Lines of the analysed files, for duplication percentages. */
  readonly lines: number;
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
 * typed arrays are on shared memory, so the main thread receives them without a copy.
 */
export function scanBatch(task: ScanTask): ScanResult {
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
    records.push(prepareRecord(file, lexed, { minTokens: task.minTokens, symbols: task.symbols }));
  }
  // On shared memory, one buffer per kind of array for the whole batch: the main thread and the
  // matching threads then read the same arrays, and nothing is copied again.
  return { records: sharedRecords(records), skipped, lines };
}
