import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { CliProcess } from '../cli-process.js';
import { startTestServer, tempDir, type TestServer } from '../test-server.js';
import { SUM_OF_SQUARES } from './mcp-fixture.js';
import { tokenWith, uploadFiles } from './mcp-harness.js';

/** `auxil admin token` with these flags, run to its end against the server's data directory. */
async function adminToken(
  t: TestContext,
  server: TestServer,
  flags: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = CliProcess.start(t, ['admin', 'token', '--data-dir', server.dataDir, ...flags]);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout.trim(), stderr: cli.stderr };
}

function call(server: TestServer, token: string, method: string, path: string, body?: string): Promise<Response> {
  return fetch(new URL(path, server.url), {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body } : {}),
  });
}

describe('token scopes on the REST API', () => {
  let server: TestServer;
  before(async () => {
    const data = await tempDir('scopes');
    const started = await startTestServer({}, data.path);
    server = { ...started, close: () => started.close().then(data.remove) };
    await uploadFiles(server, 'shop', { 'src/sum.ts': SUM_OF_SQUARES });
  });
  after(() => server.close());

  test('auxil admin token --scope read prints a token that may read but not change files', async (t) => {
    const issued = await adminToken(t, server, ['--scope', 'read', '--name', 'agent']);
    assert.equal(issued.code, 0, issued.stderr);
    const token = issued.stdout;
    assert.equal((await call(server, token, 'GET', '/v1/projects/shop/clones')).status, 200);
    const similar = await call(
      server,
      token,
      'POST',
      '/v1/projects/shop/similar',
      JSON.stringify({ code: SUM_OF_SQUARES, language: 'ts' }),
    );
    assert.equal(similar.status, 200, 'asking for similar code is a read, though a POST');
    assert.equal((await call(server, token, 'POST', '/v1/projects/shop/analyses')).status, 202, 'starting an analysis changes no file');
    const put = await call(server, token, 'PUT', '/v1/projects/shop/files/src/new.ts', 'export const x = 1;\n');
    assert.equal(put.status, 403);
    const body = (await put.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'forbidden');
    assert.match(
      body.error.message,
      /needs a token with the "write" scope; this token has "read" \(create one with `auxil admin token --scope write`\)/,
    );
    assert.equal((await call(server, token, 'DELETE', '/v1/projects/shop')).status, 403);
    assert.equal((await call(server, token, 'POST', '/v1/projects', JSON.stringify({ name: 'other' }))).status, 403);
  });

  test('a token made without --scope keeps full access, as tokens made before scopes do', async (t) => {
    const issued = await adminToken(t, server, []);
    assert.equal(issued.code, 0, issued.stderr);
    assert.equal((await call(server, issued.stdout, 'PUT', '/v1/projects/shop/files/src/full.ts', 'export const y = 2;\n')).status, 200);
  });

  test('a write-only token may change files but not read them', async () => {
    const token = await tokenWith(server, ['write']);
    assert.equal((await call(server, token, 'PUT', '/v1/projects/shop/files/src/w.ts', 'export const w = 3;\n')).status, 200);
    assert.equal((await call(server, token, 'GET', '/v1/projects/shop/clones')).status, 403);
  });

  test('an unknown scope is refused by the CLI with exit code 2', async (t) => {
    const issued = await adminToken(t, server, ['--scope', 'admin']);
    assert.equal(issued.code, 2);
    assert.match(issued.stderr, /admin.*read, write/s);
  });
});
