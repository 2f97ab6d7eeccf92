import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { CloneClass } from '../engine/clones/clone-classes.js';
import { ProjectModel } from '../engine/project-model.js';
import { type CloneOptions, defaultCloneOptions } from '../engine/clones/options.js';
import { DEFAULT_MAX_FILE_BYTES, type SkipReason } from './file-check.js';
import { discoverFiles, type DiscoveryOptions } from './file-discovery.js';
import type { AnalysisTask } from './analysis-worker.js';
import { countDuplicatedLines } from './classes-task.js';
import type { ScanResult } from './scan-worker.js';
import { revive } from '../engine/clones/file-record.js';
import { WORKER_EXEC_ARGV, matchInParallel, workerFile } from './engine-threads.js';

export interface AnalyzeOptions extends DiscoveryOptions, Partial<CloneOptions> {
  readonly root: string;
  /** Files larger than this are skipped as too large (default 1 MiB). */
  readonly maxBytes?: number;
  /** Worker threads for reading and lexing (default: every core). */
  readonly threads?: number;
  /** Extract symbols for symbol search and conventions (default false: clones only). */
  readonly symbols?: boolean;
}

export interface AnalysisResult {
  readonly root: string;
  readonly files: number;
  readonly tokens: number;
  readonly lines: number;
  /** Lines that belong to at least one copy. */
  readonly duplicatedLines: number;
  readonly durationMs: number;
  /** Where the time went, in milliseconds per phase. */
  readonly timings: { discover: number; scan: number; match: number; classes: number };
  readonly classes: CloneClass[];
  readonly skipped: { file: string; reason: SkipReason }[];
  /** The project model itself, for follow-up questions (symbols, conventions, similar code). */
  readonly model: ProjectModel;
}

/** Files per worker task: large enough to amortise messaging, small enough to balance the threads. */
const BATCH_SIZE = 64;

/**
 * A full analysis of a folder: discover the files, read and lex them on every core, build the
 * clone index and group its clone classes.
 */
export async function analyzeDirectory(options: AnalyzeOptions): Promise<AnalysisResult> {
  const started = performance.now();
  const model = new ProjectModel({
    clones: {
      minTokens: options.minTokens ?? defaultCloneOptions.minTokens,
      minLines: options.minLines ?? defaultCloneOptions.minLines,
      types: options.types ?? defaultCloneOptions.types,
      minSimilarity: options.minSimilarity ?? defaultCloneOptions.minSimilarity,
    },
  });
  const index = model.clones;
  const discovery = await discoverFiles(options.root, options);
  const discovered = performance.now();
  const skipped = [...discovery.skipped];
  const threads = Math.max(1, options.threads ?? availableParallelism());
  let tokens = 0;
  let lines = 0;

  // 1. Read, lex and fingerprint on every core. Records go into the index in path order, not in
  //    the order the threads finish: ids follow that order, and matching depends on it.
  // Two tasks in flight per thread: a thread starts its next batch while the main thread is still
  // receiving the last one's records, instead of waiting for it.
  const scanning = new Piscina<AnalysisTask, ScanResult>({
    filename: workerFile,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 2,
    execArgv: [...WORKER_EXEC_ARGV],
  });
  try {
    const batches: Promise<ScanResult>[] = [];
    for (let i = 0; i * BATCH_SIZE < discovery.files.length; i++) {
      batches.push(
        scanning.run({
          kind: 'scan',
          root: options.root,
          files: discovery.files.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE),
          minTokens: index.options.minTokens,
          maxBytes: options.maxBytes ?? DEFAULT_MAX_FILE_BYTES,
          symbols: options.symbols ?? false,
        }),
      );
    }
    // Batches are taken in order as they finish, so indexing overlaps with the lexing still going on.
    for (const batch of batches) {
      const result = await batch;
      for (const record of result.records) {
        model.add(revive(record));
        tokens += record.codes.length;
      }
      lines += result.lines;
      skipped.push(...result.skipped);
    }
  } finally {
    await scanning.destroy();
  }

  const scanned = performance.now();
  // 2. Match on every core: each thread gets the index on shared memory once, then ranges of
  //    files; each file is matched against every file before it in path order.
  await matchInParallel(index, threads);

  // 3. Group the pairs into classes.
  const matched = performance.now();
  const classes = index.classes();
  const grouped = performance.now();
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    root: options.root,
    files: index.size,
    tokens,
    lines,
    duplicatedLines: countDuplicatedLines(classes),
    durationMs: Math.round(performance.now() - started),
    timings: {
      discover: Math.round(discovered - started),
      scan: Math.round(scanned - discovered),
      match: Math.round(matched - scanned),
      classes: Math.round(grouped - matched),
    },
    classes,
    skipped,
    model,
  };
}
