import { hostname } from 'node:os';
import { Agenda, type AgendaBackend, type Job, type JobParameters, type JobRepository, type NotificationChannel } from 'agenda';
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
import { connectAgendaStore, type AgendaStore, type AgendaStoreKind, type StoredJobData } from './agenda-stores.js';

export interface AgendaQueueOptions {
  /** Names the table, collection, Redis key prefix and notification channel; one per deployment. */
  readonly namespace?: string;
  /**
   * How often a started worker polls for due jobs, in milliseconds (a number: Agenda reads the
   * string '200 milliseconds' as 200 seconds). With PostgreSQL and Redis new jobs also arrive by
   * notification, so polling only paces retries and lock take-overs; MongoDB relies on it alone.
   */
  readonly processEveryMs?: number;
  /** Recorded on the jobs this process locks, so an operator can tell which worker holds one. */
  readonly workerName?: string;
  /** Connection errors and expired locks that have nowhere else to go. */
  readonly onError?: (error: Error) => void;
}

/** What this process knows about one of its runs, found again from the job's attributes. */
interface RunRecord {
  readonly run: ActiveRun;
  readonly failuresBefore: number;
  succeeded: boolean;
}

/** Opens a queue on an Agenda backend; the caller has already picked `kind` from the URL. */
export async function openAgendaQueue(kind: AgendaStoreKind, url: string, options: AgendaQueueOptions = {}): Promise<JobQueue> {
  const namespace = options.namespace ?? 'auxil_jobs';
  // The namespace becomes SQL identifiers and key prefixes; 40 characters leave room for Agenda's index names.
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(namespace)) {
    throw new QueueError(
      'queue_option_invalid',
      `queue namespace "${namespace}" must be 1-40 lower-case letters, digits or _, starting with a letter`,
    );
  }
  const processEveryMs = options.processEveryMs ?? 1_000;
  if (!Number.isInteger(processEveryMs) || processEveryMs < 1) {
    throw new QueueError('queue_option_invalid', `processEveryMs must be a whole number of milliseconds, not ${processEveryMs}`);
  }
  const onError = options.onError ?? (() => undefined);
  const store = await connectAgendaStore(kind, { url, namespace, onError });
  return new AgendaQueue(store, { processEveryMs, workerName: options.workerName ?? `${hostname()}:${process.pid}`, onError });
}

/**
 * The distributed mode's queue. Agenda does the polling, locking and retry scheduling; this class
 * adds what the interface promises on top: a lock watchdog that aborts the handler's signal, a
 * fence so a run that lost its lock writes nothing, a count of attempts, and a drain on stop.
 */
class AgendaQueue implements JobQueue {
  readonly kind: string;
  private readonly agenda: Agenda;
  private readonly runs = new ActiveRuns();
  private readonly records = new WeakMap<JobParameters, RunRecord>();
  private readonly concurrency = new Map<string, number>();
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly store: AgendaStore,
    private readonly options: { processEveryMs: number; workerName: string; onError: (error: Error) => void },
  ) {
    this.kind = `agenda-${store.kind}`;
    this.agenda = new Agenda({
      backend: this.agendaBackend(),
      name: options.workerName,
      processEvery: options.processEveryMs,
      // Lock only what can run now (see define); the limit across types is the sum set in start().
      lockLimit: 0,
      defaultLockLimit: 1,
    });
    this.agenda.on('error', options.onError);
    // 'complete' comes after Agenda has written the run's outcome, which is when stop() may close.
    this.agenda.on('complete', (job, remote) => {
      if (!remote) this.records.get(job.attrs)?.run.finish();
    });
  }

  define<P extends JsonValue>(name: string, handler: JobHandler<P>, options?: JobTypeOptions): void {
    this.assertOpen();
    if (this.concurrency.has(name)) throw new QueueError('job_type_duplicate', `job type "${name}" is already defined in this process`);
    const settings = resolveJobType(name, options);
    this.concurrency.set(name, settings.concurrency);
    this.agenda.define<StoredJobData>(name, (job) => this.runJob(job, handler as JobHandler, settings), {
      concurrency: settings.concurrency,
      // Without a lock limit one polling worker locks every due job and the others get none; the
      // prefetched ones start as soon as a running one ends (Agenda fills its queue only on a poll).
      lockLimit: settings.concurrency + settings.prefetch,
      lockLifetime: settings.lockLifetimeMs,
      backoff: ({ attempt }) => (attempt < settings.maxAttempts ? retryDelayMs(attempt, settings.backoff) : null),
    });
  }

  async enqueue<P extends JsonValue>(name: string, payload: P, options: EnqueueOptions = {}): Promise<string> {
    this.assertOpen();
    const stored = normalisePayload(name, payload);
    if (options.key !== undefined) return this.store.insertKeyed(this.agenda, name, { payload: stored, key: options.key });
    const job = await this.agenda.now<StoredJobData>(name, { payload: stored });
    return String(job.attrs._id);
  }

  async get(id: string): Promise<JobStatus | undefined> {
    this.assertOpen();
    if (!this.store.isJobId(id)) return undefined;
    const attrs = await this.agenda.db.getJobById(id);
    return attrs ? statusOf(id, attrs) : undefined;
  }

  async start(): Promise<void> {
    this.assertOpen();
    if (this.started) return;
    this.started = true;
    const total = [...this.concurrency.values()].reduce((sum, n) => sum + n, 0);
    this.agenda.maxConcurrency(Math.max(1, total));
    await this.agenda.start();
  }

  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.shutdown(options);
    return this.stopping;
  }

  private async shutdown(options: StopOptions): Promise<void> {
    try {
      // Stops polling and hands back jobs locked but not started; running jobs carry on.
      if (this.started) await this.agenda.stop(false);
    } catch (error) {
      // Jobs not handed back stay locked until their lock expires; the drain and close still happen.
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    }
    await this.runs.drain(options.timeoutMs ?? 30_000, options.abortGraceMs ?? 5_000);
    await this.store.close();
  }

  private async runJob(job: Job<StoredJobData>, handler: JobHandler, settings: JobTypeSettings): Promise<void> {
    const attrs = job.attrs;
    const jobId = String(attrs._id);
    const run = this.runs.begin(jobId, attrs.lockedAt?.getTime() ?? Date.now(), settings.lockLifetimeMs);
    const record: RunRecord = { run, failuresBefore: attrs.failCount ?? 0, succeeded: false };
    this.records.set(attrs, record);
    try {
      await handler(attrs.data.payload, {
        jobId,
        attempt: record.failuresBefore + 1,
        signal: run.signal,
        touch: () => this.touch(run, job),
      });
      record.succeeded = true;
    } catch (error) {
      if (run.abortedForShutdown && !run.fenced) await this.release(run, attrs);
      throw error;
    }
  }

  private async touch(run: ActiveRun, job: Job<StoredJobData>): Promise<void> {
    run.assertLockHeld();
    const at = Date.now();
    await job.touch();
    run.extendLock(at);
  }

  /** Puts a job whose handler gave up on shutdown back in the queue at once, without counting the run. */
  private async release(run: ActiveRun, attrs: JobParameters): Promise<void> {
    try {
      await this.store.backend.repository.saveJobState(
        { ...attrs, lockedAt: undefined, nextRunAt: new Date() },
        { lastModifiedBy: this.options.workerName },
      );
    } catch (error) {
      // Not released: the lock expires and another worker runs the job, as after a crash.
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    }
    // Agenda now records a failure; the fence keeps it from being written.
    run.fence(new QueueError('job_aborted', `job ${run.jobId} was handed back: its worker is stopping`));
  }

  /** Agenda's backend with the writes of fenced runs dropped and connections left to the store. */
  private agendaBackend(): AgendaBackend {
    const { backend } = this.store;
    return {
      name: backend.name,
      repository: fencedRepository(backend.repository, (attrs) => this.records.get(attrs)),
      notificationChannel: backend.notificationChannel && sharedChannel(backend.notificationChannel),
      ownsConnection: false,
      // The store connected before Agenda was built: Agenda's own connect() is not awaited and a
      // refused connection would surface as an unhandled rejection and a queue that never gets ready.
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
    };
  }

  private assertOpen(): void {
    if (this.stopping) throw new QueueError('queue_stopped', 'this queue was stopped; open a new one');
  }
}

/**
 * The repository Agenda writes through. A proxy, because only one method changes:
 * - a fenced run's state writes are dropped: its lock may be another worker's by now;
 * - a successful run keeps its count of earlier failures, which Agenda would reset to 0 (it is
 *   what `attempts` is computed from, and a finished one-off job never needs a fresh count).
 */
function fencedRepository(inner: JobRepository, recordOf: (attrs: JobParameters) => RunRecord | undefined): JobRepository {
  const saveJobState: JobRepository['saveJobState'] = async (attrs, options) => {
    const record = recordOf(attrs);
    if (record?.run.fenced) return;
    if (record?.succeeded) attrs.failCount = record.failuresBefore;
    await inner.saveJobState(attrs, options);
  };
  return new Proxy(inner, {
    get: (target, property) => (property === 'saveJobState' ? saveJobState : bound(target, property)),
  });
}

/**
 * The notification channel as Agenda sees it. The store connected it at open, because a process
 * that only enqueues never calls start() and would otherwise publish nothing (workers would see its
 * jobs only at their next poll). Agenda's start() would connect it a second time, leaking a
 * connection, and its stop() would close it under runs still finishing: the store owns it instead.
 */
function sharedChannel(inner: NotificationChannel): NotificationChannel {
  return new Proxy(inner, {
    get: (target, property) => {
      if (property === 'connect') return () => (target.state === 'connected' ? Promise.resolve() : target.connect());
      if (property === 'disconnect') return () => Promise.resolve();
      return bound(target, property);
    },
  });
}

function bound(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}

/**
 * Reads the state from Agenda's fields. While a run is in progress Agenda keeps the lock and has
 * cleared nextRunAt; a retry waits with nextRunAt set; a finished job has neither. A job whose last
 * failure is newer than its last start failed for good (a retried job would have nextRunAt set).
 */
function statusOf(id: string, attrs: JobParameters): JobStatus {
  const failures = attrs.failCount ?? 0;
  const base = { id, name: attrs.name };
  const failedLast = attrs.failedAt !== undefined && (attrs.lastRunAt === undefined || attrs.failedAt >= attrs.lastRunAt);
  const error = failedLast && failures > 0 && attrs.failReason ? { error: attrs.failReason } : {};
  if (attrs.nextRunAt) return { ...base, state: 'queued', attempts: failures, ...error };
  if (attrs.lockedAt) return { ...base, state: 'running', attempts: failures + 1 };
  if (failedLast && failures > 0) return { ...base, state: 'failed', attempts: failures, ...error };
  if (attrs.lastFinishedAt) return { ...base, state: 'done', attempts: failures + 1 };
  return { ...base, state: 'queued', attempts: failures };
}
