import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { CloneIndex } from '../engine/clones/clone-index.js';
import { revive, type FileRecord } from '../engine/clones/file-record.js';
import { prepareFile } from '../engine/prepare-file.js';
import type { MatchingState, PackedPairs } from '../engine/clones/shared-matching.js';
import type { AnalysisTask, PreparedBatch } from './analysis-worker.js';
import { classesOfRecords, type ClassesSummary, type ClassesTask } from './classes-task.js';

/** The worker threads' entry point (the TypeScript source under tsx, the build otherwise). */
export const workerFile = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './analysis-worker.ts' : './analysis-worker.js', import.meta.url),
);

/**
 * Node options of the worker threads. piscina first require()s the worker module and falls back
 * to import(); Node 20.19+ lets require() load ES modules, and doing that for this module graph in
 * a worker aborted the process now and then ("v8::Module::IsGraphAsync must be used on an
 * instantiated module", seen in CI). Turned off, require() fails at once and piscina imports the
 * module the ordinary way.
 */
export const WORKER_EXEC_ARGV: readonly string[] = [...process.execArgv.filter(workerAccepts), '--no-experimental-require-module'];

/**
 * Whether a worker thread takes this flag of the process. Workers refuse V8 options and options of
 * the whole process (ERR_WORKER_INVALID_EXEC_ARGV) when execArgv is given explicitly, as above:
 * a server started with --expose-gc, --max-old-space-size or --cpu-prof keeps them to itself.
 */
function workerAccepts(flag: string): boolean {
  return !/^--(expose[-_]gc|max[-_]old[-_]space[-_]size|max[-_]semi[-_]space[-_]size|stack[-_]size|cpu-prof|heap-prof|inspect|title|v8-options)/.test(
    flag,
  );
}

/** Files per matching task: later files take longer (more files before them), so ranges stay small. */
const MATCH_BATCH_SIZE = 128;
/**
 * Young generation of a matching thread. Matching makes short-lived garbage at a steady rate, and
 * V8's default (up to 48 MB here) let each thread hold about 35 MB more on a 60,000-file sync,
 * with no measurable change in matching time at 8 MB.
 */
const MATCHING_YOUNG_GENERATION_MB = 8;

/** The pending files cut into the ranges one matching task takes, in matching order. */
export function matchBatches(pending: readonly number[]): number[][] {
  const batches: number[][] = [];
  for (let i = 0; i < pending.length; i += MATCH_BATCH_SIZE) batches.push(pending.slice(i, i + MATCH_BATCH_SIZE));
  return batches;
}

/**
 * Threads that match ranges of files over one index on shared memory (`CloneIndex.matchingState`),
 * for as many calls of `match` as the caller needs; `close` ends them.
 */
export class MatchingThreads {
  private readonly pool: Piscina<AnalysisTask, PackedPairs>;

  constructor(state: MatchingState, threads: number) {
    this.pool = new Piscina<AnalysisTask, PackedPairs>({
      filename: workerFile,
      minThreads: threads,
      maxThreads: threads,
      workerData: state,
      execArgv: [...WORKER_EXEC_ARGV],
      resourceLimits: { maxYoungGenerationSizeMb: MATCHING_YOUNG_GENERATION_MB },
    });
  }

  /** The pairs of each range (see `matchBatches`), in the order given. */
  match(batches: readonly (readonly number[])[]): Promise<PackedPairs[]> {
    return Promise.all(batches.map((ids) => this.pool.run({ kind: 'match', ids })));
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * Matches every file of `index` that waits to be matched, on `threads` worker threads over the
 * index on shared memory: the same pairs as matching them one by one, in a fraction of the time.
 */
export async function matchInParallel(index: CloneIndex, threads: number): Promise<void> {
  const { state, pending } = index.matchingState();
  if (pending.length === 0) return;
  const matching = new MatchingThreads(state, threads);
  let results: PackedPairs[];
  try {
    results = await matching.match(matchBatches(pending));
  } finally {
    await matching.close();
  }
  // The threads' heaps are gone before the pairs become objects here: on 60,000 files the two
  // would otherwise be held at once, the highest point of a sync's memory.
  index.acceptMatches(results);
}

/** Files per preparation task, and the most text one task takes (a larger file goes alone). */
const PREPARE_BATCH_FILES = 64;
const PREPARE_BATCH_CHARS = 4 * 1024 * 1024;
/**
 * Heap of a preparation thread. A thread holds one task's files (≤ 4 MiB of text, or one larger
 * file) and what lexing them leaves behind; lexing 14 MB of the largest corpus files at once fits
 * in 48 MB. A thread's heap grows towards its limit before V8 collects in earnest, so the limit is
 * memory a syncing server holds per thread: 96 MB, not V8's default of gigabytes.
 */
const PREPARE_HEAP_MB = 96;

/** `files` cut into tasks of at most PREPARE_BATCH_FILES files and PREPARE_BATCH_CHARS characters. */
function prepareBatches<T extends { text: string }>(files: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const file of files) {
    if (current.length > 0 && (current.length === PREPARE_BATCH_FILES || chars + file.text.length > PREPARE_BATCH_CHARS)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(file);
    chars += file.text.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * A long-lived pool that lexes and fingerprints uploaded files off the main thread, so a batch
 * upload of thousands of files neither blocks the event loop nor uses one core only.
 */
export class PreparePool {
  private pool: Piscina<AnalysisTask, PreparedBatch | ClassesSummary> | undefined;
  /** Tasks given to the pool and not settled yet. */
  private running = 0;
  /** Tasks done on the main thread because a thread ran out of heap. */
  fallbacks = 0;

  constructor(
    private readonly threads: number,
    private readonly heapMb = PREPARE_HEAP_MB,
  ) {}

  /** Records for the files (undefined for a file in no language Auxil analyses), in input order. */
  async prepare(files: readonly { path: string; text: string }[], minTokens: number): Promise<(FileRecord | undefined)[]> {
    // Threads end after a few idle seconds, and their heaps are capped (PREPARE_HEAP_MB).
    const pool = (this.pool ??= this.startPool());
    const prepared = prepareBatches(files).map(async (batch): Promise<(FileRecord | undefined)[]> => {
      try {
        const { records, present } = (await this.run(pool, { kind: 'prepare', files: batch, minTokens })) as PreparedBatch;
        let next = 0;
        return present.map((has) => (has ? revive(records[next++] as FileRecord) : undefined));
      } catch (error) {
        // A thread that ran out of its capped heap (a pathological file) ends; the batch is
        // prepared here instead, on the main thread's larger heap, rather than failing the upload.
        if ((error as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
        this.fallbacks++;
        return batch.map((file) => prepareFile(file.path, file.text, { minTokens }));
      }
    });
    return (await Promise.all(prepared)).flat();
  }

  /**
   * A small project's clone classes, built on a thread from its stored records: many analyses at
   * once then share the cores, and the main thread stays free to answer requests.
   */
  async classes(task: Omit<ClassesTask, 'kind'>): Promise<ClassesSummary> {
    const pool = (this.pool ??= this.startPool());
    try {
      return (await this.run(pool, { kind: 'classes', ...task })) as ClassesSummary;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
      this.fallbacks++;
      return classesOfRecords({ kind: 'classes', ...task });
    }
  }

  /** Threads running now (they end after a few idle seconds, or at `releaseIdle`). */
  get threadCount(): number {
    return this.pool?.threads.length ?? 0;
  }

  /**
   * Ends the threads now if none is working, rather than after their idle time: a large matching
   * is about to start threads of its own, and a syncing server's preparation threads (heaps of up
   * to PREPARE_HEAP_MB each) would otherwise sit idle beside them through its first seconds.
   */
  async releaseIdle(): Promise<void> {
    if (!this.pool || this.running > 0) return;
    const pool = this.pool;
    this.pool = undefined;
    await pool.destroy();
  }

  private async run(
    pool: Piscina<AnalysisTask, PreparedBatch | ClassesSummary>,
    task: AnalysisTask,
  ): Promise<PreparedBatch | ClassesSummary> {
    this.running++;
    try {
      return await pool.run(task);
    } finally {
      this.running--;
    }
  }

  private startPool(): Piscina<AnalysisTask, PreparedBatch | ClassesSummary> {
    const pool = new Piscina<AnalysisTask, PreparedBatch | ClassesSummary>({
      filename: workerFile,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: 5_000,
      execArgv: [...WORKER_EXEC_ARGV],
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: Math.min(16, this.heapMb) },
    });
    // A thread that dies also emits 'error' on the pool; its task's promise carries the same error
    // and is handled in `prepare`, so the event is not a crash of the process.
    pool.on('error', () => undefined);
    return pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }
}
