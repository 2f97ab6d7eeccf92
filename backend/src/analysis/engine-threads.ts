import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { CloneIndex } from '../engine/clones/clone-index.js';
import type { FileRecord } from '../engine/clones/file-record.js';
import { LineTable } from '../engine/clones/line-table.js';
import type { PackedPairs } from '../engine/clones/shared-matching.js';
import type { AnalysisTask, PreparedBatch } from './analysis-worker.js';

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
export const WORKER_EXEC_ARGV: readonly string[] = [...process.execArgv, '--no-experimental-require-module'];

/** Files per matching task: later files take longer (more files before them), so ranges stay small. */
const MATCH_BATCH_SIZE = 128;

/** Structured cloning drops the LineTable's prototype; give it back. */
export function revive(record: FileRecord): FileRecord {
  const { runStarts, runLines, multiLine } = record.lines;
  return { ...record, lines: new LineTable(runStarts, runLines, multiLine) };
}

/**
 * Matches every file of `index` that waits to be matched, on `threads` worker threads over the
 * index on shared memory: the same pairs as matching them one by one, in a fraction of the time.
 */
export async function matchInParallel(index: CloneIndex, threads: number): Promise<void> {
  const { state, pending } = index.matchingState();
  if (pending.length === 0) return;
  const matching = new Piscina<AnalysisTask, PackedPairs>({
    filename: workerFile,
    minThreads: threads,
    maxThreads: threads,
    workerData: state,
    execArgv: [...WORKER_EXEC_ARGV],
  });
  try {
    const ranges: Promise<PackedPairs>[] = [];
    for (let i = 0; i < pending.length; i += MATCH_BATCH_SIZE) {
      ranges.push(matching.run({ kind: 'match', ids: pending.slice(i, i + MATCH_BATCH_SIZE) }));
    }
    index.acceptMatches(await Promise.all(ranges));
  } finally {
    await matching.destroy();
  }
}

/** Files per preparation task. */
const PREPARE_BATCH_FILES = 64;

/**
 * A long-lived pool that lexes and fingerprints uploaded files off the main thread, so a batch
 * upload of thousands of files neither blocks the event loop nor uses one core only.
 */
export class PreparePool {
  private pool: Piscina<AnalysisTask, PreparedBatch> | undefined;

  constructor(private readonly threads: number) {}

  /** Records for the files (undefined for a file in no language Auxil analyses), in input order. */
  async prepare(files: readonly { path: string; text: string }[], minTokens: number): Promise<(FileRecord | undefined)[]> {
    // Threads end after a few idle seconds, and their heaps are capped: a thread only ever holds
    // one batch of 64 files, and garbage in idle threads' heaps is memory a syncing server keeps.
    this.pool ??= new Piscina<AnalysisTask, PreparedBatch>({
      filename: workerFile,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: 5_000,
      execArgv: [...WORKER_EXEC_ARGV],
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    });
    const pool = this.pool;
    const batches: Promise<PreparedBatch>[] = [];
    for (let i = 0; i < files.length; i += PREPARE_BATCH_FILES) {
      batches.push(pool.run({ kind: 'prepare', files: files.slice(i, i + PREPARE_BATCH_FILES), minTokens }));
    }
    const out: (FileRecord | undefined)[] = [];
    for (const batch of await Promise.all(batches)) {
      let next = 0;
      for (const has of batch.present) out.push(has ? revive(batch.records[next++] as FileRecord) : undefined);
    }
    return out;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }
}
