// Measurement 3 of the backend suite: many clients at once against one fresh embedded server, in
// two rounds. Round 1: each uploads a small project of its own and runs a batch analysis of it, all
// at the same moment (upload and analysis timed apart). Round 2: each runs a batch analysis of its
// project again, all at the same moment, the uploads being done — the analysis alone, as clients
// that sync as they edit (the editor, CI with a warm project) run it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { MAX_BATCH_BYTES } from '@auxil/protocol';
import { SeededRandom } from '../injection/seeded-random.js';
import { ApiError, type ApiClient, type ApiAnswer, type RequestOptions } from './api-client.js';
import { ndjsonBatches, sampleIndexes, summarize } from './api-helpers.js';
import type { ClientsMeasurement } from './api-results.js';
import type { AuxilProcess } from './auxil-process.js';
import { GZIP_LEVEL } from './measure-sync.js';

const gzipAsync = promisify(gzip);

export const CLIENTS = 100;
export const FILES_PER_CLIENT = 200;
/** Seconds a client's `GET …/analyses/:id?wait=` holds, asked again until the analysis is done. */
export const WAIT_S = 30;
/** A client that is not done after this long counts as an error. */
const CLIENT_TIMEOUT_MS = 180_000;
/** 429/503 answers retried per request before the client gives up (an error). */
const MAX_RETRIES = 20;

interface Counters {
  requests: number;
  rateLimited: number;
  overloaded: number;
}

/** A request that honours 429/503 with Retry-After, counting them, as a well-behaved client would. */
async function politely(
  client: ApiClient,
  counters: Counters,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiAnswer> {
  for (let attempt = 0; ; attempt++) {
    counters.requests++;
    try {
      return await client.call(method, path, options);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 429 && error.status !== 503) || attempt >= MAX_RETRIES) throw error;
      if (error.status === 429) counters.rateLimited++;
      else counters.overloaded++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0.1, error.retryAfterS ?? 1) * 1000));
    }
  }
}

interface AnalysisAnswer {
  readonly id: string;
  readonly status: string;
  readonly error?: string;
}

/** `POST …/analyses`, then waits for it (`?wait=`) until it is done; throws on a failed or overdue one. */
async function analyse(client: ApiClient, counters: Counters, project: string, begin: number): Promise<void> {
  const startedAnswer = await politely(client, counters, 'POST', `/v1/projects/${project}/analyses`, { timeoutMs: 60_000 });
  const { id } = JSON.parse(startedAnswer.body.toString('utf8')) as AnalysisAnswer;
  for (;;) {
    if (performance.now() - begin > CLIENT_TIMEOUT_MS) throw new Error(`analysis not done after ${CLIENT_TIMEOUT_MS / 1000} s`);
    const answer = await politely(client, counters, 'GET', `/v1/projects/${project}/analyses/${id}?wait=${WAIT_S}`, {
      timeoutMs: (WAIT_S + 30) * 1000,
    });
    const state = JSON.parse(answer.body.toString('utf8')) as AnalysisAnswer;
    if (state.status === 'failed') throw new Error(`analysis failed: ${state.error ?? '?'}`);
    if (state.status === 'done') return;
  }
}

const projectOf = (c: number): string => `client-${String(c).padStart(3, '0')}`;

export async function measureConcurrentClients(
  client: ApiClient,
  server: AuxilProcess,
  tree: string,
  paths: readonly string[],
  seed: number,
  log: (line: string) => void,
): Promise<ClientsMeasurement> {
  // The bodies are built (read, gzipped) before the clock starts: the clients stand for other
  // machines, whose own work should not compete with the server for this machine's cores.
  const random = new SeededRandom(seed + 1000);
  const bodies: Buffer[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const chosen = sampleIndexes(paths.length, Math.min(FILES_PER_CLIENT, paths.length), () => random.next()).map((i) => paths[i]!);
    const files = chosen.map((path) => ({ path, content: readFileSync(join(tree, path), 'utf8') }));
    const batches = [...ndjsonBatches(files, { maxFiles: FILES_PER_CLIENT, maxBytes: MAX_BATCH_BYTES })];
    if (batches.length !== 1) throw new Error(`client ${c}'s files do not fit one upload`);
    bodies.push(await gzipAsync(batches[0]!.body, { level: GZIP_LEVEL }));
  }
  log(`  ${CLIENTS} clients ready (${FILES_PER_CLIENT} files each); starting them together`);

  const counters: Counters = { requests: 0, rateLimited: 0, overloaded: 0 };
  const totals: number[] = [];
  const uploads: number[] = [];
  const analyses: number[] = [];
  const errors: string[] = [];
  server.sampler.reset();
  const serverCpu = server.cpuMs();
  const started = performance.now();
  const runClient = async (c: number): Promise<void> => {
    const project = projectOf(c);
    const begin = performance.now();
    try {
      await politely(client, counters, 'POST', `/v1/projects/${project}/files`, {
        body: bodies[c]!,
        headers: { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip' },
        timeoutMs: 60_000,
      });
      const uploaded = performance.now();
      await analyse(client, counters, project, begin);
      const done = performance.now();
      uploads.push(uploaded - begin);
      analyses.push(done - uploaded);
      totals.push(done - begin);
    } catch (error) {
      errors.push(`${project}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => runClient(c)));
  const wallMs = performance.now() - started;
  const serverCpuMs = server.cpuMs() - serverCpu;
  const peaks = server.sampler.peaks();

  log(`  round 2: ${CLIENTS} analyses of the synced projects at once`);
  const again: number[] = [];
  const againErrors: string[] = [];
  const againCpu = server.cpuMs();
  const againStarted = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const begin = performance.now();
      try {
        await analyse(client, counters, projectOf(c), begin);
        again.push(performance.now() - begin);
      } catch (error) {
        againErrors.push(`${projectOf(c)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  const againWallMs = performance.now() - againStarted;
  return {
    status: 'ok',
    clients: CLIENTS,
    filesPerClient: FILES_PER_CLIENT,
    waitS: WAIT_S,
    wallMs,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
    rateLimited: counters.rateLimited,
    overloaded: counters.overloaded,
    requests: counters.requests,
    totalMs: summarize(totals),
    uploadMs: summarize(uploads),
    analysisMs: summarize(analyses),
    server: peaks,
    serverCpuMs,
    analysisOnly: {
      wallMs: againWallMs,
      errors: againErrors.length,
      errorSamples: againErrors.slice(0, 5),
      analysisMs: summarize(again),
      serverCpuMs: server.cpuMs() - againCpu,
    },
  };
}
