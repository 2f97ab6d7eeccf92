// Measurement 4 of the backend suite: a batch analysis of the synced large project in distributed
// mode — one `serve --role api` and N `worker` processes on the same SQLite store and a Redis
// queue — with 1 worker, then 2.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { configEntries } from '../../backend/src/config.js';
import { TreeMemorySampler } from '../runners/process-tree-monitor.js';
import { ApiClient } from './api-client.js';
import type { WorkerRun, WorkersMeasurement } from './api-results.js';
import { AuxilProcess, onAbort } from './auxil-process.js';

export const REDIS_URL = process.env.AUXIL_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Worker processes per run, in order. */
export const WORKER_COUNTS = [1, 2] as const;
const POLL_MS = 250;
/**
 * A final job that loses its lock is started again while the first run goes on (the queue frees
 * its slot) and fails when it next extends the lock; after this many losses the run is given up.
 */
const MAX_LOCK_LOSSES = 3;
const DEFAULT_NAMESPACE = 'auxil_jobs';

interface AnalysisInfo {
  readonly id: string;
  readonly status: string;
  readonly createdAt: string;
  readonly finishedAt?: string;
  readonly progress: { readonly filesTotal: number; readonly shardsDone: number; readonly shardsTotal: number };
  readonly timings: Record<string, number>;
  readonly summary?: { readonly files: number; readonly cloneClasses: number; readonly classesDigest: string };
  readonly error?: string;
}

/** Undefined when Redis answers, else why not. */
export async function redisUnavailable(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `no Redis at ${url} (${error instanceof Error ? error.message : String(error)}); start one or set AUXIL_BENCH_REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

export interface WorkersSetup {
  readonly cli: string;
  readonly dataDir: string;
  readonly token: string;
  readonly project: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Called with each process started, so a failure report can show its output. */
  readonly onProcess: (process: AuxilProcess) => void;
}

/**
 * The queue namespace for this run: a unique one when the server reads AUXIL_QUEUE_NAMESPACE,
 * else Agenda's shared default (and then only the keys this run created are deleted afterwards).
 */
function queueNamespace(): { namespace: string; unique: boolean } {
  if ('queueNamespace' in configEntries) return { namespace: `auxil_bench_${randomBytes(6).toString('hex')}`, unique: true };
  return { namespace: DEFAULT_NAMESPACE, unique: false };
}

export async function measureWorkers(setup: WorkersSetup): Promise<WorkersMeasurement> {
  const { namespace, unique } = queueNamespace();
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  await redis.connect();
  const keysBefore = new Set(unique ? [] : await scanKeys(redis, `${namespace}:*`));
  const store = `sqlite:${setup.dataDir}/auxil.db`;
  const env = { ...process.env, AUXIL_QUEUE_NAMESPACE: namespace, AUXIL_THREADS: '1' };
  const common = ['--data-dir', setup.dataDir, '--store', store, '--queue', REDIS_URL];
  const notes: string[] = [];
  // Everything this run put in Redis: its namespace's keys (all of them when the namespace is ours).
  const removeKeys = async (): Promise<void> => {
    const created = (await scanKeys(redis, `${namespace}:*`)).filter((key) => !keysBefore.has(key));
    for (let i = 0; i < created.length; i += 500) await redis.del(...created.slice(i, i + 500));
  };
  const forget = onAbort(removeKeys);
  let api: AuxilProcess | undefined;
  let client: ApiClient | undefined;
  try {
    // The api process only records the analysis and enqueues its shards; it keeps its default threads.
    const apiEnv = { ...process.env, AUXIL_QUEUE_NAMESPACE: namespace };
    const started = await AuxilProcess.start(setup.cli, ['serve', '--role', 'api', '--port', '0', ...common], 'auxil serve --role api', {
      env: apiEnv,
      ready: /listening on (http:\/\/\S+)/,
      timeoutMs: 60_000,
    });
    api = started.process;
    setup.onProcess(api);
    client = new ApiClient(started.ready, setup.token, 4);
    const runs: WorkerRun[] = [];
    for (const count of WORKER_COUNTS) {
      setup.log(`  batch analysis with ${count} worker process${count === 1 ? '' : 'es'} …`);
      runs.push(await analyseWith(setup, client, api, count, common, env));
    }
    const [one, two] = runs;
    const speedUp = one && two ? one.wallMs / two.wallMs : Number.NaN;
    const sameResult = runs.every((run) => run.classesDigest !== undefined && run.classesDigest === runs[0]?.classesDigest);
    if (!unique) notes.push(`the server has no AUXIL_QUEUE_NAMESPACE: ran on the shared "${DEFAULT_NAMESPACE}" namespace`);
    return {
      status: 'ok',
      queue: REDIS_URL,
      namespace,
      threadsPerWorker: 1,
      runs,
      speedUp,
      sameResult,
      api: api.sampler.peaks(),
      notes,
    };
  } finally {
    client?.close();
    await api?.stop();
    await removeKeys();
    forget();
    redis.disconnect();
  }
}

async function analyseWith(
  setup: WorkersSetup,
  client: ApiClient,
  api: AuxilProcess,
  count: number,
  common: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<WorkerRun> {
  const workers: AuxilProcess[] = [];
  let lockLosses = 0;
  const lockLines: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const { process: worker } = await AuxilProcess.start(setup.cli, ['worker', ...common], `auxil worker ${i + 1}`, {
        env,
        ready: /worker running jobs/,
        timeoutMs: 60_000,
      });
      workers.push(worker);
      setup.onProcess(worker);
      worker.onLine((line) => {
        if (!/job_lock_lost|not touched within its lock lifetime/.test(line)) return;
        lockLosses++;
        lockLines.push(line.slice(0, 500));
      });
    }
    const sampler = new TreeMemorySampler(() => workers.filter((worker) => worker.running).map((worker) => worker.pid), 25);
    const stopSampling = sampler.start(20);
    const workersCpu = (): number => workers.reduce((sum, worker) => sum + worker.cpuMs(), 0);
    const cpuBefore = { workers: workersCpu(), api: api.cpuMs() };
    try {
      const begin = performance.now();
      const { value: queued } = await client.json<AnalysisInfo>('POST', `/v1/projects/${setup.project}/analyses`, { timeoutMs: 120_000 });
      let info: AnalysisInfo;
      let shardsDoneMs: number | undefined;
      for (;;) {
        if (performance.now() - begin > setup.timeoutMs) throw new Error(`the analysis was not done after ${setup.timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        info = (await client.json<AnalysisInfo>('GET', `/v1/projects/${setup.project}/analyses/${queued.id}`, { timeoutMs: 60_000 })).value;
        if (shardsDoneMs === undefined && info.progress.shardsDone >= info.progress.shardsTotal) shardsDoneMs = performance.now() - begin;
        if (info.status === 'failed') throw new Error(`the analysis failed: ${info.error ?? '?'}`);
        if (info.status === 'done') break;
        if (lockLosses >= MAX_LOCK_LOSSES) {
          throw new Error(
            `given up after ${lockLosses} lock losses (job_lock_lost) of the analysis' jobs, ${((performance.now() - begin) / 1000).toFixed(0)} s in; ` +
              `progress ${JSON.stringify(info.progress)}, timings ${JSON.stringify(info.timings)}; first: ${lockLines[0] ?? ''}`,
          );
        }
        if (workers.some((worker) => !worker.running))
          throw new Error(
            `a worker exited: ${workers
              .find((w) => !w.running)
              ?.output()
              .slice(-400)}`,
          );
      }
      const wallMs = performance.now() - begin;
      const cpuMs = { workers: workersCpu() - cpuBefore.workers, api: api.cpuMs() - cpuBefore.api };
      const recordMs = info.finishedAt ? Date.parse(info.finishedAt) - Date.parse(info.createdAt) : undefined;
      return {
        workers: count,
        wallMs,
        shardsDoneMs,
        recordMs,
        timings: info.timings,
        shards: info.progress.shardsTotal,
        files: info.progress.filesTotal,
        cloneClasses: info.summary?.cloneClasses,
        classesDigest: info.summary?.classesDigest,
        workersPeak: sampler.peaks(),
        cpuMs,
        lockLosses,
      };
    } finally {
      stopSampling();
    }
  } finally {
    for (const worker of workers) await worker.stop();
  }
}
