import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { AnalysisInfo, StartAnalysisResponse, UploadResponse } from '@auxil/protocol';
import { syntheticCorpus, type CorpusFile } from './corpus.js';
import type { AuxilProcess } from './processes.js';
import { RedisConnection } from './redis.js';
import { Resources } from './resources.js';

/*
 * The final matching of a large analysis shared between worker processes (distributed mode): the
 * worker that runs the final job invites the others, which claim parts of the matching, match them
 * over their own load of the stored records and store their pairs. Two real workers on Agenda on a
 * real Redis and one SQLite store:
 *  1. the second worker helps, and the classes are exactly those of a single-process run;
 *  2. a helper killed with SIGKILL after it claimed a part: its claim lapses, the final job matches
 *     that part itself, and the classes are again exactly the single-process run's.
 */

const REDIS_URL = process.env.AUXIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CORPUS = { seed: 20_261_128, files: 16_000, planted: 200 };
/** A helper's claim lapses after this without renewal (AUXIL_SHARD_LOCK_MS sets both). */
const LEASE_MS = 3_000;
const PROJECT = 'shared-matching';
const HELPING = /"msg":"helping an analysis match"/;
const HELPED = /"parts":(\d+),"ms":\d+,"msg":"helped an analysis match"/;

async function call<T>(
  url: string,
  token: string,
  schema: { parse(value: unknown): T },
  method: string,
  path: string,
  body?: string,
): Promise<T> {
  const response = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} → ${response.status} ${text.slice(0, 500)}`);
  return schema.parse(JSON.parse(text));
}

async function upload(url: string, token: string, files: readonly CorpusFile[]): Promise<void> {
  for (let i = 0; i < files.length; i += 5_000) {
    const body = `${files
      .slice(i, i + 5_000)
      .map((file) => JSON.stringify(file))
      .join('\n')}\n`;
    await call(url, token, UploadResponse, 'POST', `/v1/projects/${PROJECT}/files`, body);
  }
}

/** Starts an analysis and polls it until done; fails if it fails, a needed process dies, or time runs out. */
async function analyse(
  url: string,
  token: string,
  needed: () => readonly AuxilProcess[],
  onStarted: () => Promise<void> = async () => {},
): Promise<AnalysisInfo> {
  const { id } = await call(url, token, StartAnalysisResponse, 'POST', `/v1/projects/${PROJECT}/analyses`);
  await onStarted();
  const deadline = Date.now() + 240_000;
  for (;;) {
    const info = await call(url, token, AnalysisInfo, 'GET', `/v1/projects/${PROJECT}/analyses/${id}?wait=5`);
    assert.notEqual(info.status, 'failed', `the analysis failed: ${info.error}`);
    for (const process of needed()) assert.ok(process.running, `${process.name} died\n${process.tail()}`);
    if (info.status === 'done') return info;
    assert.ok(Date.now() < deadline, `analysis ${id} not done in time: ${JSON.stringify(info.progress)}`);
  }
}

test(
  'worker processes share the final matching of a large analysis, and a dead helper’s part is matched by the final job',
  { timeout: 600_000 },
  async (t) => {
    const redis = await RedisConnection.open(REDIS_URL);
    const namespace = `auxil_shared_${randomBytes(6).toString('hex')}`;
    const deployment = new Resources(t, async () => {
      await redis.deletePrefix(`${namespace}:`);
      redis.close();
    });
    const files = syntheticCorpus(CORPUS);

    // The reference: one embedded process (the in-process queue matches on its own threads).
    const referenceDir = await deployment.tempDir('reference');
    const referenceUrl = (await deployment.serve('reference', ['--data-dir', referenceDir])).url;
    const referenceToken = await deployment.token(['--data-dir', referenceDir]);
    await upload(referenceUrl, referenceToken, files);
    const reference = (await analyse(referenceUrl, referenceToken, () => [])).summary;
    assert.ok(reference && reference.cloneClasses > 0, 'the reference run finds clone classes');
    await deployment.processes[0]?.kill('SIGKILL');

    const dataDir = await deployment.tempDir('distributed');
    const shared = ['--data-dir', dataDir, '--store', `sqlite:${join(dataDir, 'auxil.db')}`, '--queue', REDIS_URL];
    const env = { AUXIL_QUEUE_NAMESPACE: namespace, AUXIL_SHARD_LOCK_MS: String(LEASE_MS) };
    const url = (await deployment.serve('api', [...shared, '--role', 'api'], env)).url;
    const workers = [1, 2].map((n) =>
      deployment.start(`worker ${n}`, ['worker', ...shared], { ...env, AUXIL_THREADS: '1', AUXIL_LOG_LEVEL: 'info' }),
    );
    await Promise.all(workers.map((worker) => worker.untilStdout(/worker running jobs/)));
    const token = await deployment.token(['--data-dir', dataDir, '--store', `sqlite:${join(dataDir, 'auxil.db')}`]);
    await upload(url, token, files);

    // 1. Both workers alive: one runs the final job, the other helps with at least one part.
    const first = await analyse(url, token, () => workers);
    assert.deepEqual(first.summary, reference, 'the same clone classes (digest), files, lines and duplication as the single-process run');
    const helpers = workers.filter((worker) => HELPED.test(worker.stdout));
    assert.equal(helpers.length, 1, `exactly one worker helped:\n${workers.map((worker) => worker.tail(5)).join('\n')}`);
    const helper = helpers[0] as AuxilProcess;
    const helpedParts = Number(HELPED.exec(helper.stdout)?.[1]);
    assert.ok(helpedParts >= 1, `the helper matched ${helpedParts} parts`);
    t.diagnostic(`run 1: ${helper.name} matched ${helpedParts} of the parts; timings ${JSON.stringify(first.timings)}`);

    // 2. Whichever worker helps with the next analysis is killed as soon as it claims a part (before
    // it can store it): the final job waits out the claim's lease, then matches the part itself.
    const claims = (worker: AuxilProcess): number => worker.stdout.match(new RegExp(HELPING.source, 'g'))?.length ?? 0;
    // The worker's next claim: one more "helping" line than it has printed so far.
    const nextClaim = (worker: AuxilProcess): RegExp => new RegExp(`^(?:[\\s\\S]*?${HELPING.source}){${claims(worker) + 1}}`);
    let survivor: AuxilProcess | undefined;
    const second = await analyse(
      url,
      token,
      () => (survivor ? [survivor] : workers),
      async () => {
        const waits = workers.map((worker) => worker.untilStdout(nextClaim(worker), 120_000).then(() => worker));
        // The other worker's wait ends when it is stopped at the end of the test.
        for (const wait of waits) wait.catch(() => undefined);
        const claimed = await Promise.race(waits);
        await claimed.kill('SIGKILL');
        survivor = workers.find((worker) => worker !== claimed);
      },
    );
    assert.deepEqual(second.summary, reference, 'the same classes once the dead helper’s part was matched by the final job');
    t.diagnostic(`run 2 (helper killed): timings ${JSON.stringify(second.timings)}`);
  },
);
