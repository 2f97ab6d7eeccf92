import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { AnalysisInfo, ClonesPage, type PushEvent, StartAnalysisResponse } from '@auxil/protocol';
import { DEFAULT_TENANT } from '../src/auth/api-tokens.js';
import { EventStream, startTestServer, type TestServer } from './test-server.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../../test/fixtures/duplicate-workspace/src/${name}`, import.meta.url), 'utf8');

const DEADLINE_MS = 30_000;

async function call(server: TestServer, method: string, path: string, body?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(server.url + path, {
    method,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/x-ndjson' },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Asks for the analysis until it is done or failed (the condition), with a deadline. */
async function untilFinished(server: TestServer, project: string, id: string): Promise<AnalysisInfo> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const answer = await call(server, 'GET', `/v1/projects/${project}/analyses/${id}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const info = AnalysisInfo.parse(answer.body);
    if (info.status === 'done' || info.status === 'failed') return info;
    if (Date.now() > deadline) throw new Error(`analysis ${id} not finished after ${DEADLINE_MS} ms: ${JSON.stringify(info)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('batch analyses (embedded: local queue, worker threads)', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('an analysis of a project reports progress events and a summary that agrees with the live index', async (t) => {
    const [pricing, checkout] = await Promise.all([fixture('pricing.ts'), fixture('checkout.ts')]);
    const lines = [
      { path: 'src/pricing.ts', content: pricing },
      { path: 'src/checkout.ts', content: checkout },
      ...Array.from({ length: 40 }, (_, i) => ({ path: `gen/unique-${i}.ts`, content: `export const value${i} = ${i};\n` })),
    ];
    const upload = await call(server, 'POST', '/v1/projects/batch/files', lines.map((line) => JSON.stringify(line) + '\n').join(''));
    assert.equal(upload.status, 200, JSON.stringify(upload.body));
    const stream = await EventStream.open(server.url, 'batch', server.token);
    t.after(() => stream.close());

    const started = await call(server, 'POST', '/v1/projects/batch/analyses');
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const { id } = StartAnalysisResponse.parse(started.body);
    const info = await untilFinished(server, 'batch', id);
    assert.equal(info.status, 'done', info.error);
    assert.equal(info.progress.filesTotal, 42);
    assert.equal(info.progress.filesDone, 42);
    assert.equal(info.progress.shardsDone, info.progress.shardsTotal);
    assert.ok(info.summary);
    assert.equal(info.summary.files, 42);
    const clones = await call(server, 'GET', '/v1/projects/batch/clones');
    assert.equal(info.summary.cloneClasses, ClonesPage.parse(clones.body).total);
    assert.ok(info.summary.duplication > 0 && info.summary.duplication < 1);
    await stream.until('the analysis done event', () =>
      stream.events.some((event: PushEvent) => event.type === 'analysis' && event.id === id && event.status === 'done'),
    );

    // This process holds the project's live index (its shards had nothing to read, its final job
    // took the records from the index instead of the store); a second server on the same store
    // holds none and reads every record. Both must find the same classes
    // in the same files and lines: an analysis does not depend on which process ran it.
    const other = await startTestServer({}, server.dataDir);
    t.after(() => other.close());
    const again = StartAnalysisResponse.parse((await call(other, 'POST', '/v1/projects/batch/analyses')).body);
    const fromStore = await untilFinished(other, 'batch', again.id);
    assert.equal(fromStore.status, 'done', fromStore.error);
    assert.deepEqual(fromStore.summary, info.summary);
  });

  test('an empty project analyses to an empty summary; unknown ids and projects are not found', async () => {
    assert.equal((await call(server, 'POST', '/v1/projects', JSON.stringify({ name: 'empty' }))).status, 415);
    const created = await fetch(`${server.url}/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'empty' }),
    });
    assert.equal(created.status, 201);
    const started = StartAnalysisResponse.parse((await call(server, 'POST', '/v1/projects/empty/analyses')).body);
    const info = await untilFinished(server, 'empty', started.id);
    assert.equal(info.status, 'done');
    assert.equal(info.summary?.files, 0);
    assert.equal(info.summary?.cloneClasses, 0);
    assert.equal((await call(server, 'GET', '/v1/projects/empty/analyses/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await call(server, 'GET', '/v1/projects/empty/analyses/not%20an%20id')).status, 400);
    assert.equal((await call(server, 'POST', '/v1/projects/nope/analyses')).status, 404);
  });

  test('?wait= answers once the analysis is done, in one request; a bad wait is a 400', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({ path: `w/f${i}.ts`, content: `export const v${i} = ${i};\n` }));
    const upload = await call(server, 'POST', '/v1/projects/waiting/files', lines.map((line) => JSON.stringify(line) + '\n').join(''));
    assert.equal(upload.status, 200, JSON.stringify(upload.body));
    const started = StartAnalysisResponse.parse((await call(server, 'POST', '/v1/projects/waiting/analyses')).body);
    const answer = await call(server, 'GET', `/v1/projects/waiting/analyses/${started.id}?wait=30`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const info = AnalysisInfo.parse(answer.body);
    assert.equal(info.status, 'done', 'one waiting request saw the analysis finish');
    assert.equal(info.summary?.files, 30);
    // Done already: the wait ends at once.
    assert.equal(
      AnalysisInfo.parse((await call(server, 'GET', `/v1/projects/waiting/analyses/${started.id}?wait=60`)).body).status,
      'done',
    );
    for (const bad of ['61', '-1', 'soon', '1&extra=1']) {
      const refused = await call(server, 'GET', `/v1/projects/waiting/analyses/${started.id}?wait=${bad}`);
      assert.equal(refused.status, 400, `wait=${bad}`);
      assert.equal((refused.body as { error: { code: string } }).error.code, 'invalid_request');
    }
  });

  test('a wait on an analysis that cannot finish ends when its time is up, with the status as it stands', async () => {
    // An analysis recorded but never enqueued (as if no worker ever took it) stays queued.
    const tenant = server.server.services.store.forTenant(DEFAULT_TENANT.id);
    const project = await tenant.projects.ensure('stuck');
    const record = await tenant.analyses.create(project.id, { revision: 0, filesTotal: 1, shardsTotal: 1 });
    const began = Date.now();
    const answer = await call(server, 'GET', `/v1/projects/stuck/analyses/${record.id}?wait=1`);
    assert.equal(answer.status, 200);
    assert.equal(AnalysisInfo.parse(answer.body).status, 'queued');
    assert.ok(Date.now() - began >= 900, 'the request was held for about the second asked');
  });
});
