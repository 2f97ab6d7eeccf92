import { workerData } from 'piscina';
import { SharedMatching, type MatchingState, type PackedPairs } from '../engine/clones/shared-matching.js';
import { scanBatch, type ScanResult, type ScanTask } from './scan-worker.js';

/** A range of files to match, by id, in the order they must be matched in. */
export interface MatchTask {
  readonly kind: 'match';
  readonly ids: readonly number[];
}

export type AnalysisTask = (ScanTask & { readonly kind: 'scan' }) | MatchTask;

// A matching pool starts its workers with the shared index as workerData; a scanning pool without.
const state = workerData as MatchingState | undefined;
const matching = state ? new SharedMatching(state) : undefined;

/** The worker threads' one entry point: scan a batch of files, or match a range of them. */
export default function run(task: AnalysisTask): ScanResult | PackedPairs {
  if (task.kind === 'scan') return scanBatch(task);
  if (!matching) throw new Error('this worker was started without an index to match against');
  return matching.match(task.ids);
}
