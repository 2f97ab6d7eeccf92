import { QueueError } from './job-queue.js';

/**
 * One handler run in this process, as both adapters supervise it: its abort signal, the deadline
 * of its lock, and whether its outcome still counts. A run is fenced once its lock may belong to
 * another worker; the adapter then records nothing it does, so a late result cannot overwrite the
 * state written by the worker that took the job over.
 */
export class ActiveRun {
  private readonly controller = new AbortController();
  private lockDeadline = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private fenceReason: QueueError | undefined;
  private resolveSettled!: () => void;
  /** Resolves when the adapter has recorded the run's outcome (or given up on it). */
  readonly settled = new Promise<void>((resolve) => (this.resolveSettled = resolve));

  constructor(
    readonly jobId: string,
    lockedAt: number,
    private readonly lockLifetimeMs: number,
  ) {
    this.extendLock(lockedAt);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the run's results no longer count. */
  get fenced(): boolean {
    return this.fenceReason !== undefined;
  }

  /** True once the signal was aborted because the worker is stopping. */
  get abortedForShutdown(): boolean {
    return this.signal.aborted && this.signal.reason instanceof QueueError && this.signal.reason.code === 'job_aborted';
  }

  /**
   * Records that the lock was (re)written no earlier than `at`. The local deadline is therefore
   * never later than the one other workers compute from the stored lock time, so this run stops
   * counting before anyone can take the job over.
   */
  extendLock(at: number): void {
    this.lockDeadline = at + this.lockLifetimeMs;
    clearTimeout(this.watchdog);
    if (this.fenced) return;
    this.watchdog = setTimeout(() => this.loseLock(), Math.max(0, this.lockDeadline - Date.now()));
    // A forgotten run must not keep the process alive; stop() and finish() clear it anyway.
    this.watchdog.unref();
  }

  /** Throws `job_lock_lost` when the lock has expired, before the handler writes anything more. */
  assertLockHeld(): void {
    if (!this.fenced && Date.now() >= this.lockDeadline) this.loseLock();
    if (this.fenceReason) throw this.fenceReason;
  }

  /** Asks the handler to give up without discarding what it still manages to finish. */
  abort(reason: QueueError): void {
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  /** Discards the run's outcome from now on and aborts its signal. */
  fence(reason: QueueError): void {
    this.fenceReason ??= reason;
    clearTimeout(this.watchdog);
    this.abort(reason);
  }

  /** The adapter has recorded the outcome. */
  finish(): void {
    clearTimeout(this.watchdog);
    this.resolveSettled();
  }

  private loseLock(): void {
    this.fence(
      new QueueError(
        'job_lock_lost',
        `job ${this.jobId} was not touched within its lock lifetime of ${this.lockLifetimeMs} ms; another worker may run it now`,
      ),
    );
  }
}

/** Every run in progress in one queue instance, so that stop() can drain them. */
export class ActiveRuns {
  private readonly runs = new Set<ActiveRun>();

  get size(): number {
    return this.runs.size;
  }

  begin(jobId: string, lockedAt: number, lockLifetimeMs: number): ActiveRun {
    const run = new ActiveRun(jobId, lockedAt, lockLifetimeMs);
    this.runs.add(run);
    void run.settled.then(() => this.runs.delete(run));
    return run;
  }

  /**
   * Waits for the runs to settle; after `timeoutMs` aborts their signals; after `abortGraceMs` more
   * abandons those still going. An abandoned run keeps its lock until it expires, as after a crash:
   * its handler may still be working, so handing the job on at once could run it twice at a time.
   */
  async drain(timeoutMs: number, abortGraceMs: number): Promise<void> {
    if (await this.settleWithin(timeoutMs)) return;
    for (const run of this.runs) run.abort(new QueueError('job_aborted', `job ${run.jobId} was aborted: its worker is stopping`));
    if (await this.settleWithin(abortGraceMs)) return;
    for (const run of [...this.runs]) {
      run.fence(new QueueError('job_aborted', `job ${run.jobId} was abandoned: its handler ignored the abort signal`));
      run.finish();
    }
  }

  private async settleWithin(ms: number): Promise<boolean> {
    if (this.runs.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const settled = Promise.all([...this.runs].map((run) => run.settled)).then(() => true);
    try {
      return await Promise.race([settled, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
