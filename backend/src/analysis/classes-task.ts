import { createHash } from 'node:crypto';
import { coveredLines } from '@auxil/protocol';
import type { CloneClass } from '../engine/clones/clone-classes.js';
import { CloneIndex } from '../engine/clones/clone-index.js';
import { revive, type FileRecord } from '../engine/clones/file-record.js';
import type { CloneOptions } from '../engine/clones/options.js';
import { decodeRecord } from '../engine/clones/record-codec.js';

/**
 * A small project's records, to index and group on a worker thread (an analysis's final step):
 * stored ones as their bytes, and records at hand (a live index's, files prepared late) as they
 * are, in the order they are added.
 */
export interface ClassesTask {
  readonly kind: 'classes';
  readonly encoded: readonly Uint8Array[];
  readonly records: readonly FileRecord[];
  /** Files of the project, those without a record (in no language Auxil reads) included. */
  readonly files: number;
  readonly clones: Partial<CloneOptions>;
}

/** What an analysis reports of a project's clone classes. */
export interface ClassesSummary {
  readonly files: number;
  readonly lines: number;
  readonly cloneClasses: number;
  readonly duplicatedLines: number;
  /** A stable digest of the classes' ids: equal digests mean equal results. */
  readonly classesDigest: string;
  /** Milliseconds spent matching (`match`) and grouping and summing up (`classes`). */
  readonly timings: { readonly match: number; readonly classes: number };
}

/** Lines inside at least one copy, over all files: overlapping copies count once. */
export function countDuplicatedLines(classes: readonly CloneClass[]): number {
  const byFile = new Map<string, [number, number][]>();
  for (const cloneClass of classes) {
    for (const fragment of cloneClass.fragments) {
      const spans = byFile.get(fragment.path) ?? [];
      spans.push([fragment.startLine, fragment.endLine]);
      byFile.set(fragment.path, spans);
    }
  }
  let total = 0;
  for (const spans of byFile.values()) total += coveredLines(spans);
  return total;
}

function classesDigest(classes: readonly CloneClass[]): string {
  return createHash('sha256')
    .update(
      classes
        .map((cloneClass) => cloneClass.id)
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 32);
}

/**
 * Matches an index whose files are all added and sums its classes up. `match` matches the pending
 * files (a large project's, on every thread); without it they are matched here, inline.
 */
export async function summarizeIndex(
  index: CloneIndex,
  files: number,
  lines: number,
  match: () => void | Promise<void> = () => index.flush(),
): Promise<ClassesSummary> {
  const started = performance.now();
  await match();
  const matched = performance.now();
  const classes = index.classes();
  return {
    files,
    lines,
    cloneClasses: classes.length,
    duplicatedLines: countDuplicatedLines(classes),
    classesDigest: classesDigest(classes),
    timings: { match: Math.round(matched - started), classes: Math.round(performance.now() - matched) },
  };
}

/** The clone classes of a small project's records, decoded straight into a fresh index. */
export function classesOfRecords(task: ClassesTask): Promise<ClassesSummary> {
  const index = new CloneIndex(task.clones);
  let lines = 0;
  // The bytes were copied to this thread for this task alone: the records' arrays can be views of them.
  const decoded = task.encoded.map((bytes) => decodeRecord(bytes, { views: true }));
  for (const record of [...decoded, ...task.records.map(revive)]) {
    lines += record.lineCount;
    index.add(record);
  }
  return summarizeIndex(index, task.files, lines);
}
