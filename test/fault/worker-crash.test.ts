import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnalysisInfo, StartAnalysisResponse, UploadResponse } from '@auxil/protocol';
import { syntheticCorpus, type CorpusFile } from './corpus.js';
import { type AuxilProcess } from './processes.js';
import { Resources } from './resources.js';
import { RedisConnection } from './redis.js';

/*
 * The fault test of distributed batch analysis: two api and two worker processes on one SQLite
 * store and Agenda on a real Redis; a worker is killed with SIGKILL while it holds a shard, and the
 * analysis must still complete, with exactly the clone classes of a single-process run and every
 * shard counted once.
 */

const REDIS_URL = process.env.AUXIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CORPUS = { seed: 20_261_127, files: 20_500, planted: 300 };
/** As in backend/src/analyses/batch-analysis.ts: the shard job's type and size. */
const SHARD_JOB = 'analysis.shard';
const FINISH_JOB = 'analysis.finish';
const SHARD_FILES = 2_000;
/** Short, so the dead worker's shard is taken over in seconds rather than the default minute. */
const SHARD_LOCK_MS = 5_000;
/** A lock younger than this was taken for a shard that has only just begun: it cannot be finished when the kill lands. */
const FRESH_LOCK_MS = 100;
const UPLOAD_FILES = 5_000;
const PROJECT = 'fault-corpus';

/** A request that got no HTTP answer at all (connection refused or reset). */
class Unanswered extends Error {}

/** A client of one api process. */
class Api {
  constructor(
    readonly server: { process: AuxilProcess; url: string },
    readonly token: string,
  ) {}

  async call<T>(schema: { parse(value: unknown): T }, method: string, path: string, body?: string): Promise<T> {
    const response = await fetch(this.server.url + path, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/x-ndjson' },
      ...(body === undefined ? {} : { body }),
    }).catch((error: unknown) => {
      throw new Unanswered(`${method} ${path} on ${this.server.process.name} got no answer\n${this.server.process.tail()}`, {
        cause: error,
      });
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} → ${response.status} ${text.slice(0, 500)}`);
    return schema.parse(JSON.parse(text));
  }

  /** Uploads the files in batches well inside the limits (10,000 files, 64 MiB). */
  async upload(files: readonly CorpusFile[]): Promise<void> {
    let stored = 0;
    for (let i = 0; i < files.length; i += UPLOAD_FILES) {
      const lines = files.slice(i, i + UPLOAD_FILES).map((file) => JSON.stringify({ path: file.path, content: file.content }));
      stored += (await this.call(UploadResponse, 'POST', `/v1/projects/${PROJECT}/files`, `${lines.join('\n')}\n`)).stored;
    }
    assert.equal(stored, files.length, 'every file is stored');
  }

  startAnalysis(): Promise<{ id: string }> {
    return this.call(StartAnalysisResponse, 'POST', `/v1/projects/${PROJECT}/analyses`);
  }

  analysis(id: string): Promise<AnalysisInfo> {
    return this.call(AnalysisInfo, 'GET', `/v1/projects/${PROJECT}/analyses/${id}`);
  }
}

/** Polls `probe` until it returns a value; fails after `timeoutMs` with what was awaited. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Polls the analysis until it is done; fails at once if it failed or a process it needs died. */
function untilDone(api: Api, id: string, timeoutMs: number, needed: readonly AuxilProcess[]): Promise<AnalysisInfo> {
  return until(
    `analysis ${id} to be done`,
    timeoutMs,
    async () => {
      // A process that runs the final step itself (role all) groups the clone classes on its event
      // loop, so a poll may wait seconds for an answer (it once waited half a minute, while the
      // matching threads started; fixed). Asking again is fine while the process lives.
      const info = await api.analysis(id).catch((error: unknown) => {
        if (error instanceof Unanswered && api.server.process.running) return undefined;
        throw error;
      });
      if (!info) return undefined;
      assert.notEqual(info.status, 'failed', `the analysis failed: ${info.error}`);
      for (const process of needed) assert.ok(process.running, `${process.name} died\n${process.tail()}`);
      return info.status === 'done' ? info : undefined;
    },
    100,
  );
}

/** What the queue holds about one shard job (Agenda's Redis layout: a hash per job, a set per job type). */
interface ShardJob {
  readonly id: string;
  /** When its current lock was taken (ms), if it is locked. */
  readonly lockedAt: number | undefined;
  /** The worker that last locked or saved it (Agenda's lastModifiedBy: `<host>:<pid>` here). */
  readonly by: string | undefined;
  readonly finishedAt: string | undefined;
}

async function jobsOf(redis: RedisConnection, namespace: string, type: string): Promise<ShardJob[]> {
  const ids = (await redis.command('SMEMBERS', `${namespace}:jobs:by_name:${type}`)) as string[];
  return Promise.all(
    ids.map(async (id) => {
      const [lockedAt, by, finishedAt] = (await redis.command(
        'HMGET',
        `${namespace}:job:${id}`,
        'lockedAtMs',
        'lastModifiedBy',
        'lastFinishedAt',
      )) as (string | null)[];
      const value = (field: string | null | undefined): string | undefined => (field && field !== 'null' ? field : undefined);
      return { id, lockedAt: value(lockedAt) === undefined ? undefined : Number(lockedAt), by: value(by), finishedAt: value(finishedAt) };
    }),
  );
}

test(
  'a worker killed with SIGKILL mid-shard: the analysis completes with the clone classes of a single-process run',
  { timeout: 480_000 },
  async (t) => {
    const began = performance.now();
    const lap = (what: string): void => t.diagnostic(`${what}: ${Math.round(performance.now() - began)} ms`);
    const redis = await RedisConnection.open(REDIS_URL);
    const namespace = `auxil_fault_${randomBytes(6).toString('hex')}`;
    const resources = new Resources(t, async () => {
      await redis.deletePrefix(`${namespace}:`);
      assert.deepEqual(await redis.keys(`${namespace}:*`), [], 'no key of the test namespace is left in Redis');
      redis.close();
    });

    const files = syntheticCorpus(CORPUS);
    const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
    const shardsTotal = Math.ceil(files.length / SHARD_FILES);
    t.diagnostic(`corpus: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${shardsTotal} shards`);

    // 1. The reference: one embedded process (SQLite, the in-process queue) analyses the corpus.
    const referenceDir = await resources.tempDir('reference');
    const reference = await resources.serve('reference', ['--data-dir', referenceDir, '--role', 'all']);
    const referenceApi = new Api(reference, await resources.token(['--data-dir', referenceDir]));
    await referenceApi.upload(files);
    const referenceRun = await untilDone(referenceApi, (await referenceApi.startAnalysis()).id, 180_000, [reference.process]);
    await reference.process.kill('SIGKILL'); // Its cores are the distributed run's now.
    assert.deepEqual(referenceRun.progress, { filesDone: files.length, filesTotal: files.length, shardsDone: shardsTotal, shardsTotal });
    const expected = referenceRun.summary;
    assert.ok(expected, 'the reference run has a summary');
    assert.equal(expected.files, files.length);
    assert.ok(expected.cloneClasses >= CORPUS.planted / 2, `the planted copies make clone classes (${expected.cloneClasses})`);
    t.diagnostic(`reference: ${expected.cloneClasses} clone classes, digest ${expected.classesDigest}`);
    lap('reference run done');

    // 2. The distributed deployment: 2 api and 2 worker processes, one SQLite store, Agenda on Redis.
    const dataDir = await resources.tempDir('distributed');
    const shared = ['--data-dir', dataDir, '--store', `sqlite:${join(dataDir, 'auxil.db')}`, '--queue', REDIS_URL];
    const env = { AUXIL_QUEUE_NAMESPACE: namespace, AUXIL_SHARD_LOCK_MS: String(SHARD_LOCK_MS) };
    // The api processes store each uploaded file's prepared record under a key that names the
    // settings it was made with; theirs differ from the workers' (49 tokens, not 50), so the workers
    // find every record stale, as after an upgrade that changes how files are prepared. Each shard
    // then really lexes, fingerprints and writes its 2,000 files — long enough for the kill to land
    // mid-shard, and the killed shard leaves records half written. The result depends on the
    // workers' settings only (they build the classes), which are the reference run's.
    const apiEnv = { ...env, AUXIL_MIN_TOKENS: '49' };
    // The first process creates the store; the others open it once it exists.
    const api1 = await resources.serve('api 1', [...shared, '--role', 'api'], apiEnv);
    const api2 = await resources.serve('api 2', [...shared, '--role', 'api'], apiEnv);
    const workers = [1, 2].map((n) => resources.start(`worker ${n}`, ['worker', ...shared], { ...env, AUXIL_THREADS: '1' }));
    await Promise.all(workers.map((worker) => worker.untilStdout(/worker running jobs/)));
    const byName = new Map(workers.map((worker) => [`${hostname()}:${worker.pid}`, worker]));
    const token = await resources.token(['--data-dir', dataDir, '--store', `sqlite:${join(dataDir, 'auxil.db')}`]);
    const first = new Api(api1, token);
    const second = new Api(api2, token);
    await first.upload(files);
    lap('distributed upload done');
    const { id } = await second.startAnalysis();

    // 3. Once a shard is done and the analysis still runs, kill a worker that has just locked a shard.
    const victim = await until(
      'a worker to lock a shard after the first shard was done',
      120_000,
      async () => {
        const info = await first.analysis(id);
        if (info.status !== 'running' || info.progress.shardsDone < 1) return undefined;
        assert.ok(info.progress.shardsDone < info.progress.shardsTotal, 'every shard was done before a worker could be killed mid-shard');
        const jobs = await jobsOf(redis, namespace, SHARD_JOB);
        const now = Date.now();
        const held = jobs.find(
          (job) => job.lockedAt !== undefined && now - job.lockedAt < FRESH_LOCK_MS && job.by !== undefined && byName.has(job.by),
        );
        return held && { job: held, worker: byName.get(held.by as string) as AuxilProcess, progress: info.progress };
      },
      5,
    );
    const killed = await victim.worker.kill('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    const survivor = workers.find((worker) => worker !== victim.worker) as AuxilProcess;
    const survivorName = `${hostname()}:${survivor.pid}`;
    // Still locked by the dead worker and not finished: it died mid-shard. (The lock time may have
    // moved on: a shard touches its lock once its files are read.)
    const interrupted = (await jobsOf(redis, namespace, SHARD_JOB)).find((job) => job.id === victim.job.id);
    assert.ok(
      interrupted?.lockedAt !== undefined && interrupted.by === victim.job.by && interrupted.finishedAt === undefined,
      `the killed worker still holds the shard it was running: ${JSON.stringify(interrupted)}`,
    );
    t.diagnostic(
      `killed ${victim.worker.name} (pid ${victim.worker.pid}) holding shard job ${victim.job.id}; ` +
        `${victim.progress.shardsDone}/${victim.progress.shardsTotal} shards done`,
    );
    lap('worker killed');

    // 4. The survivor finishes, taking over the dead worker's shard once its lock expires.
    const done = await untilDone(first, id, 180_000, [survivor, api1.process, api2.process]);
    lap('distributed run done');
    assert.deepEqual(done.progress, { filesDone: files.length, filesTotal: files.length, shardsDone: shardsTotal, shardsTotal });
    assert.deepEqual(done.summary, expected, 'the same clone classes (digest), files, lines and duplication as the single-process run');
    const viaSecond = await second.analysis(id);
    assert.deepEqual(viaSecond.summary, expected, 'the other api process reports the same result');

    const shardJobs = await jobsOf(redis, namespace, SHARD_JOB);
    assert.equal(shardJobs.length, shardsTotal, 'one job per shard: none enqueued twice');
    for (const job of shardJobs) {
      assert.ok(job.finishedAt !== undefined && job.lockedAt === undefined, `shard job ${job.id} finished and unlocked`);
    }
    const redone = shardJobs.find((job) => job.id === victim.job.id);
    assert.equal(redone?.by, survivorName, 'the dead worker’s shard was redone by the survivor');
    assert.ok(Date.parse(redone.finishedAt as string) > interrupted.lockedAt + SHARD_LOCK_MS, 'once the dead worker’s lock had expired');
    assert.equal((await jobsOf(redis, namespace, FINISH_JOB)).length, 1, 'one final job');
    t.diagnostic(
      `distributed: ${done.summary?.cloneClasses} clone classes, digest ${done.summary?.classesDigest}; timings ${JSON.stringify(done.timings)}`,
    );
  },
);
