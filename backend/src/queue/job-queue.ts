/**
 * The job queue the core owns: named job types, JSON payloads, at-least-once delivery with locks
 * that expire, retries with backoff. Adapters (the in-process local queue, Agenda on MongoDB,
 * PostgreSQL or Redis) implement it and pass the shared contract suite in
 * backend/test/queue/queue-contract.ts. No driver or Agenda type crosses this interface.
 */

/**
 * A value that survives JSON unchanged, which is all a payload may hold: every adapter stores
 * payloads as JSON, so a Date or a Map would come back as something else. Declare payload shapes
 * with `type` rather than `interface` (TypeScript only checks type aliases against this).
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Where a job is in its life:
 * - `queued`: waiting to run, for the first time or for a retry after a failure;
 * - `running`: a worker holds its lock (or held it and died: the job runs again once the lock expires);
 * - `done`: a run succeeded; the job never runs again;
 * - `failed`: every attempt failed; the job never runs again and keeps its last error.
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** What `get` tells about one job. */
export interface JobStatus {
  readonly id: string;
  /** The job type it was enqueued as. */
  readonly name: string;
  readonly state: JobState;
  /**
   * Runs that counted: each failed run, plus the run in progress or the run that succeeded. A run
   * cut short because its worker lost the lock (or stopped) does not count: the job simply runs again.
   */
  readonly attempts: number;
  /** The message of the last failure, while the job waits for a retry and once it has failed. */
  readonly error?: string;
}

/** What a handler gets besides its payload. */
export interface JobContext {
  readonly jobId: string;
  /** 1 for the first run, 2 for the first retry, and so on (see `JobStatus.attempts`). */
  readonly attempt: number;
  /**
   * Aborted when the handler must give up: its worker is stopping and the drain timeout passed, or
   * the lock was lost (not touched within `lockLifetimeMs`). The reason is a `QueueError` with the
   * code `job_aborted` or `job_lock_lost`. Whatever the handler does afterwards is not recorded.
   */
  readonly signal: AbortSignal;
  /**
   * Extends the lock by another `lockLifetimeMs`. A handler that may run longer than that calls it
   * regularly (say every third of the lifetime), or another worker takes the job over. Rejects with
   * `job_lock_lost` when the lock was already lost.
   */
  touch(): Promise<void>;
}

/**
 * Runs one job. Delivery is at least once: a job whose worker dies, stops or loses the lock is run
 * again from the start, so a handler must be idempotent (write results under keys derived from the
 * payload, replace rather than append). The payload is the stored JSON, not checked against `P`:
 * validate it (zod) as every other entry point does. Throwing fails the run; it is retried with
 * backoff until `maxAttempts`.
 */
export type JobHandler<P extends JsonValue = JsonValue> = (payload: P, context: JobContext) => Promise<void>;

/** How a job type runs in this process. */
export interface JobTypeOptions {
  /** How many jobs of this type this process runs at once. */
  readonly concurrency?: number;
  /**
   * How many more jobs of this type a polling worker may hold locked than it runs, so that the
   * next one starts the moment a running one ends instead of at the next poll (default 0). For
   * short jobs only: a held job's lock runs out while it waits. The local queue does not poll and
   * ignores it.
   */
  readonly prefetch?: number;
  /** How long a lock lasts without `touch()` before another worker may take the job over. */
  readonly lockLifetimeMs?: number;
  /** Runs before the job is marked failed (1 means no retry). */
  readonly maxAttempts?: number;
  /** Wait before retry n: `initialMs * 2^(n-1)`, at most `maxMs`. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** `JobTypeOptions` with every default filled in. */
export interface JobTypeSettings {
  readonly concurrency: number;
  readonly prefetch: number;
  readonly lockLifetimeMs: number;
  readonly maxAttempts: number;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
}

export interface EnqueueOptions {
  /**
   * Idempotency key, unique per job type: enqueueing the same type with a key that already has a
   * job returns that job's id (whatever its state) instead of adding another, so a shard enqueued
   * twice runs once. The first payload wins.
   */
  readonly key?: string;
}

export interface StopOptions {
  /** How long running jobs get to finish before their signal is aborted. */
  readonly timeoutMs?: number;
  /**
   * How long aborted handlers get to return. One still running after that is abandoned with its
   * lock, exactly as if the process had died: another worker runs the job once the lock expires.
   */
  readonly abortGraceMs?: number;
}

/** The queue as the core sees it. Every method but `define` may be called from any process role. */
export interface JobQueue {
  /** Which adapter this is (`local`, `agenda-mongodb`, `agenda-postgres`, `agenda-redis`), for logs and health. */
  readonly kind: string;
  /**
   * Registers the handler of a job type in this process. Only processes that `start()` run jobs,
   * and each runs only the types it defined. Throws `job_type_duplicate` when defined twice.
   */
  define<P extends JsonValue>(name: string, handler: JobHandler<P>, options?: JobTypeOptions): void;
  /**
   * Stores a job and returns its id; a started worker anywhere picks it up. With `key`, returns
   * the existing job's id if this type already has a job with that key.
   */
  enqueue<P extends JsonValue>(name: string, payload: P, options?: EnqueueOptions): Promise<string>;
  /** The job's status, or undefined for an id this queue does not know. */
  get(id: string): Promise<JobStatus | undefined>;
  /** Starts running the defined job types (the worker role). A queue that never starts only enqueues. */
  start(): Promise<void>;
  /**
   * Takes no new jobs, lets running ones finish (aborting them after `timeoutMs`), then closes
   * connections. Never leaves a job locked for longer than its lock lifetime. The queue cannot be
   * used afterwards; calling stop again waits for the first call.
   */
  stop(options?: StopOptions): Promise<void>;
}

/** Stable codes of queue failures: callers branch on these, never on messages. */
export type QueueErrorCode =
  /** The queue URL is not a URL. */
  | 'queue_url_invalid'
  /** The queue URL's scheme names no adapter. */
  | 'queue_url_unsupported'
  /** An option of `openQueue` or `define` is out of range. */
  | 'queue_option_invalid'
  /** The queue's server could not be reached or refused the connection. */
  | 'queue_unreachable'
  /** The queue was used after `stop()`. */
  | 'queue_stopped'
  /** A job type was defined twice in one process. */
  | 'job_type_duplicate'
  /** A payload cannot be stored as JSON. */
  | 'job_payload_invalid'
  /** The handler's lock expired: another worker may be running the job. */
  | 'job_lock_lost'
  /** The handler's worker is stopping and the drain timeout passed. */
  | 'job_aborted';

/** The one error type of the queue and its adapters. */
export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QueueError';
  }
}

/** Defaults suit batch shards: one at a time per process, a few retries, locks that outlive a slow shard. */
export const jobTypeDefaults: JobTypeSettings = {
  concurrency: 1,
  prefetch: 0,
  lockLifetimeMs: 10 * 60_000,
  maxAttempts: 3,
  backoff: { initialMs: 1_000, maxMs: 60_000 },
};

/** Fills in the defaults and refuses values no adapter could honour. */
export function resolveJobType(name: string, options: JobTypeOptions = {}): JobTypeSettings {
  const settings: JobTypeSettings = {
    concurrency: options.concurrency ?? jobTypeDefaults.concurrency,
    prefetch: options.prefetch ?? jobTypeDefaults.prefetch,
    lockLifetimeMs: options.lockLifetimeMs ?? jobTypeDefaults.lockLifetimeMs,
    maxAttempts: options.maxAttempts ?? jobTypeDefaults.maxAttempts,
    backoff: {
      initialMs: options.backoff?.initialMs ?? jobTypeDefaults.backoff.initialMs,
      maxMs: options.backoff?.maxMs ?? jobTypeDefaults.backoff.maxMs,
    },
  };
  const checks: [string, number, number][] = [
    ['concurrency', settings.concurrency, 1],
    ['prefetch', settings.prefetch, 0],
    ['lockLifetimeMs', settings.lockLifetimeMs, 100],
    ['maxAttempts', settings.maxAttempts, 1],
    ['backoff.initialMs', settings.backoff.initialMs, 0],
    ['backoff.maxMs', settings.backoff.maxMs, 0],
  ];
  for (const [option, value, min] of checks) {
    if (!Number.isInteger(value) || value < min) {
      throw new QueueError('queue_option_invalid', `job type "${name}": ${option} must be a whole number of at least ${min}, not ${value}`);
    }
  }
  return settings;
}

/** The wait before retry `attempt` (1 for the first retry). */
export function retryDelayMs(attempt: number, backoff: JobTypeSettings['backoff']): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * The payload as it will be stored and handed back: JSON in, JSON out, so every adapter returns
 * exactly the same value. Refuses what JSON cannot hold (undefined, functions, cycles, BigInt).
 */
export function normalisePayload(name: string, payload: unknown): JsonValue {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    throw new QueueError('job_payload_invalid', `the payload of a "${name}" job cannot be stored as JSON`, { cause: error });
  }
  if (json === undefined) throw new QueueError('job_payload_invalid', `the payload of a "${name}" job cannot be stored as JSON`);
  return JSON.parse(json) as JsonValue;
}
