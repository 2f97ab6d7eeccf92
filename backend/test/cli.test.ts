import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { HealthResponse, PutFileResponse } from '@auxil/protocol';
import { CliProcess } from './cli-process.js';
import { tempDir } from './test-server.js';

/** Runs a CLI command to its end. */
async function run(t: TestContext, args: string[], env: Record<string, string> = {}) {
  const cli = CliProcess.start(t, args, env);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

describe('auxil CLI', () => {
  test('serve listens, admin token prints a token the running server accepts, and SIGTERM stops it with code 0', async (t) => {
    const data = await tempDir('cli');
    const server = CliProcess.start(t, ['serve', '--port', '0', '--data-dir', data.path]);
    // Registered after the process's own cleanup, so the folder is deleted once the process is gone.
    t.after(() => data.remove());
    const [, url] = await server.untilStdout(/listening on (http:\/\/\S+)/);
    assert.ok(url);

    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(HealthResponse.parse(await health.json()).status, 'ok');

    const issued = await run(t, ['admin', 'token', '--data-dir', data.path]);
    assert.equal(issued.code, 0, issued.stderr);
    const lines = issued.stdout.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1, `one line: ${issued.stdout}`);
    const token = lines[0] as string;
    assert.match(token, /^auxil_\S+$/);

    const put = await fetch(`${url}/v1/projects/cli/files/a.ts`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}` },
      body: 'export const a = 1;\n',
    });
    assert.equal(put.status, 200);
    assert.equal(PutFileResponse.parse(await put.json()).file, 'a.ts');

    server.child.kill('SIGTERM');
    const exit = await server.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, server.stderr);
    assert.match(server.stdout, /SIGTERM: shutting down/);
  });

  test('admin tenant create and admin token --tenant give a second tenant its own token and its own, empty view', async (t) => {
    const data = await tempDir('cli-tenant');
    const server = CliProcess.start(t, ['serve', '--port', '0', '--data-dir', data.path]);
    t.after(() => data.remove());
    const [, url] = await server.untilStdout(/listening on (http:\/\/\S+)/);
    const mine = (await run(t, ['admin', 'token', '--data-dir', data.path])).stdout.trim();
    await fetch(`${url}/v1/projects/shared-name/files/a.ts`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${mine}` },
      body: 'export const a = 1;\n',
    });

    const missing = await run(t, ['admin', 'token', '--tenant', 'acme', '--data-dir', data.path]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no tenant "acme".*auxil admin tenant create acme/);
    const bad = await run(t, ['admin', 'tenant', 'create', '../x', '--data-dir', data.path]);
    assert.equal(bad.code, 2);
    const created = await run(t, ['admin', 'tenant', 'create', 'acme', '--name', 'Acme Corp', '--data-dir', data.path]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /tenant acme \(Acme Corp\)/);
    const theirs = await run(t, ['admin', 'token', '--tenant', 'acme', '--data-dir', data.path]);
    assert.equal(theirs.code, 0, theirs.stderr);
    const list = await fetch(`${url}/v1/projects`, { headers: { Authorization: `Bearer ${theirs.stdout.trim()}` } });
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { projects: [] }, "the new tenant sees none of the default tenant's projects");
  });

  test('serve --port 99999 exits with code 2 and says why on stderr', async (t) => {
    const data = await tempDir('cli-port');
    t.after(() => data.remove());
    const result = await run(t, ['serve', '--port', '99999', '--data-dir', data.path]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /99999/);
    assert.match(result.stderr, /port/);
  });

  test('serve with an invalid AUXIL_PORT exits with code 2 naming the variable', async (t) => {
    const data = await tempDir('cli-env');
    t.after(() => data.remove());
    const result = await run(t, ['serve', '--data-dir', data.path], { AUXIL_PORT: 'abc' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /AUXIL_PORT/);
  });

  test('--version prints the version and exits with code 0', async (t) => {
    const result = await run(t, ['--version']);
    assert.equal(result.code, 0);
    assert.match(result.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
});
