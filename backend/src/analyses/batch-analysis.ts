import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { AnalysisInfo } from '@auxil/protocol';
import { z } from 'zod';
import { summarizeIndex, type ClassesSummary } from '../analysis/classes-task.js';
import { matchBatches, matchInParallel, MatchingThreads, type PreparePool } from '../analysis/engine-threads.js';
import type { PackedPairs } from '../engine/clones/shared-matching.js';
import { CloneIndex, decodeRecord, encodeRecord, recordKey, sharedRecords, type CloneOptions, type FileRecord } from '../engine/index.js';
import { NO_SYMBOLS } from '../engine/clones/file-record.js';
import { AuxilError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { PushHub } from '../push/push-hub.js';
import type { JobContext, JobQueue } from '../queue/job-queue.js';
import type { AnalysisRecord, IndexInput, Store, TenantStore } from '../store/store.js';
import type { ProjectIndex, ProjectIndexes } from '../projects/project-index.js';
import { resolveProject } from '../projects/project-service.js';
import { batchesOfPart, decodePart, encodePart, IndexDigest, MAX_PARTS } from './match-parts.js';

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
/** Helps the final job of a large analysis match: claims parts of the matching, matches and stores them. */
export const MATCH_JOB = 'analysis.match';
/**
 * Helper jobs a large final job enqueues in distributed mode. Each worker runs one at a time, the
 * final job's own worker holds one (see `help`), and those that come too late end at once: so up to
 * 7 other workers help. More would share 16 parts too thinly to pay for each one's own load, and
 * every job stays in the queue's store (Agenda keeps finished jobs).
 */
const HELPERS = 8;
/** How often a final job that has no part left to claim looks whether the helpers' parts are done. */
const PARTS_POLL_MS = 100;
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
 * Calls `renew` every third of `leaseMs` (at least every 100 ms) until the returned function is
 * called. A failed renewal is left to the lease: the holder notices when it loses what it held.
 */
function renewing(leaseMs: number, renew: () => Promise<unknown>): () => void {
  const timer = setInterval(() => void renew().catch(() => undefined), Math.max(100, Math.floor(leaseMs / 3)));
  return () => clearInterval(timer);
}

/**
 * Runs a job while renewing its lock every third of its lifetime, so a step longer than the lock
 * (a large matching on a busy worker) is not taken for a dead worker and started again beside it.
 */
async function keptAlive(context: JobContext, lockMs: number, run: () => Promise<void>): Promise<void> {
  // A prefetched job's lock has been running while it waited: renew it as the run starts.
  await context.touch();
  // A lost lock also aborts the job's signal; the run notices there.
  const stop = renewing(lockMs, () => context.touch());
  try {
    await run();
  } finally {
    stop();
  }
}

/** Matches one part of a shared matching over `batches` (see match-parts.ts): each of its batches with its pairs. */
async function matchPart(
  threads: MatchingThreads,
  batches: readonly number[][],
  part: number,
  parts: number,
): Promise<{ batch: number; pairs: PackedPairs }[]> {
  const mine = batchesOfPart(part, parts, batches.length);
  const pairs = await threads.match(mine.map((batch) => batches[batch] as number[]));
  return mine.map((batch, i) => ({ batch, pairs: pairs[i] as PackedPairs }));
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
const MatchPayload = FinishPayload.extend({ parts: z.number().int().min(1).max(MAX_PARTS) });
type MatchPayload = z.infer<typeof MatchPayload>;

/** A large project's stored records in a fresh index (clones only), with what an analysis reports of it. */
interface LoadedIndex {
  readonly clones: CloneIndex;
  readonly files: number;
  readonly lines: number;
  /** Names the files and ids the index holds (see IndexDigest): equal digests, interchangeable pairs. */
  readonly digest: string;
}

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
  /** Large analyses whose final job runs in this process, each with what ends with it. */
  private readonly finishing = new Map<string, Promise<void>>();

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
    // One helper at a time per process: a process helps one matching with all its threads, and a
    // helper that waits (see `help`) keeps its process from taking the others' invitations.
    this.deps.queue.define(
      MATCH_JOB,
      (payload, context) => keptAlive(context, FINISH_LOCK_MS, () => this.help(MatchPayload.parse(payload), context)),
      { concurrency: 1, lockLifetimeMs: FINISH_LOCK_MS, maxAttempts: 1 },
    );
  }

  /** How long a claim of a matching part holds without renewal: as long as a shard's lock. */
  private get partLeaseMs(): number {
    return this.deps.shardLockMs ?? SHARD_LOCK_MS;
  }

  /** Whether matchings are cut into parts for other worker processes to share (distributed mode). */
  private get sharesMatching(): boolean {
    return this.deps.queue.kind !== 'local';
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
    let ended = (): void => undefined;
    try {
      const analysis = await tenant.analyses.get(payload.analysisId);
      const expected = analysis?.filesTotal ?? 0;
      let built: Built;
      if (expected < PARALLEL_MATCHING_FROM) built = await this.fromStore(tenant, payload.projectId);
      else {
        this.finishing.set(payload.analysisId, new Promise<void>((resolve) => (ended = resolve)));
        if (this.sharesMatching) {
          // Invitations to the other workers, sent before loading: a helper loads while this job does.
          for (let k = 0; k < HELPERS; k++) {
            await this.deps.queue.enqueue(MATCH_JOB, { ...payload, parts: MAX_PARTS }, { key: `${payload.analysisId}:match:${k}` });
          }
        }
        built = await this.large(tenant, payload.analysisId, payload.projectId, context);
      }
      const { files, lines, cloneClasses, duplicatedLines, classesDigest, timings } = built;
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
      await this.dropParts(tenant, payload.analysisId);
    } catch (error) {
      this.deps.logger.error({ err: error, analysis: payload.analysisId }, 'analysis failed');
      if (context.attempt >= 3) {
        const record = await tenant.analyses.update(payload.analysisId, {
          status: 'failed',
          finishedAt: new Date().toISOString(),
          error: 'the final step of the analysis failed repeatedly; the server log has the details',
        });
        if (record) this.publish(payload.tenantId, project.name, record);
        await this.dropParts(tenant, payload.analysisId);
      }
      throw error;
    } finally {
      this.finishing.delete(payload.analysisId);
      ended();
    }
  }

  /** The matched parts of an ended analysis are of no more use (a retry of its final job keeps them). */
  private async dropParts(tenant: TenantStore, analysisId: string): Promise<void> {
    if (!this.sharesMatching) return;
    await tenant.analyses.dropParts(analysisId).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, analysis: analysisId }, 'could not delete the parts of an ended matching');
    });
  }

  /**
   * A helper of a large analysis's final matching, in a worker process. In the process that runs
   * the final job itself it waits for that job to end (holding this process's one helper slot, so
   * the other invitations go to other workers); elsewhere it claims a part before loading anything
   * (a helper that comes when every part is taken ends at once), loads the records as the final job
   * does, and matches and stores parts until none is left to claim.
   */
  private async help(payload: MatchPayload, context: JobContext): Promise<void> {
    const here = this.finishing.get(payload.analysisId);
    if (here) return here;
    const tenant = this.deps.store.forTenant(payload.tenantId);
    const owner = randomUUID();
    let part = await tenant.analyses.claimPart(payload.analysisId, payload.parts, owner, this.partLeaseMs);
    if (part === undefined) return;
    this.deps.logger.info({ analysis: payload.analysisId, part }, 'helping an analysis match');
    const started = performance.now();
    const stopRenewing = renewing(this.partLeaseMs, async () => {
      if (part !== undefined) await tenant.analyses.renewPart(payload.analysisId, part, owner);
    });
    let matched = 0;
    try {
      const { clones, digest } = await this.loadIndex(tenant, payload.projectId);
      const { state, pending } = clones.matchingState();
      const batches = matchBatches(pending);
      const threads = new MatchingThreads(state, this.deps.threads);
      try {
        while (part !== undefined) {
          if (context.signal.aborted) throw context.signal.reason;
          const pairs = encodePart(await matchPart(threads, batches, part, payload.parts));
          await tenant.analyses.completePart(payload.analysisId, part, owner, { digest, pairs });
          matched++;
          part = await tenant.analyses.claimPart(payload.analysisId, payload.parts, owner, this.partLeaseMs);
        }
      } finally {
        await threads.close();
      }
    } finally {
      stopRenewing();
    }
    this.deps.logger.info(
      { analysis: payload.analysisId, parts: matched, ms: Math.round(performance.now() - started) },
      'helped an analysis match',
    );
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

  /** The project's index inputs (records of `key`'s kind, or contents), page by page in path order. */
  private async *inputPages(tenant: TenantStore, projectId: string, key: string): AsyncGenerator<IndexInput[]> {
    let after: string | undefined;
    for (;;) {
      const page = await tenant.files.indexInputs(projectId, key, after, LOAD_PAGE);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]?.path;
    }
  }

  /**
   * A small project's classes from its stored records, loaded page by page in path order and sent
   * to one pool thread whole (many small analyses at once share the cores that way).
   */
  private async fromStore(tenant: TenantStore, projectId: string): Promise<Built> {
    const started = performance.now();
    const key = recordKey({ minTokens: this.minTokens });
    const live = await this.liveRecords(tenant, projectId, key);
    if (live) {
      const load = Math.round(performance.now() - started);
      const summary = await this.deps.prepare.classes({ encoded: [], records: live.records, files: live.files, clones: this.deps.clones });
      return { ...summary, timings: { ...summary.timings, load } };
    }
    const stored: Uint8Array[] = [];
    let files = 0;
    const late: { path: string; hash: string; text: string }[] = [];
    for await (const page of this.inputPages(tenant, projectId, key)) {
      for (const input of page) {
        files++;
        if (input.record) stored.push(input.record);
        else if (input.content !== undefined) late.push({ path: input.path, hash: input.hash, text: input.content });
      }
    }
    // Files changed after the shards ran (or never analysable) are prepared here, and go to the
    // thread as records, after the stored ones (the order they are added in).
    const prepared: FileRecord[] = [];
    for (const record of await this.deps.prepare.prepare(late, this.minTokens)) {
      if (record) prepared.push({ ...record, symbols: NO_SYMBOLS });
    }
    const load = Math.round(performance.now() - started);
    const summary = await this.deps.prepare.classes({ encoded: stored, records: prepared, files, clones: this.deps.clones });
    return { ...summary, timings: { ...summary.timings, load } };
  }

  /**
   * A large project's stored records, decoded page by page in path order into a fresh index that
   * indexes clones only (an analysis reports clone classes, not symbols or conventions); files
   * whose record is missing (changed after the shards ran) are prepared and added last.
   */
  private async loadIndex(tenant: TenantStore, projectId: string): Promise<LoadedIndex> {
    const clones = new CloneIndex(this.deps.clones);
    const digest = new IndexDigest(clones.options);
    let lines = 0;
    let files = 0;
    const late: { path: string; hash: string; text: string }[] = [];
    for await (const page of this.inputPages(tenant, projectId, recordKey({ minTokens: this.minTokens }))) {
      const decoded: FileRecord[] = [];
      for (const input of page) {
        files++;
        if (input.record) {
          // Views of the stored bytes: `sharedRecords` below copies them once, into shared memory.
          decoded.push(decodeRecord(input.record, { views: true }));
          digest.add(input.path, input.hash);
        } else if (input.content !== undefined) late.push({ path: input.path, hash: input.hash, text: input.content });
      }
      // One shared buffer per kind of array for the page (see ProjectIndex.load).
      for (const record of sharedRecords(decoded)) {
        lines += record.lineCount;
        clones.add(record);
      }
    }
    const prepared = await this.deps.prepare.prepare(late, this.minTokens);
    for (const [i, record] of prepared.entries()) {
      if (!record) continue;
      const file = late[i] as { path: string; hash: string };
      digest.add(file.path, file.hash);
      lines += record.lineCount;
      clones.add(record);
    }
    return { clones, files, lines, digest: digest.digest() };
  }

  /**
   * A large project's classes: its records loaded here, matched on every thread of this process,
   * and in distributed mode by the helpers of other workers as well (`matchShared`).
   */
  private async large(tenant: TenantStore, analysisId: string, projectId: string, context: JobContext): Promise<Built> {
    const started = performance.now();
    const loaded = await this.loadIndex(tenant, projectId);
    const load = Math.round(performance.now() - started);
    // One large matching at a time per process: each takes every thread.
    const summary = await summarizeIndex(loaded.clones, loaded.files, loaded.lines, () => {
      const turn = this.largeTurn.then(async () => {
        await this.deps.prepare.releaseIdle();
        if (this.sharesMatching) await this.matchShared(tenant, analysisId, loaded, context);
        else await matchInParallel(loaded.clones, this.deps.threads);
      });
      this.largeTurn = turn.catch(() => undefined);
      return turn;
    });
    return { ...summary, timings: { ...summary.timings, load } };
  }

  /**
   * The final job's side of a shared matching: claims parts and matches them like any helper (its
   * own are kept in memory, their claims renewed until the end), then waits for the parts other
   * workers hold, taking over any whose claim lapses. A part matched over other records (its digest
   * differs: the project changed between the two loads) is matched here again. The batches are
   * accepted in matching order, so the pairs are those of one process's matching.
   */
  private async matchShared(tenant: TenantStore, analysisId: string, loaded: LoadedIndex, context: JobContext): Promise<void> {
    const { state, pending } = loaded.clones.matchingState();
    if (pending.length === 0) return;
    const batches = matchBatches(pending);
    const byBatch = new Array<PackedPairs | undefined>(batches.length);
    const owner = randomUUID();
    const parts = MAX_PARTS;
    const threads = new MatchingThreads(state, this.deps.threads);
    const matchHere = async (part: number): Promise<void> => {
      for (const { batch, pairs } of await matchPart(threads, batches, part, parts)) byBatch[batch] = pairs;
    };
    const own = new Set<number>();
    let waiting = false;
    const stopRenewing = renewing(this.partLeaseMs, () =>
      Promise.all([...own].map((part) => tenant.analyses.renewPart(analysisId, part, owner))),
    );
    try {
      for (;;) {
        if (context.signal.aborted) throw context.signal.reason;
        const part = await tenant.analyses.claimPart(analysisId, parts, owner, this.partLeaseMs);
        if (part !== undefined) {
          own.add(part);
          await matchHere(part);
          continue;
        }
        const done = await tenant.analyses.doneParts(analysisId);
        if (done.filter((each) => !own.has(each)).length + own.size >= parts) break;
        // Nothing to claim because the analysis is gone (its project deleted) or was ended: stop.
        const analysis = await tenant.analyses.get(analysisId);
        if (!analysis || analysis.status === 'done' || analysis.status === 'failed') {
          throw new AuxilError('conflict', `analysis ${analysisId} was deleted or ended while its classes were being built`);
        }
        if (!waiting) {
          waiting = true;
          this.deps.logger.debug({ analysis: analysisId, own: own.size, done: done.length }, 'waiting for the parts other workers hold');
        }
        await delay(PARTS_POLL_MS, undefined, { signal: context.signal });
      }
      for (let part = 0; part < parts; part++) {
        if (own.has(part)) continue;
        const result = await tenant.analyses.partResult(analysisId, part);
        const decoded = result?.digest === loaded.digest ? readablePart(result.pairs) : undefined;
        const expected = batchesOfPart(part, parts, batches.length);
        if (decoded && decoded.length === expected.length && decoded.every((entry, i) => entry.batch === expected[i])) {
          for (const { batch, pairs } of decoded) byBatch[batch] = pairs;
        } else {
          this.deps.logger.warn(
            { analysis: analysisId, part },
            'a helper matched other records (or its part is damaged); matching it here',
          );
          await matchHere(part);
        }
      }
    } finally {
      stopRenewing();
      await threads.close();
    }
    loaded.clones.acceptMatches(byBatch.map((pairs, batch) => pairs ?? failMissing(batch)));
  }
}

/** A stored part's batches, or undefined when its bytes cannot be read (it is then matched again). */
function readablePart(bytes: Uint8Array): ReturnType<typeof decodePart> | undefined {
  try {
    return decodePart(bytes);
  } catch {
    return undefined;
  }
}

function failMissing(batch: number): never {
  throw new Error(`batch ${batch} of the matching has no pairs`);
}
