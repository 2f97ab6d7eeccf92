// The backend (`--api`) suite: Auxil's HTTP API measured against the real built server, as child
// processes on a temporary data directory. See bench/README.md, "Backend".
//   1. initial sync of the corpus (hash, manifest, gzipped NDJSON batches, first findings)
//   2. one-file update latency on that project (client and Server-Timing)
//   3. 100 concurrent clients, each uploading and analysing a 200-file project
//   4. distributed batch analysis of the synced project with 1 and 2 worker processes (Redis queue)
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import type { PlantedCorpus } from '../corpus/planted-corpus.js';
import { clientsLine, syncLine, updateLine, workersLines } from '../report/api-report.js';
import { shellQuote } from '../runners/tool-run.js';
import { ApiClient } from './api-client.js';
import {
  API_TARGETS,
  type ApiSuiteResult,
  type Measured,
  type NotMeasured,
  type ProcessLog,
  type SyncMeasurement,
  type UpdateMeasurement,
} from './api-results.js';
import { AuxilProcess, cleanUpEverything, makeTempDir, removeTempDir, runCli } from './auxil-process.js';
import { measureConcurrentClients } from './measure-clients.js';
import { listTree, measureInitialSync, measureUpdates } from './measure-sync.js';
import { measureWorkers, REDIS_URL, redisUnavailable } from './measure-workers.js';

export interface ApiSuiteContext {
  readonly corpus: PlantedCorpus;
  readonly seed: number;
  readonly auxilCli: string;
  readonly log: (line: string) => void;
}

/** Bounds of each measurement (a stuck server must not hold the benchmark). */
const SYNC_TIMEOUT_MS = 15 * 60_000;
const UPDATES_TIMEOUT_MS = 5 * 60_000;
const CLIENTS_TIMEOUT_MS = 10 * 60_000;
const WORKERS_TIMEOUT_MS = 10 * 60_000;

function failed(error: unknown, processes: readonly AuxilProcess[] = []): NotMeasured {
  const message = error instanceof Error ? error.message : String(error);
  const tail = processes.map((p) => `--- ${p.label} (pid ${p.pid}${p.running ? '' : ', exited'}):\n${p.output().slice(-1500)}`).join('\n');
  return { status: 'failed', message, ...(tail ? { serverOutputTail: tail } : {}) };
}

/** Rejects after `ms` (the work itself is cut off by stopping its server in the caller's cleanup). */
function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 60_000} min`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Why the built server cannot run, or undefined when `serve --help` answers. */
function serverUnavailable(cli: string): string | undefined {
  if (!existsSync(cli)) return `Auxil's CLI is not built (${cli} is missing; run npm run build)`;
  const help = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8', timeout: 30_000 });
  return help.status === 0 ? undefined : `\`auxil serve --help\` exited ${String(help.status)}`;
}

async function startEmbedded(cli: string, dataDir: string): Promise<{ server: AuxilProcess; url: string; token: string }> {
  const token = runCli(cli, ['admin', 'token', '--data-dir', dataDir, '--name', 'bench']);
  const { process: server, ready } = await AuxilProcess.start(cli, ['serve', '--port', '0', '--data-dir', dataDir], 'auxil serve', {
    ready: /listening on (http:\/\/\S+)/,
    timeoutMs: 60_000,
  });
  return { server, url: ready, token };
}

export async function runApiSuite(context: ApiSuiteContext): Promise<ApiSuiteResult> {
  const { corpus, seed, auxilCli: cli, log } = context;
  const began = performance.now();
  const loadBefore = loadavg();
  const node = process.execPath;
  const commands = {
    token: shellQuote([node, cli, 'admin', 'token', '--data-dir', '<D>', '--name', 'bench']),
    serve: shellQuote([node, cli, 'serve', '--port', '0', '--data-dir', '<D>']),
    api: `AUXIL_QUEUE_NAMESPACE=<ns> ${shellQuote([node, cli, 'serve', '--role', 'api', '--port', '0', '--data-dir', '<D>', '--store', 'sqlite:<D>/auxil.db', '--queue', REDIS_URL])}`,
    worker: `AUXIL_QUEUE_NAMESPACE=<ns> AUXIL_THREADS=1 ${shellQuote([node, cli, 'worker', '--data-dir', '<D>', '--store', 'sqlite:<D>/auxil.db', '--queue', REDIS_URL])}`,
  };
  const unavailable = serverUnavailable(cli);
  const paths = listTree(corpus.tree);
  const base = { corpus: { tree: corpus.tree, files: paths.length }, commands, loadBefore, targets: API_TARGETS };
  if (unavailable !== undefined) {
    const none: NotMeasured = { status: 'unavailable', message: unavailable };
    const loadAfter = loadavg();
    return { ...base, loadAfter, wallMs: 0, sync: none, update: none, clients: none, workers: none, processes: [] };
  }

  const project = `corpus-${basename(corpus.tree)}`;
  const started: AuxilProcess[] = [];
  const processLogs = (): ProcessLog[] =>
    started.map((p) => ({ label: p.label, pid: p.pid, errors: p.loggedErrors().count, samples: p.loggedErrors().samples }));
  const syncDir = makeTempDir('auxil-bench-api-');
  let sync: Measured<SyncMeasurement>;
  let update: Measured<UpdateMeasurement>;
  let token = '';
  try {
    // 1 and 2: one embedded server; its data directory is kept for 4.
    let server: AuxilProcess | undefined;
    let client: ApiClient | undefined;
    try {
      const embedded = await startEmbedded(cli, syncDir);
      server = embedded.server;
      started.push(server);
      token = embedded.token;
      client = new ApiClient(embedded.url, token, 8);
      const setup = { client, server, tree: corpus.tree, project, findingsFile: corpus.truth.plants[0]?.copy.file, log };
      log(`API 1/4: initial sync of ${paths.length.toLocaleString('en-US')} files into ${embedded.url} …`);
      const done = await bounded(measureInitialSync(setup), SYNC_TIMEOUT_MS, 'the initial sync');
      sync = done.result;
      log(syncLine(sync));
      log(`API 2/4: one-file updates …`);
      try {
        update = await bounded(measureUpdates(setup, done.uploaded, seed), UPDATES_TIMEOUT_MS, 'the one-file updates');
        log(updateLine(update));
      } catch (error) {
        update = failed(error, [server]);
      }
    } catch (error) {
      sync = failed(error, server ? [server] : []);
      update = { status: 'failed', message: 'needs the synced project (measurement 1 failed)' };
    } finally {
      client?.close();
      await server?.stop();
    }

    // 3: a fresh embedded server, so its memory is the clients' projects' only.
    log(`API 3/4: concurrent clients …`);
    let clients: ApiSuiteResult['clients'];
    const clientsDir = makeTempDir('auxil-bench-api-clients-');
    {
      let server: AuxilProcess | undefined;
      let client: ApiClient | undefined;
      try {
        const embedded = await startEmbedded(cli, clientsDir);
        server = embedded.server;
        started.push(server);
        client = new ApiClient(embedded.url, embedded.token, 128);
        clients = await bounded(measureConcurrentClients(client, server, corpus.tree, paths, seed, log), CLIENTS_TIMEOUT_MS, 'the clients');
        for (const line of clientsLine(clients)) log(line);
      } catch (error) {
        clients = failed(error, server ? [server] : []);
      } finally {
        client?.close();
        await server?.stop();
        removeTempDir(clientsDir);
      }
    }

    // 4: distributed mode on the store measurement 1 filled.
    log(`API 4/4: batch analysis with worker processes …`);
    let workers: ApiSuiteResult['workers'];
    const noRedis = sync.status === 'ok' ? await redisUnavailable(REDIS_URL) : undefined;
    if (sync.status !== 'ok') workers = { status: 'failed', message: 'needs the synced project (measurement 1 failed)' };
    else if (noRedis !== undefined) workers = { status: 'unavailable', message: noRedis };
    else {
      const processes: AuxilProcess[] = [];
      try {
        workers = await bounded(
          measureWorkers({
            cli,
            dataDir: syncDir,
            token,
            project,
            timeoutMs: WORKERS_TIMEOUT_MS,
            log,
            onProcess: (p) => {
              processes.push(p);
              started.push(p);
            },
          }),
          WORKERS_TIMEOUT_MS * 2 + 120_000,
          'the worker runs',
        );
        for (const line of workersLines(workers)) log(line);
      } catch (error) {
        workers = failed(error, processes.slice(-3));
        // A timeout leaves processes behind: end them now rather than at exit.
        for (const p of processes) await p.stop(5_000);
      }
    }
    return { ...base, loadAfter: loadavg(), wallMs: performance.now() - began, sync, update, clients, workers, processes: processLogs() };
  } finally {
    removeTempDir(syncDir);
    cleanUpEverything();
  }
}
