import { EventEmitter, once } from 'node:events';
import type { AnalysisInfo } from '@auxil/protocol';
import { z } from 'zod';
import { summarizeIndex, type ClassesSummary } from '../analysis/classes-task.js';
import { matchInParallel, type PreparePool } from '../analysis/engine-threads.js';
import { CloneIndex, decodeRecord, encodeRecord, recordKey, sharedRecords, type CloneOptions, type FileRecord } from '../engine/index.js';
import { NO_SYMBOLS } from '../engine/clones/file-record.js';
import { AuxilError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { PushHub } from '../push/push-hub.js';
import type { JobContext, JobQueue } from '../queue/job-queue.js';
import type { AnalysisRecord, Store, TenantStore } from '../store/store.js';
import type { ProjectIndex, ProjectIndexes } from '../projects/project-index.js';
import { resolveProject } from '../projects/project-service.js';

/*
 * Batch analysis, split so that any number of worker processes share it: the coordinator (the api
 * call) records the analysis and enqueues one shard job per slice of the project's files; each
 * shard job lexes and fingerprints its files and persists their records (idempotent: a record is
 * written under the file's content hash, so a redone shard writes the same bytes); the shard that
 * completes the count enqueues the final job, which loads every record, matches on every core and
 * groups the clone classes. A worker that dies mid-shard loses its lock, another worker redoes the
 * shard, and `completeShard` counts each shard once — so results equal a single-process run's.
 */

export const SHARD_JOB = 'analysis.shard';
export const FINISH_JOB = 'analysis.finish';
/** Files per shard: big enough to amortise a job, small enough to spread over workers and lose little on a crash. */
export const SHARD_FILES = 2_000;
/** How long a worker holds a shard by default; a dead worker's shard is taken over once it expires. */
export const SHARD_LOCK_MS = 60_000;
/** Lock of the final job; renewed every third of it while the job runs. */
const FINISH_LOCK_MS = 120_000;
/**
 * Projects with fewer files are analysed whole on one thread of the pool by the final job (faster
 * than starting matching threads, and many small analyses at once share the cores); larger ones
 * are matched on every thread.
 */
const PARALLEL_MATCHING_FROM = 2_000;

/**
 * Runs a job while renewing its lock every third of its lifetime, so a step longer than the lock
 * (a large matching on a busy worker) is not taken for a dead worker and started again beside it.
 */
async function keptAlive(context: JobContext, lockMs: number, run: () => Promise<void>): Promise<void> {
  // A prefetched job's lock has been running while it waited: renew it as the run starts.
  await context.touch();
  const timer = setInterval(
    () => {
      // A lost lock also aborts the job's signal; the run notices there.
      context.touch().catch(() => undefined);
    },
    Math.max(100, Math.floor(lockMs / 3)),
  );
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
}

/**
 * How often a waiting `get` re-reads an analysis from the store when no event can tell it (the
 * analysis runs in another process): one store read instead of a client's whole request.
 */
const WAIT_RECHECK_MS = 250;

/** What the final job builds: the project's size and clone classes, with the time each phase took. */
interface Built extends ClassesSummary {
  readonly timings: ClassesSummary['timings'] & { readonly load: number };
}

const isFinished = (status: AnalysisInfo['status']): boolean => status === 'done' || status === 'failed';

/** Records loaded per page by the final job. */
const LOAD_PAGE = 2_000;

const ShardPayload = z.object({
  tenantId: z.string(),
  projectId: z.string(),
  analysisId: z.string(),
  shard: z.number().int().min(0),
  paths: z.array(z.string()),
  /** The last path of the shard before (null for the first): where this shard's range starts, exclusive. */
  after: z.string().nullable(),
});
type ShardPayload = z.infer<typeof ShardPayload>;
const FinishPayload = z.object({ tenantId: z.string(), projectId: z.string(), analysisId: z.string() });

export interface BatchAnalysisDeps {
  readonly store: Store;
  readonly queue: JobQueue;
  readonly clones: Partial<CloneOptions>;
  readonly threads: number;
  readonly prepare: PreparePool;
  readonly logger: Logger;
  /**
   * The live indexes of this process, when it serves projects too (embedded, `--role all`): the
   * shards of an analysis of a project held here at the store's revision have nothing to read.
   * (The classes are still built from the stored records, in path order: an index built up by a
   * history of changes can group a few copies differently, and an analysis must not depend on
   * which process ran it.)
   */
  readonly live?: ProjectIndexes | undefined;
  /** Where progress goes in this process (the embedded mode's clients); absent in a pure worker. */
  readonly push?: PushHub | undefined;
  /** How long a worker holds a shard's lock: a dead worker's shard waits this long for another (default 60 s). */
  readonly shardLockMs?: number | undefined;
}

export function toAnalysisInfo(record: AnalysisRecord, project: string): AnalysisInfo {
  const summary = record.summary as AnalysisInfo['summary'] | undefined;
  return {
    id: record.id,
    project,
    status: record.status,
    createdAt: record.createdAt,
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    revision: record.revision,
    progress: {
      filesDone: record.filesDone,
      filesTotal: record.filesTotal,
      shardsDone: record.shardsDone,
      shardsTotal: record.shardsTotal,
    },
    timings: { ...record.timings },
    ...(summary ? { summary } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
}

export class BatchAnalysis {
  private readonly minTokens: number;
  private largeTurn: Promise<unknown> = Promise.resolve();
  /** Emits an analysis's id when this process changed its record (for waiting `get`s). */
  private readonly changed = new EventEmitter().setMaxListeners(0);

  constructor(private readonly deps: BatchAnalysisDeps) {
    this.minTokens = new CloneIndex(deps.clones).options.minTokens;
  }

  /** Registers the job handlers: call in every process that runs jobs (the worker role). */
  defineJobs(): void {
    const shardLock = this.deps.shardLockMs ?? SHARD_LOCK_MS;
    // Several small analyses run side by side (their matching is inline and short); a large final
    // job takes every thread, so large ones take turns (`largeTurn`).
    const concurrency = Math.max(2, this.deps.threads * 2);
    this.deps.queue.define(
      SHARD_JOB,
      (payload, context) => keptAlive(context, shardLock, () => this.runShard(ShardPayload.parse(payload), context)),
      {
        concurrency,
        // A shard takes a second or less when its records are stored; waiting for the next poll
        // (every second) between shards was most of a large analysis's shard phase.
        prefetch: concurrency,
        lockLifetimeMs: shardLock,
        maxAttempts: 3,
      },
    );
    this.deps.queue.define(
      FINISH_JOB,
      (payload, context) => keptAlive(context, FINISH_LOCK_MS, () => this.finish(FinishPayload.parse(payload), context)),
      { concurrency, lockLifetimeMs: FINISH_LOCK_MS, maxAttempts: 3 },
    );
  }

  /** Starts an analysis of the project as it is now; returns its record at once. */
  async start(tenantId: string, projectRef: string): Promise<AnalysisInfo> {
    const tenant = this.deps.store.forTenant(tenantId);
    const project = await resolveProject(tenant, projectRef);
    const revision = await tenant.files.revision(project.id);
    const paths = (await tenant.files.manifest(project.id)).map((entry) => entry.path);
    const shards: string[][] = [];
    for (let i = 0; i < paths.length; i += SHARD_FILES) shards.push(paths.slice(i, i + SHARD_FILES));
    const record = await tenant.analyses.create(project.id, { revision, filesTotal: paths.length, shardsTotal: shards.length });
    const base = { tenantId, projectId: project.id, analysisId: record.id };
    if (shards.length === 0) {
      await this.deps.queue.enqueue(FINISH_JOB, base, { key: `${record.id}:finish` });
    }
    for (const [shard, slice] of shards.entries()) {
      const after = shard === 0 ? null : ((shards[shard - 1] as string[]).at(-1) ?? null);
      await this.deps.queue.enqueue(SHARD_JOB, { ...base, shard, paths: slice, after }, { key: `${record.id}:${shard}` });
    }
    return toAnalysisInfo(record, project.name);
  }

  /**
   * The analysis as it stands; with `waitMs`, once it is done or failed, or when the time is up
   * (or `signal` aborts), whichever comes first.
   */
  async get(
    tenantId: string,
    projectRef: string,
    id: string,
    options: { waitMs?: number; signal?: AbortSignal } = {},
  ): Promise<AnalysisInfo> {
    const tenant = this.deps.store.forTenant(tenantId);
    const project = await resolveProject(tenant, projectRef);
    const deadline = performance.now() + (options.waitMs ?? 0);
    for (;;) {
      const record = await tenant.analyses.get(id);
      if (!record || record.projectId !== project.id) throw new AuxilError('not_found', `the project has no analysis "${id}"`);
      const left = deadline - performance.now();
      if (isFinished(record.status) || left <= 0 || options.signal?.aborted === true) return toAnalysisInfo(record, project.name);
      await this.nextChange(id, Math.ceil(Math.min(WAIT_RECHECK_MS, left)), options.signal);
    }
  }

  /** Resolves when this process changes the analysis, after `ms`, or when `signal` aborts. */
  private async nextChange(id: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
    const timeout = AbortSignal.timeout(ms);
    try {
      await once(this.changed, id, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch {
      // Timed out or aborted: the caller reads the record again and decides.
    }
  }

  private publish(tenantId: string, projectName: string, record: AnalysisRecord): void {
    this.changed.emit(record.id);
    this.deps.push?.publish(tenantId, projectName, {
      type: 'analysis',
      project: projectName,
      id: record.id,
      status: record.status,
      filesDone: record.filesDone,
      filesTotal: record.filesTotal,
    });
  }

  /** Lexes and fingerprints one shard's files whose stored record is missing or stale, and stores the records. */
  private async runShard(payload: ShardPayload, context: JobContext): Promise<void> {
    const tenant = this.deps.store.forTenant(payload.tenantId);
    const project = await tenant.projects.get(payload.projectId);
    const analysis = await tenant.analyses.get(payload.analysisId);
    if (!project || !analysis) return; // Deleted meanwhile: nothing to do.
    if (analysis.status === 'queued') await tenant.analyses.update(analysis.id, { status: 'running', startedAt: new Date().toISOString() });
    const started = performance.now();
    const key = recordKey({ minTokens: this.minTokens });
    const wanted = new Set(payload.paths);
    const stale: { path: string; hash: string; text: string }[] = [];
    // A live index here at the store's revision means every file it holds has its record stored
    // (written with each upload, or by the index's load): nothing to read, nothing to lex.
    if (await this.holdsCurrent(tenant, payload.tenantId, payload.projectId)) wanted.clear();
    // The shard's paths are a contiguous slice of the sorted paths: page through that range only.
    let after = payload.after ?? undefined;
    let remaining = wanted.size;
    while (remaining > 0) {
      const page = await tenant.files.indexInputs(payload.projectId, key, after, Math.min(LOAD_PAGE, remaining + 1));
      if (page.length === 0) break;
      for (const input of page) {
        if (!wanted.has(input.path)) continue;
        remaining--;
        if (!input.record && input.content !== undefined) stale.push({ path: input.path, hash: input.hash, text: input.content });
      }
      after = page[page.length - 1]?.path;
    }
    await context.touch();
    const records = await this.deps.prepare.prepare(stale, this.minTokens);
    for (const [i, record] of records.entries()) {
      if (context.signal.aborted) throw context.signal.reason;
      const file = stale[i] as { path: string; hash: string };
      if (record) await tenant.files.putRecord(payload.projectId, file.path, file.hash, { key, bytes: encodeRecord(record) });
    }
    const result = await tenant.analyses.completeShard(payload.analysisId, payload.shard, payload.paths.length);
    if (!result) return;
    if (result.counted) {
      const timings = { shards: Math.round((result.record.timings.shards ?? 0) + performance.now() - started) };
      await tenant.analyses.update(payload.analysisId, { timings });
      this.publish(payload.tenantId, project.name, result.record);
    }
    if (result.record.shardsDone === result.record.shardsTotal) {
      const { tenantId, projectId, analysisId } = payload;
      await this.deps.queue.enqueue(FINISH_JOB, { tenantId, projectId, analysisId }, { key: `${analysisId}:finish` });
    }
  }

  /** Builds the project's clone classes (from the live index or the stored records) and records the summary. */
  private async finish(payload: z.infer<typeof FinishPayload>, context: JobContext): Promise<void> {
    const tenant = this.deps.store.forTenant(payload.tenantId);
    const project = await tenant.projects.get(payload.projectId);
    if (!project) return;
    try {
      const analysis = await tenant.analyses.get(payload.analysisId);
      const { files, lines, cloneClasses, duplicatedLines, classesDigest, timings } = await this.fromStore(
        tenant,
        payload.projectId,
        analysis?.filesTotal ?? 0,
      );
      const record = await tenant.analyses.update(payload.analysisId, {
        status: 'done',
        finishedAt: new Date().toISOString(),
        // The store merges timings by phase: the shards' time stays.
        timings,
        summary: {
          files,
          cloneClasses,
          duplicatedLines,
          lines,
          duplication: lines === 0 ? 0 : Math.round((duplicatedLines / lines) * 10_000) / 10_000,
          classesDigest,
        },
      });
      if (record) this.publish(payload.tenantId, project.name, record);
    } catch (error) {
      this.deps.logger.error({ err: error, analysis: payload.analysisId }, 'analysis failed');
      if (context.attempt >= 3) {
        const record = await tenant.analyses.update(payload.analysisId, {
          status: 'failed',
          finishedAt: new Date().toISOString(),
          error: 'the final step of the analysis failed repeatedly; the server log has the details',
        });
        if (record) this.publish(payload.tenantId, project.name, record);
      }
      throw error;
    }
  }

  /**
   * The records of the project's live index, when this process holds it at the store's current
   * revision with records of the analysis's kind: the same records the store holds (both come from
   * the same contents), without reading and decoding them. Only the records are taken, in path
   * order, never the index's pairs or classes, so the result is the store's to the last class.
   */
  private async liveRecords(
    tenant: TenantStore,
    projectId: string,
    key: string,
  ): Promise<{ files: number; records: FileRecord[] } | undefined> {
    const index = await this.liveIndex(tenant.tenantId, projectId);
    if (!index || index.recordKey !== key) return undefined;
    // Read under the index's lock: no change can land between the revision check and the snapshot.
    return index.exclusive(async () => {
      if ((await tenant.files.revision(projectId)) !== index.currentRevision) return undefined;
      // Symbols are not part of an analysis; leaving them out keeps the copy to the thread small.
      const { files, records } = index.snapshot();
      return { files, records: records.map((record) => ({ ...record, symbols: NO_SYMBOLS })) };
    });
  }

  /** Whether this process holds the project's live index at the store's current revision. */
  private async holdsCurrent(tenant: TenantStore, tenantId: string, projectId: string): Promise<boolean> {
    const index = await this.liveIndex(tenantId, projectId);
    return index !== undefined && (await tenant.files.revision(projectId)) === index.currentRevision;
  }

  /** The project's live index if this process has loaded it (a failed load counts as none); never loads one. */
  private liveIndex(tenantId: string, projectId: string): Promise<ProjectIndex | undefined> {
    return this.deps.live?.loaded(tenantId, projectId)?.catch(() => undefined) ?? Promise.resolve(undefined);
  }

  /**
   * The project's classes from its stored records, loaded page by page in path order. A small
   * project goes to one pool thread whole; a large one is decoded here and matched on every thread.
   * `expectedFiles` (the analysis's count) picks the way; the files actually found are counted.
   */
  private async fromStore(tenant: TenantStore, projectId: string, expectedFiles: number): Promise<Built> {
    const started = performance.now();
    const key = recordKey({ minTokens: this.minTokens });
    const small = expectedFiles < PARALLEL_MATCHING_FROM;
    const live = small ? await this.liveRecords(tenant, projectId, key) : undefined;
    if (live) {
      const load = Math.round(performance.now() - started);
      const summary = await this.deps.prepare.classes({ encoded: [], records: live.records, files: live.files, clones: this.deps.clones });
      return { ...summary, timings: { ...summary.timings, load } };
    }
    const stored: Uint8Array[] = [];
    // Clones only: an analysis reports clone classes, so symbols and conventions are not indexed.
    const clones = small ? undefined : new CloneIndex(this.deps.clones);
    let lines = 0;
    let files = 0;
    let after: string | undefined;
    const late: { path: string; hash: string; text: string }[] = [];
    for (;;) {
      const page = await tenant.files.indexInputs(projectId, key, after, LOAD_PAGE);
      if (page.length === 0) break;
      const decoded: FileRecord[] = [];
      for (const input of page) {
        files++;
        if (input.record && !clones) stored.push(input.record);
        // Views of the stored bytes: `sharedRecords` below copies them once, into shared memory.
        else if (input.record) decoded.push(decodeRecord(input.record, { views: true }));
        else if (input.content !== undefined) late.push({ path: input.path, hash: input.hash, text: input.content });
      }
      // One shared buffer per kind of array for the page (see ProjectIndex.load).
      for (const record of clones ? sharedRecords(decoded) : []) {
        lines += record.lineCount;
        clones?.add(record);
      }
      after = page[page.length - 1]?.path;
    }
    // Files changed after the shards ran (or never analysable) are prepared here; a small project's
    // go to its thread as they are, after the stored ones (the order they are added in).
    const prepared: FileRecord[] = [];
    for (const record of await this.deps.prepare.prepare(late, this.minTokens)) {
      if (!record) continue;
      if (!clones) prepared.push({ ...record, symbols: NO_SYMBOLS });
      else {
        lines += record.lineCount;
        clones.add(record);
      }
    }
    const loaded = performance.now();
    const load = Math.round(loaded - started);
    if (!clones) {
      const summary = await this.deps.prepare.classes({ encoded: stored, records: prepared, files, clones: this.deps.clones });
      return { ...summary, timings: { ...summary.timings, load } };
    }
    // One large matching at a time per process: each takes every thread.
    const summary = await summarizeIndex(clones, files, lines, () => {
      const turn = this.largeTurn.then(async () => {
        await this.deps.prepare.releaseIdle();
        await matchInParallel(clones, this.deps.threads);
      });
      this.largeTurn = turn.catch(() => undefined);
      return turn;
    });
    return { ...summary, timings: { ...summary.timings, load } };
  }
}
