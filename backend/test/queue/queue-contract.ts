import assert from 'node:assert/strict';
import { describe, test as nodeTest, type TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { QueueError, type JobContext, type JobQueue, type JobState, type JsonValue } from '../../src/queue/job-queue.js';

/**
 * One test's view of an adapter: any number of queue instances over the same storage, standing for
 * separate processes (the in-process simulation is what these tests can do; the fault test with real
 * processes and kill -9 lives with the end-to-end tests).
 */
export interface QueueHarness {
  /** Opens one more instance over this test's storage, polling every `processEveryMs` (default contractProcessEveryMs). */
  open(processEveryMs?: number): Promise<JobQueue>;
  /** Deletes everything the test stored. Every instance is stopped before it is called. */
  cleanup(): Promise<void>;
}

/** Polling interval of the instances the harness opens: short, so retries and take-overs come quickly. */
export const contractProcessEveryMs = 50;

/** For the tests about losing a lock: short, so that the take-over comes quickly. */
const lockLifetimeMs = 600;
/**
 * For every other test: long enough that no handler loses its lock while a test holds it, short
 * because Agenda keeps a timer of half the lock lifetime running after its last job, which keeps the
 * test process alive (see docs/queues.md).
 */
const steadyLock = { lockLifetimeMs: 5_000 } as const;
const waitLimitMs = 15_000;

/** Polls `condition` until it holds; fails with `what` after the deadline. */
async function waitFor(what: string, condition: () => boolean | Promise<boolean>, limitMs = waitLimitMs): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${limitMs} ms waiting until ${what}`);
    await delay(10);
  }
}

async function waitForState(queue: JobQueue, id: string, state: JobState): Promise<void> {
  await waitFor(`job ${id} is ${state}`, async () => (await queue.get(id))?.state === state);
}

/** A promise a test settles by hand: the handler waits on it like on slow work. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves when the signal aborts (a handler that only stops when told to). */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}

type Payload = { readonly n: number };

/**
 * The contract of `JobQueue`: every adapter runs it against its real backend. Each test gets
 * fresh storage (its own namespace), stops every instance it opened and deletes what it stored.
 */
export function queueContract(adapterName: string, createHarness: () => Promise<QueueHarness>, skip?: string): void {
  async function fresh(
    t: TestContext,
  ): Promise<{ open: (processEveryMs?: number) => Promise<JobQueue>; onCleanup: (step: () => void) => void }> {
    const harness = await createHarness();
    const queues: JobQueue[] = [];
    const steps: (() => void)[] = [];
    t.after(async () => {
      // Release hung handlers first, so abandoned runs end and leave no promise behind.
      for (const step of steps) step();
      await Promise.all(queues.map((queue) => queue.stop({ timeoutMs: 2_000, abortGraceMs: 500 })));
      await harness.cleanup();
    });
    return {
      open: async (processEveryMs?: number) => {
        const queue = await harness.open(processEveryMs);
        queues.push(queue);
        return queue;
      },
      onCleanup: (step) => steps.push(step),
    };
  }

  // Skipped test by test rather than as a suite, so that the summary counts what was not run. The
  // runner awaits the tests it registers, as with a direct call to test().
  const test = (name: string, fn: (t: TestContext) => Promise<void>): void => {
    void nodeTest(name, { skip }, fn);
  };

  describe(`JobQueue contract: ${adapterName}`, () => {
    test('an enqueued job runs once with its payload and ends done after one attempt', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      const seen: { payload: Payload; context: JobContext }[] = [];
      queue.define<Payload>(
        'square',
        (payload, context) => {
          seen.push({ payload, context });
          return Promise.resolve();
        },
        steadyLock,
      );
      await queue.start();
      const id = await queue.enqueue<Payload>('square', { n: 7 });
      assert.equal(typeof id, 'string');
      await waitForState(queue, id, 'done');
      assert.deepEqual(await queue.get(id), { id, name: 'square', state: 'done', attempts: 1 });
      assert.equal(seen.length, 1);
      assert.deepEqual(seen[0]?.payload, { n: 7 });
      assert.equal(seen[0]?.context.jobId, id);
      assert.equal(seen[0]?.context.attempt, 1);
    });

    test('a payload comes back exactly as JSON would carry it', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      const payload: JsonValue = {
        text: 'naïve café — 漢字 🚀 "quoted" \\ back\nslash',
        empty: '',
        numbers: [0, -1, 3.25, 1e21, Number.MAX_SAFE_INTEGER],
        flags: [true, false, null],
        nested: { deeper: { deepest: [[], {}, [{ k: 'v' }]] } },
        'key with spaces.and.dots': 1,
      };
      let received: JsonValue | undefined;
      queue.define(
        'echo',
        (got) => {
          received = got;
          return Promise.resolve();
        },
        steadyLock,
      );
      await queue.start();
      await waitForState(queue, await queue.enqueue('echo', payload), 'done');
      assert.deepEqual(received, payload);
    });

    test('a payload JSON cannot carry is refused with job_payload_invalid', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const bad of [10n, cyclic, undefined]) {
        await assert.rejects(
          () => queue.enqueue('echo', bad as unknown as JsonValue),
          (error: unknown) => error instanceof QueueError && error.code === 'job_payload_invalid',
        );
      }
    });

    test('the same idempotency key enqueued again, even concurrently from two instances, gives one job that runs once', async (t) => {
      const { open } = await fresh(t);
      const [worker, producer] = [await open(), await open()];
      const runs: number[] = [];
      worker.define<Payload>(
        'shard',
        (payload) => {
          runs.push(payload.n);
          return Promise.resolve();
        },
        steadyLock,
      );
      const ids = await Promise.all([
        ...[1, 2, 3].map((n) => worker.enqueue<Payload>('shard', { n }, { key: 'repo-1/shard-0' })),
        ...[4, 5, 6].map((n) => producer.enqueue<Payload>('shard', { n }, { key: 'repo-1/shard-0' })),
      ]);
      assert.equal(new Set(ids).size, 1, `one id for one key, got ${ids.join(', ')}`);
      const [id] = ids as [string];
      const otherKey = await producer.enqueue<Payload>('shard', { n: 7 }, { key: 'repo-1/shard-1' });
      const otherType = await producer.enqueue<Payload>('other-type', { n: 8 }, { key: 'repo-1/shard-0' });
      assert.notEqual(otherKey, id);
      assert.notEqual(otherType, id);

      await worker.start();
      await waitForState(worker, id, 'done');
      await waitForState(worker, otherKey, 'done');
      assert.equal(await producer.enqueue<Payload>('shard', { n: 9 }, { key: 'repo-1/shard-0' }), id, 'a finished job keeps its key');
      assert.equal(runs.length, 2, `ran ${runs.join(', ')}`);
      assert.ok([1, 2, 3, 4, 5, 6].includes(runs.find((n) => n !== 7) ?? 0), 'one of the first payloads won');
      assert.equal((await producer.get(otherType))?.state, 'queued', 'no instance defines other-type');
    });

    test('a failing job is retried with backoff and ends done, counting every attempt', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      const attempts: number[] = [];
      queue.define(
        'flaky',
        (_payload, context) => {
          attempts.push(context.attempt);
          return context.attempt < 3 ? Promise.reject(new Error(`boom ${context.attempt}`)) : Promise.resolve();
        },
        { maxAttempts: 3, backoff: { initialMs: 400, maxMs: 400 }, ...steadyLock },
      );
      await queue.start();
      const id = await queue.enqueue('flaky', null);
      await waitFor('the job waits for its first retry', async () => {
        const status = await queue.get(id);
        return status?.state === 'queued' && status.attempts === 1;
      });
      assert.deepEqual(await queue.get(id), { id, name: 'flaky', state: 'queued', attempts: 1, error: 'boom 1' });
      await waitForState(queue, id, 'done');
      assert.deepEqual(await queue.get(id), { id, name: 'flaky', state: 'done', attempts: 3 });
      assert.deepEqual(attempts, [1, 2, 3]);
    });

    test('a job failing every attempt ends failed after maxAttempts, keeping its last error', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      let calls = 0;
      queue.define('doomed', () => Promise.reject(new Error(`broken input ${++calls}`)), {
        maxAttempts: 2,
        backoff: { initialMs: 50 },
        ...steadyLock,
      });
      await queue.start();
      const id = await queue.enqueue('doomed', { n: 1 });
      await waitForState(queue, id, 'failed');
      assert.deepEqual(await queue.get(id), { id, name: 'doomed', state: 'failed', attempts: 2, error: 'broken input 2' });
      assert.equal(calls, 2);
    });

    test('a process never runs more jobs of a type at once than its concurrency, and does use it', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      let inFlight = 0;
      let mostInFlight = 0;
      const gates: (() => void)[] = [];
      queue.define(
        'limited',
        async () => {
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          const { promise, open: release } = gate();
          gates.push(release);
          await promise;
          inFlight -= 1;
        },
        { concurrency: 2, ...steadyLock },
      );
      const ids = await Promise.all(Array.from({ length: 6 }, (_, n) => queue.enqueue<Payload>('limited', { n })));
      await queue.start();
      for (let remaining = ids.length; remaining > 0; remaining--) {
        await waitFor(`${Math.min(2, remaining)} jobs run at once`, () => inFlight === Math.min(2, remaining));
        gates.shift()?.();
      }
      for (const id of ids) await waitForState(queue, id, 'done');
      assert.equal(mostInFlight, 2);
    });

    test('with prefetch, the next job starts when one ends, not at the next poll; still no more at once than the concurrency', async (t) => {
      const { open } = await fresh(t);
      // One poll a minute: only the poll at start falls within the test.
      const queue = await open(60_000);
      let inFlight = 0;
      let mostInFlight = 0;
      queue.define(
        'prefetched',
        async () => {
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          await delay(20);
          inFlight -= 1;
        },
        { concurrency: 1, prefetch: 2, ...steadyLock },
      );
      const ids = await Promise.all(Array.from({ length: 3 }, (_, n) => queue.enqueue<Payload>('prefetched', { n })));
      await queue.start();
      for (const id of ids) await waitForState(queue, id, 'done');
      assert.equal(mostInFlight, 1);
    });

    test('two worker instances share 20 jobs enqueued by a third that never starts; each job runs exactly once', async (t) => {
      const { open } = await fresh(t);
      const [a, b, producer] = [await open(), await open(), await open()];
      const ranBy = new Map<number, string[]>();
      for (const [worker, name] of [
        [a, 'a'],
        [b, 'b'],
      ] as const) {
        worker.define<Payload>(
          'shared',
          async (payload) => {
            ranBy.set(payload.n, [...(ranBy.get(payload.n) ?? []), name]);
            await delay(20); // stands for the work of a shard, so that both workers get some
          },
          { concurrency: 2, ...steadyLock },
        );
        await worker.start();
      }
      const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => producer.enqueue<Payload>('shared', { n })));
      for (const id of ids) await waitForState(producer, id, 'done');
      assert.equal(ranBy.size, 20);
      for (const [n, runners] of ranBy) assert.equal(runners.length, 1, `job ${n} ran on ${runners.join(' and ')}`);
      const counts = ['a', 'b'].map((name) => [...ranBy.values()].filter(([runner]) => runner === name).length);
      assert.ok(
        counts.every((count) => count > 0),
        `both workers took part (a ran ${counts[0]}, b ran ${counts[1]})`,
      );
    });

    test('a handler that stops touching loses its lock: its signal aborts with job_lock_lost and another run finishes the job', async (t) => {
      const { open } = await fresh(t);
      const [a, b] = [await open(), await open()];
      const starts: number[] = [];
      let lostReason: unknown;
      for (const worker of [a, b]) {
        worker.define(
          'stuck-once',
          async (_payload, context) => {
            starts.push(Date.now());
            if (starts.length > 1) return;
            lostReason = await aborted(context.signal);
            throw new Error('gave up after losing the lock');
          },
          { lockLifetimeMs },
        );
        await worker.start();
      }
      const id = await a.enqueue('stuck-once', null);
      await waitForState(a, id, 'done');
      assert.equal(starts.length, 2);
      assert.ok(lostReason instanceof QueueError && lostReason.code === 'job_lock_lost', `abort reason: ${String(lostReason)}`);
      assert.ok(
        (starts[1] ?? 0) - (starts[0] ?? 0) >= lockLifetimeMs - 50,
        `re-run ${(starts[1] ?? 0) - (starts[0] ?? 0)} ms after the first start`,
      );
      assert.deepEqual(
        await a.get(id),
        { id, name: 'stuck-once', state: 'done', attempts: 1 },
        'the lost run neither failed the job nor counted',
      );
    });

    test('a handler that touches keeps its lock for longer than the lock lifetime and runs once', async (t) => {
      const { open } = await fresh(t);
      const [a, b] = [await open(), await open()];
      let runs = 0;
      for (const worker of [a, b]) {
        worker.define(
          'long',
          async (_payload, context) => {
            runs += 1;
            for (let step = 0; step < 6; step++) {
              await delay(lockLifetimeMs / 3); // stands for a slice of a long shard
              await context.touch();
            }
          },
          { lockLifetimeMs },
        );
        await worker.start();
      }
      const id = await a.enqueue('long', null);
      await waitForState(a, id, 'done');
      assert.equal(runs, 1);
      assert.deepEqual(await b.get(id), { id, name: 'long', state: 'done', attempts: 1 });
    });

    test('a worker that dies mid-job (simulated: stopped while its handler ignores the signal) keeps the lock until it expires; then another instance runs the job', async (t) => {
      const { open, onCleanup } = await fresh(t);
      const [dying, survivor] = [await open(), await open()];
      const hung = gate();
      onCleanup(hung.open);
      let dyingStartedAt = 0;
      dying.define(
        'shard',
        async () => {
          dyingStartedAt = Date.now();
          await hung.promise;
        },
        { lockLifetimeMs },
      );
      let survivorStartedAt = 0;
      survivor.define(
        'shard',
        () => {
          survivorStartedAt = Date.now();
          return Promise.resolve();
        },
        { lockLifetimeMs },
      );
      await dying.start();
      const id = await survivor.enqueue('shard', null);
      await waitForState(survivor, id, 'running');
      // Like a killed process, the stopped worker neither polls nor touches nor hands the job back.
      await dying.stop({ timeoutMs: 50, abortGraceMs: 50 });
      assert.equal((await survivor.get(id))?.state, 'running', 'the abandoned job stays locked');
      await survivor.start();
      await waitForState(survivor, id, 'done');
      assert.ok(survivorStartedAt - dyingStartedAt >= lockLifetimeMs - 50, `taken over after ${survivorStartedAt - dyingStartedAt} ms`);

      hung.open();
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        await survivor.get(id),
        { id, name: 'shard', state: 'done', attempts: 1 },
        'the late finish of the dead run changes nothing',
      );
    });

    test('stop() lets running jobs finish before it resolves, starts no new ones, and refuses further use', async (t) => {
      const { open } = await fresh(t);
      const [worker, observer] = [await open(), await open()];
      const release = gate();
      const finished: string[] = [];
      worker.define(
        'drained',
        async (_payload, context) => {
          await release.promise;
          finished.push(context.jobId);
        },
        { concurrency: 2, ...steadyLock },
      );
      const ids = await Promise.all([1, 2, 3, 4].map((n) => observer.enqueue<Payload>('drained', { n })));
      await worker.start();
      await waitFor(
        'two jobs run',
        async () => (await Promise.all(ids.map((id) => observer.get(id)))).filter((s) => s?.state === 'running').length === 2,
      );
      let stopped = false;
      const stopping = worker.stop({ timeoutMs: 10_000 }).then(() => (stopped = true));
      await assert.rejects(
        () => worker.enqueue('drained', null),
        (error: unknown) => error instanceof QueueError && error.code === 'queue_stopped',
      );
      assert.equal(stopped, false);
      release.open();
      await stopping;
      assert.equal(finished.length, 2, 'the two running jobs finished');
      const states = await Promise.all(ids.map(async (id) => (await observer.get(id))?.state));
      assert.deepEqual(states.map((state, i) => (finished.includes(ids[i] ?? '') ? `finished:${state}` : `waiting:${state}`)).sort(), [
        'finished:done',
        'finished:done',
        'waiting:queued',
        'waiting:queued',
      ]);
    });

    test('stop() aborts handlers that outlast its timeout and hands their jobs back at once, uncounted', async (t) => {
      const { open } = await fresh(t);
      const [stopping, next] = [await open(), await open()];
      let abortReason: unknown;
      let firstStartedAt = 0;
      stopping.define(
        'slow',
        async (_payload, context) => {
          firstStartedAt = Date.now();
          abortReason = await aborted(context.signal);
          throw new Error('interrupted');
        },
        steadyLock,
      );
      let nextStartedAt = 0;
      next.define(
        'slow',
        () => {
          nextStartedAt = Date.now();
          return Promise.resolve();
        },
        steadyLock,
      );
      await stopping.start();
      const id = await next.enqueue('slow', null);
      await waitForState(next, id, 'running');
      await stopping.stop({ timeoutMs: 100, abortGraceMs: 5_000 });
      assert.ok(abortReason instanceof QueueError && abortReason.code === 'job_aborted', `abort reason: ${String(abortReason)}`);
      assert.deepEqual(await next.get(id), { id, name: 'slow', state: 'queued', attempts: 0 });
      await next.start();
      await waitForState(next, id, 'done');
      assert.equal((await next.get(id))?.attempts, 1);
      assert.ok(nextStartedAt - firstStartedAt < steadyLock.lockLifetimeMs, 'it ran again before its lock could have expired');
    });

    test('get() of an id the queue never issued is undefined', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      for (const id of ['', 'nope', '00000000-0000-4000-8000-000000000000', '0123456789abcdef01234567', "x' OR '1'='1"]) {
        assert.equal(await queue.get(id), undefined, `get(${JSON.stringify(id)})`);
      }
    });

    test('defining a job type twice in one instance is refused with job_type_duplicate', async (t) => {
      const { open } = await fresh(t);
      const queue = await open();
      queue.define('once', () => Promise.resolve());
      assert.throws(
        () => queue.define('once', () => Promise.resolve()),
        (error: unknown) => error instanceof QueueError && error.code === 'job_type_duplicate',
      );
      assert.throws(
        () => queue.define('bad', () => Promise.resolve(), { concurrency: 0 }),
        (error: unknown) => error instanceof QueueError && error.code === 'queue_option_invalid',
      );
    });
  });
}
