import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { AnalysisInfo, StartAnalysisResponse } from '@auxil/protocol';
import { DEFAULT_TENANT, issueToken } from '../../src/auth/api-tokens.js';
import { MAX_PARTS, batchesOfPart, encodePart } from '../../src/analyses/match-parts.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { startServer, type BackendServer } from '../../src/server.js';
import { dropNamespace, redisUrl } from '../queue/redis-namespace.js';
import { startTestServer, tempDir, type TestServer } from '../test-server.js';

/*
 * The final job's side of a shared matching (distributed mode: Agenda on the real Redis), with
 * another "worker" played by the test through the store: it holds parts, stores a part matched
 * over other records, lets its claims lapse, and holds them while the project is deleted. The
 * classes must equal those of the embedded mode's matching on its own threads, and the final job
 * must never wait for ever.
 */

/** Files: at least 2,000, so the analysis is large enough to be matched in parts; a few planted copies. */
function corpus(): string {
  const planted = Array.from(
    { length: 12 },
    (_, i) => `const v${i} = input.map((x) => x * ${i + 2}).filter((x) => x > ${i}).reduce((sum, x) => sum + x, 0);`,
  ).join('\n  ');
  const lines: string[] = [];
  for (let i = 0; i < 2_100; i++) {
    const path = `src/m${String(i).padStart(4, '0')}.ts`;
    const body =
      i % 150 === 0
        ? `export function planted${i}(input: number[]): number {\n  ${planted}\n  return v0 + v11;\n}\n`
        : `export const value${i} = ${i};\n`;
    lines.push(JSON.stringify({ path, content: body }));
  }
  return `${lines.join('\n')}\n`;
}

/** The server's log lines, with a wait on the first that matches. */
class Logged {
  readonly lines: string[] = [];
  private readonly written = new EventEmitter();
  readonly stream = {
    write: (line: string): void => {
      this.lines.push(line);
      this.written.emit('line', line);
    },
  };

  /** The first logged line that matches, waiting for it (at most `ms`). */
  async until(pattern: RegExp, ms = 60_000): Promise<string> {
    const logged = this.lines.find((each) => pattern.test(each));
    if (logged) return logged;
    const signal = AbortSignal.timeout(ms);
    try {
      for await (const [line] of on(this.written, 'line', { signal }) as AsyncIterable<[string]>) if (pattern.test(line)) return line;
    } catch (error) {
      if (!signal.aborted) throw error;
    }
    assert.fail(`no log line matched ${pattern}; last lines:\n${this.lines.slice(-5).join('')}`);
  }
}

async function call<T>(
  url: string,
  token: string,
  schema: { parse(value: unknown): T } | undefined,
  method: string,
  path: string,
  body?: string,
) {
  const response = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} → ${response.status} ${text}`);
  return schema ? schema.parse(JSON.parse(text)) : undefined;
}

async function untilDone(url: string, token: string, project: string, id: string): Promise<AnalysisInfo> {
  for (;;) {
    const info = (await call(url, token, AnalysisInfo, 'GET', `/v1/projects/${project}/analyses/${id}?wait=30`)) as AnalysisInfo;
    assert.notEqual(info.status, 'failed', info.error);
    if (info.status === 'done') return info;
  }
}

describe('a shared matching, as the final job sees it (Agenda on Redis)', () => {
  const files = corpus();
  const namespace = `auxil_test_${randomBytes(6).toString('hex')}`;
  const logged = new Logged();
  let reference: AnalysisInfo['summary'];
  let server: BackendServer;
  let url: string;
  let token: string;
  let removeDir: () => Promise<void>;

  before(async () => {
    // The reference: the embedded mode, which matches on its own threads without parts.
    const embedded: TestServer = await startTestServer();
    try {
      await call(embedded.url, embedded.token, undefined, 'POST', '/v1/projects/ref/files', files);
      const { id } = (await call(embedded.url, embedded.token, StartAnalysisResponse, 'POST', '/v1/projects/ref/analyses')) as {
        id: string;
      };
      reference = (await untilDone(embedded.url, embedded.token, 'ref', id)).summary;
    } finally {
      await embedded.close();
    }
    assert.ok(reference && reference.cloneClasses > 0 && reference.files === 2_100, JSON.stringify(reference));

    const dir = await tempDir('shared-matching');
    removeDir = dir.remove;
    const config = loadConfig(
      {
        dataDir: dir.path,
        host: '127.0.0.1',
        port: 0,
        queue: redisUrl,
        queueNamespace: namespace,
        role: 'all',
        threads: 1,
        shardLockMs: 1_000,
      },
      {},
    );
    server = await startServer(config, { logger: createLogger('debug', logged.stream), shutdownGraceMs: 500 });
    url = server.url;
    token = (await issueToken(server.services.store, DEFAULT_TENANT.id, 'test')).token;
  });

  after(async () => {
    await server?.close();
    await removeDir?.();
    await dropNamespace(namespace);
  });

  /** Uploads the corpus into `project`, starts an analysis and has the test's "worker" claim every part at once. */
  async function startHeld(project: string): Promise<string> {
    await call(url, token, undefined, 'POST', `/v1/projects/${project}/files`, files);
    const { id } = (await call(url, token, StartAnalysisResponse, 'POST', `/v1/projects/${project}/analyses`)) as { id: string };
    const tenant = server.services.store.forTenant(DEFAULT_TENANT.id);
    const claimed: (number | undefined)[] = [];
    for (let k = 0; k < MAX_PARTS; k++) claimed.push(await tenant.analyses.claimPart(id, MAX_PARTS, 'ghost', 60_000));
    assert.deepEqual(
      claimed,
      Array.from({ length: MAX_PARTS }, (_, k) => k),
      'the test claimed every part before the final job began',
    );
    return id;
  }

  test('parts held by a worker that died are matched once their claims lapse; a part matched over other records is matched again', async () => {
    const id = await startHeld('lapsed');
    const analyses = server.services.store.forTenant(DEFAULT_TENANT.id).analyses;
    // The other worker stores part 3 matched over other records (another digest): well-formed, with
    // the part's batches (a planted copy's file is in batch 3), but no pairs. Unusable.
    const batches = batchesOfPart(3, MAX_PARTS, Math.ceil(2_100 / 128)).map((batch) => ({
      batch,
      pairs: { ints: new Int32Array(0), similarities: new Float64Array(0) },
    }));
    assert.equal(await analyses.completePart(id, 3, 'ghost', { digest: 'other-records', pairs: encodePart(batches) }), true);
    // Then it dies: its other claims are never renewed, and lapse after AUXIL_SHARD_LOCK_MS (1 s).
    const done = await untilDone(url, token, 'lapsed', id);
    assert.deepEqual(done.summary, reference, 'the same classes as the embedded matching');
    await logged.until(
      new RegExp(`"analysis":"${id}","part":3,"msg":"a helper matched other records \\(or its part is damaged\\); matching it here"`),
    );
    assert.deepEqual(await analyses.doneParts(id), [], 'the parts are deleted once the analysis is done');
  });

  test('a final job waiting for parts stops when the project is deleted, instead of waiting for ever', async () => {
    const id = await startHeld('deleted');
    const analyses = server.services.store.forTenant(DEFAULT_TENANT.id).analyses;
    // The other worker is alive: it renews its claims well within the lease.
    const renewing = setInterval(() => {
      for (let part = 0; part < MAX_PARTS; part++) analyses.renewPart(id, part, 'ghost').catch(() => undefined);
    }, 200);
    try {
      await logged.until(new RegExp(`"analysis":"${id}".*"msg":"waiting for the parts other workers hold"`));
      await call(url, token, undefined, 'DELETE', '/v1/projects/deleted');
      await logged.until(new RegExp(`^(?=.*"analysis":"${id}")(?=.*was deleted or ended while its classes were being built)`));
    } finally {
      clearInterval(renewing);
    }
    assert.equal(await analyses.get(id), undefined);
  });
});
