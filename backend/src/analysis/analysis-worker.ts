import { workerData } from 'piscina';
import type { FileRecord } from '../engine/clones/file-record.js';
import { SharedMatching, sharedRecords, type MatchingState, type PackedPairs } from '../engine/clones/shared-matching.js';
import { prepareFile } from '../engine/prepare-file.js';
import { classesOfRecords, type ClassesSummary, type ClassesTask } from './classes-task.js';
import { scanBatch, type ScanResult, type ScanTask } from './scan-worker.js';

/** A range of files to match, by id, in the order they must be matched in. */
export interface MatchTask {
  readonly kind: 'match';
  readonly ids: readonly number[];
}

/** Files whose text is at hand (uploaded to the backend) to prepare as records. */
export interface PrepareTask {
  readonly kind: 'prepare';
  readonly files: readonly { path: string; text: string }[];
  readonly minTokens: number;
}

/** Records for a PrepareTask: `present[i]` tells whether file i has one (it is in a language Auxil reads). */
export interface PreparedBatch {
  readonly records: FileRecord[];
  readonly present: boolean[];
}

export type AnalysisTask = (ScanTask & { readonly kind: 'scan' }) | MatchTask | PrepareTask | ClassesTask;

// A matching pool starts its workers with the shared index as workerData; other pools without.
const state = workerData as MatchingState | undefined;
const matching = state ? new SharedMatching(state) : undefined;

function prepareBatch(task: PrepareTask): PreparedBatch {
  const records: FileRecord[] = [];
  const present = task.files.map(({ path, text }) => {
    const record = prepareFile(path, text, { minTokens: task.minTokens });
    if (record) records.push(record);
    return record !== undefined;
  });
  return { records: sharedRecords(records), present };
}

/**
 * The worker threads' one entry point: scan or prepare a batch of files, match a range of them, or
 * build a small project's clone classes.
 */
export default function run(task: AnalysisTask): ScanResult | PackedPairs | PreparedBatch | Promise<ClassesSummary> {
  if (task.kind === 'scan') return scanBatch(task);
  if (task.kind === 'prepare') return prepareBatch(task);
  if (task.kind === 'classes') return classesOfRecords(task);
  if (!matching) throw new Error('this worker was started without an index to match against');
  return matching.match(task.ids);
}
