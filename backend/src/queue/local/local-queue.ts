import { ActiveRuns, type ActiveRun } from '../active-runs.js';
import {
  normalisePayload,
  QueueError,
  resolveJobType,
  retryDelayMs,
  type EnqueueOptions,
  type JobHandler,
  type JobQueue,
  type JobStatus,
  type JobTypeOptions,
  type JobTypeSettings,
  type JsonValue,
  type StopOptions,
} from '../job-queue.js';
import { LocalJobBoard, type LocalLease } from './local-job-board.js';

export interface LocalQueueOptions {
  /**
   * How often a started queue looks for retries that became due and locks that expired. New jobs
   * and finished runs wake it at once, so this only bounds how late a retry or a take-over starts.
   */
  readonly processEveryMs?: number;
}

interface LocalJobType {
  readonly handler: JobHandler;
  readonly settings: JobTypeSettings;
  running: number;
}

/**
 * The embedded mode's queue: jobs in memory, handlers run in this process. Handlers are plain
 * async functions; a CPU-heavy one hands its work to a worker-thread pool (piscina) and awaits it,
 * so the queue itself never blocks. Several instances may share one `LocalJobBoard` (the tests do,
 * to hold the local adapter to the same multi-worker contract as the Agenda adapter).
 */
export class LocalQueue implements JobQueue {
  readonly kind = 'local';
  private readonly types = new Map<string, LocalJobType>();
  private readonly runs = new ActiveRuns();
  private readonly processEveryMs: number;
  private started = false;
  private stopping: Promise<void> | undefined;
  private pumpScheduled = false;
  private ticker: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly board: LocalJobBoard = new LocalJobBoard(),
    options: LocalQueueOptions = {},
  ) {
    this.processEveryMs = options.processEveryMs ?? 250;
    if (!Number.isInteger(this.processEveryMs) || this.processEveryMs < 1) {
      throw new QueueError('queue_option_invalid', `processEveryMs must be a whole number of milliseconds, not ${this.processEveryMs}`);
    }
  }

  define<P extends JsonValue>(name: string, handler: JobHandler<P>, options?: JobTypeOptions): void {
    this.assertOpen();
    if (this.types.has(name)) throw new QueueError('job_type_duplicate', `job type "${name}" is already defined in this process`);
    // The board hands back the stored JSON; the handler's payload type is the caller's claim (see JobHandler).
    this.types.set(name, { handler: handler as JobHandler, settings: resolveJobType(name, options), running: 0 });
    this.schedulePump();
  }

  enqueue<P extends JsonValue>(name: string, payload: P, options: EnqueueOptions = {}): Promise<string> {
    return settle(() => {
      this.assertOpen();
      return this.board.add(name, normalisePayload(name, payload), options.key);
    });
  }

  get(id: string): Promise<JobStatus | undefined> {
    return settle(() => {
      this.assertOpen();
      return this.board.get(id);
    });
  }

  start(): Promise<void> {
    return settle(() => {
      this.assertOpen();
      if (this.started) return;
      this.started = true;
      this.unsubscribe = this.board.onChange(() => this.schedulePump());
      this.ticker = setInterval(() => this.schedulePump(), this.processEveryMs);
      this.schedulePump();
    });
  }

  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.drain(options);
    return this.stopping;
  }

  private async drain(options: StopOptions): Promise<void> {
    clearInterval(this.ticker);
    this.unsubscribe?.();
    await this.runs.drain(options.timeoutMs ?? 30_000, options.abortGraceMs ?? 5_000);
  }

  /** Claims work on the next turn of the event loop, so board events never re-enter a claim. */
  private schedulePump(): void {
    if (!this.started || this.stopping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopping) return;
    for (const [name, type] of this.types) {
      while (type.running < type.settings.concurrency) {
        const lease = this.board.claim(name, type.settings.lockLifetimeMs);
        if (!lease) break;
        type.running += 1;
        void this.run(type, lease).finally(() => {
          type.running -= 1;
          this.schedulePump();
        });
      }
    }
  }

  private async run(type: LocalJobType, lease: LocalLease): Promise<void> {
    const { lockLifetimeMs, maxAttempts, backoff } = type.settings;
    const run = this.runs.begin(lease.jobId, lease.lockedAt, lockLifetimeMs);
    try {
      await type.handler(lease.payload, {
        jobId: lease.jobId,
        attempt: lease.failures + 1,
        signal: run.signal,
        touch: () => this.touch(run, lease, lockLifetimeMs),
      });
      if (!run.fenced) this.board.succeed(lease);
    } catch (error) {
      if (run.fenced) return;
      if (run.abortedForShutdown) {
        this.board.release(lease);
        return;
      }
      const failures = lease.failures + 1;
      this.board.fail(lease, errorMessage(error), failures < maxAttempts ? retryDelayMs(failures, backoff) : undefined);
    } finally {
      run.finish();
    }
  }

  private touch(run: ActiveRun, lease: LocalLease, lockLifetimeMs: number): Promise<void> {
    return settle(() => {
      run.assertLockHeld();
      const at = Date.now();
      if (!this.board.touch(lease, lockLifetimeMs)) {
        throw new QueueError('job_lock_lost', `job ${lease.jobId} was taken over by another worker`);
      }
      run.extendLock(at);
    });
  }

  private assertOpen(): void {
    if (this.stopping) throw new QueueError('queue_stopped', 'this queue was stopped; open a new one');
  }
}

/** Runs synchronous work behind the promise-returning interface: a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

/** What a failed job keeps of its error: the message a person can act on. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
