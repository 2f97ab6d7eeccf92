import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { JobStatus, JsonValue } from '../job-queue.js';

/** A lock as the board hands it out: only the holder of the current token may write the outcome. */
export interface LocalLease {
  readonly jobId: string;
  readonly token: number;
  readonly payload: JsonValue;
  /** Failed runs before this one. */
  readonly failures: number;
  readonly lockedAt: number;
}

interface LocalJob {
  readonly id: string;
  readonly name: string;
  readonly payload: JsonValue;
  state: 'queued' | 'running' | 'done' | 'failed';
  failures: number;
  error?: string;
  /** When a queued job may run (later than now while it waits for a retry). */
  runAt: number;
  /** The current lock, while running. */
  token?: number;
  lockedUntil?: number;
}

/**
 * The jobs of the embedded mode, in memory: what a database is to the Agenda adapter. Workers
 * (`LocalQueue` instances) claim jobs with expiring locks and write outcomes under their lock
 * token, so the same rules hold as with a shared database: a lock not touched in time may be
 * taken over, and the outcome of a run that lost its lock is ignored. Jobs do not survive the process.
 */
export class LocalJobBoard {
  private readonly jobs = new Map<string, LocalJob>();
  /** Jobs that may still run (queued or running), per type, in enqueue order. */
  private readonly pending = new Map<string, Set<LocalJob>>();
  private readonly idsByKey = new Map<string, string>();
  private readonly changes = new EventEmitter();
  private nextToken = 1;

  /** Adds a job, or returns the id of the job of this type that already has `key`. */
  add(name: string, payload: JsonValue, key: string | undefined): string {
    const keyed = key === undefined ? undefined : `${name}\u0000${key}`;
    const existing = keyed === undefined ? undefined : this.idsByKey.get(keyed);
    if (existing) return existing;
    const job: LocalJob = { id: randomUUID(), name, payload, state: 'queued', failures: 0, runAt: Date.now() };
    this.jobs.set(job.id, job);
    if (keyed !== undefined) this.idsByKey.set(keyed, job.id);
    this.pendingOf(name).add(job);
    this.changed();
    return job.id;
  }

  get(id: string): JobStatus | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const attempts = job.failures + (job.state === 'running' || job.state === 'done' ? 1 : 0);
    const error = job.state === 'failed' || job.state === 'queued' ? job.error : undefined;
    return { id: job.id, name: job.name, state: job.state, attempts, ...(error === undefined ? {} : { error }) };
  }

  /** Locks the oldest job of this type that is due, or whose lock expired, for `lockLifetimeMs`. */
  claim(name: string, lockLifetimeMs: number): LocalLease | undefined {
    const now = Date.now();
    for (const job of this.pending.get(name) ?? []) {
      const due = job.state === 'queued' && job.runAt <= now;
      const abandoned = job.state === 'running' && (job.lockedUntil ?? 0) <= now;
      if (!due && !abandoned) continue;
      job.state = 'running';
      job.token = this.nextToken++;
      job.lockedUntil = now + lockLifetimeMs;
      return { jobId: job.id, token: job.token, payload: job.payload, failures: job.failures, lockedAt: now };
    }
    return undefined;
  }

  /** Extends a lock; false when the lock is no longer this lease's. */
  touch(lease: LocalLease, lockLifetimeMs: number): boolean {
    const job = this.held(lease);
    if (job) job.lockedUntil = Date.now() + lockLifetimeMs;
    return job !== undefined;
  }

  /** Records success, unless the lock was lost. */
  succeed(lease: LocalLease): void {
    const job = this.held(lease);
    if (!job) return;
    this.settle(job, 'done');
    delete job.error;
  }

  /** Records a failure: queued again after `retryInMs`, or failed for good when it is undefined. */
  fail(lease: LocalLease, error: string, retryInMs: number | undefined): void {
    const job = this.held(lease);
    if (!job) return;
    job.failures += 1;
    job.error = error;
    if (retryInMs === undefined) {
      this.settle(job, 'failed');
    } else {
      this.unlock(job, Date.now() + retryInMs);
    }
  }

  /** Gives the job back without counting the run (its worker is stopping). */
  release(lease: LocalLease): void {
    const job = this.held(lease);
    if (job) this.unlock(job, Date.now());
  }

  /** Calls `listener` whenever a job may have become claimable; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  private held(lease: LocalLease): LocalJob | undefined {
    const job = this.jobs.get(lease.jobId);
    return job?.state === 'running' && job.token === lease.token ? job : undefined;
  }

  private unlock(job: LocalJob, runAt: number): void {
    job.state = 'queued';
    job.runAt = runAt;
    delete job.token;
    delete job.lockedUntil;
    this.changed();
  }

  private settle(job: LocalJob, state: 'done' | 'failed'): void {
    job.state = state;
    delete job.token;
    delete job.lockedUntil;
    this.pending.get(job.name)?.delete(job);
    this.changed();
  }

  private pendingOf(name: string): Set<LocalJob> {
    let jobs = this.pending.get(name);
    if (!jobs) this.pending.set(name, (jobs = new Set()));
    return jobs;
  }

  private changed(): void {
    this.changes.emit('change');
  }
}
