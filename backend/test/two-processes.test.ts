import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test, type TestContext } from 'node:test';
import { ClonesPage, DeleteFileResponse, FileFindings, PutFileResponse, UploadResponse, filePath } from '@auxil/protocol';
import { CliProcess } from './cli-process.js';
import { tempDir } from './test-server.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../../test/fixtures/duplicate-workspace/src/${name}`, import.meta.url), 'utf8');

async function serve(t: TestContext, dataDir: string): Promise<string> {
  const server = CliProcess.start(t, ['serve', '--port', '0', '--data-dir', dataDir]);
  const [, url] = await server.untilStdout(/listening on (http:\/\/\S+)/);
  return url as string;
}

async function call<T>(
  schema: { parse(value: unknown): T },
  url: string,
  token: string,
  method: string,
  path: string,
  body?: string,
): Promise<T> {
  const response = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': method === 'POST' ? 'application/x-ndjson' : 'text/plain' },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${url}${path} → ${response.status} ${text}`);
  return schema.parse(JSON.parse(text));
}

describe('two api processes on one store', () => {
  test('a write acknowledged by one process is seen by the next read on the other (read-your-writes)', async (t) => {
    const data = await tempDir('two-processes');
    t.after(() => data.remove());
    const [pricing, checkout] = await Promise.all([fixture('pricing.ts'), fixture('checkout.ts')]);
    // Two real `auxil serve` processes sharing one SQLite store, as two api replicas share a database.
    const first = await serve(t, data.path);
    const second = await serve(t, data.path);
    const admin = CliProcess.start(t, ['admin', 'token', '--data-dir', data.path]);
    assert.equal((await admin.exited).code, 0, admin.stderr);
    const token = admin.stdout.trim();

    // Both processes load the project before anything is written, so each holds an index to keep current.
    await call(UploadResponse, first, token, 'POST', '/v1/projects/shared/files', '');
    await call(ClonesPage, second, token, 'GET', '/v1/projects/shared/clones');

    await call(PutFileResponse, first, token, 'PUT', filePath('shared', 'src/pricing.ts'), pricing);
    const onSecond = await call(PutFileResponse, second, token, 'PUT', filePath('shared', 'src/checkout.ts'), checkout);
    assert.deepEqual(
      onSecond.findings[0]?.others.map((other) => other.file),
      ['src/pricing.ts'],
      'the second process sees the file the first one stored',
    );
    const onFirst = await call(FileFindings, first, token, 'GET', '/v1/projects/shared/findings?file=src/pricing.ts');
    assert.deepEqual(
      onFirst.findings.flatMap((finding) => (finding.kind === 'duplicate' ? finding.others.map((other) => other.file) : [])),
      ['src/checkout.ts'],
      'the first process sees the file the second one stored',
    );

    const removed = await call(DeleteFileResponse, first, token, 'DELETE', filePath('shared', 'src/checkout.ts'));
    assert.equal(removed.removed, true);
    const afterRemoval = await call(FileFindings, second, token, 'GET', '/v1/projects/shared/findings?file=src/pricing.ts');
    assert.deepEqual(afterRemoval.findings, [], 'the second process no longer reports the removed copy');
    assert.ok(afterRemoval.revision >= removed.revision);

    const batch = [
      JSON.stringify({ path: 'lib/a.ts', content: checkout }),
      JSON.stringify({ path: 'lib/b.ts', content: checkout }),
      '',
    ].join('\n');
    const uploaded = await call(UploadResponse, second, token, 'POST', '/v1/projects/shared/files', batch);
    const clones = await call(ClonesPage, first, token, 'GET', '/v1/projects/shared/clones');
    assert.ok(clones.revision >= uploaded.revision);
    assert.ok(
      clones.classes.some((cloneClass) => cloneClass.fragments.some((fragment) => fragment.file === 'lib/b.ts')),
      'the first process lists clone classes of the batch the second one stored',
    );
  });
});
