import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, CliProcess, cleanEnv } from '../cli-process.js';
import { startTestServer, tempDir, type TestServer } from '../test-server.js';
import { FIXTURE_FILES, NOVEL_CODE, SUM_OF_SQUARES, SUM_OF_SQUARES_RENAMED } from './mcp-fixture.js';
import { callOk, tokenWith, toolNames, uploadFiles } from './mcp-harness.js';

interface Match {
  file: string;
  startLine: number;
  endLine: number;
}

/**
 * `auxil mcp …` (the built CLI) spawned by the official SDK client over stdio. Any stray line on
 * the child's stdout would reach the client as a protocol error, which fails the test.
 */
async function stdioClient(
  t: TestContext,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: cleanEnv(env) as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'auxil-stdio-test', version: '1.0.0' });
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  t.after(async () => {
    await client.close();
    assert.deepEqual(protocolErrors, [], 'nothing but protocol messages on stdout');
  });
  return { client, stderr: () => stderr };
}

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

describe('auxil mcp over stdio', () => {
  describe('on a local folder (embedded)', () => {
    let folder: { path: string; remove: () => Promise<void> };
    let cache: { path: string; remove: () => Promise<void> };
    before(async () => {
      folder = await tempDir('mcp-folder');
      cache = await tempDir('mcp-cache');
      await writeTree(folder.path, FIXTURE_FILES);
    });
    after(async () => {
      await folder.remove();
      await cache.remove();
    });

    test('indexes the folder, answers from it, and sees files the agent writes and deletes', async (t) => {
      const { client, stderr } = await stdioClient(t, [folder.path, '--data-dir', cache.path, '--project', 'local'], {
        AUXIL_LOG_LEVEL: 'info',
      });
      assert.equal((await toolNames(client)).length, 8);
      const before = await callOk(client, 'find_similar_code', { code: SUM_OF_SQUARES_RENAMED, language: 'typescript' });
      assert.equal(before.project, 'local');
      assert.ok((before.matches as Match[]).some((match) => match.file === 'src/math/sum-of-squares.ts'));
      assert.equal((await callOk(client, 'find_similar_code', { code: NOVEL_CODE, language: 'typescript' })).found, false);

      await writeTree(folder.path, { 'src/weather/fetch-weather.ts': NOVEL_CODE });
      const written = await callOk(client, 'find_similar_code', { code: NOVEL_CODE, language: 'typescript' });
      assert.deepEqual(
        (written.matches as Match[]).map((match) => [match.file, match.startLine, match.endLine]),
        [['src/weather/fetch-weather.ts', 1, 8]],
      );

      await rm(join(folder.path, 'src/weather/fetch-weather.ts'));
      assert.equal((await callOk(client, 'find_similar_code', { code: NOVEL_CODE, language: 'typescript' })).found, false);
      assert.match(stderr(), /serving MCP over stdio/, 'logs go to stderr');
    });

    test('--toolsets narrows the tools', async (t) => {
      const { client } = await stdioClient(t, [folder.path, '--data-dir', cache.path, '--toolsets', 'conventions']);
      assert.deepEqual(await toolNames(client), ['get_conventions']);
    });
  });

  describe('relayed to a backend (--server)', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
      await uploadFiles(server, 'shop', { 'src/sum.ts': SUM_OF_SQUARES });
    });
    after(() => server.close());

    test('with a read-only AUXIL_TOKEN it offers only reading tools, which run on the server', async (t) => {
      const token = await tokenWith(server, ['read']);
      const { client } = await stdioClient(t, ['--server', server.url], { AUXIL_TOKEN: token });
      assert.ok(!(await toolNames(client)).includes('index_files'));
      const answer = await callOk(client, 'find_similar_code', { code: SUM_OF_SQUARES, language: 'typescript' });
      assert.deepEqual(
        (answer.matches as Match[]).map((match) => match.file),
        ['src/sum.ts'],
      );
    });

    test('without AUXIL_TOKEN it signs in to a backend on this machine with its local token', async (t) => {
      const { client } = await stdioClient(t, ['--server', server.url, '--toolsets', 'projects']);
      assert.deepEqual(await toolNames(client), ['index_files', 'list_projects']);
    });

    test('a revoked or wrong token fails the client at once with the reason, no hang', async (t) => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp', '--server', server.url],
        env: cleanEnv({ AUXIL_TOKEN: 'auxil_not-a-real-token' }) as Record<string, string>,
        stderr: 'pipe',
      });
      const client = new Client({ name: 'auxil-stdio-test', version: '1.0.0' });
      t.after(() => client.close());
      await assert.rejects(client.connect(transport), /API token is not valid/);
    });
  });

  test('bad flags exit with code 2 and say what to fix', async (t) => {
    const badUrl = CliProcess.start(t, ['mcp', '--server', 'localhost:7600']);
    assert.equal((await badUrl.exited).code, 2);
    assert.match(badUrl.stderr, /--server is the backend's base URL, such as http:\/\/127\.0\.0\.1:7600/);
    const badToolset = CliProcess.start(t, ['mcp', '--toolsets', 'everything']);
    assert.equal((await badToolset.exited).code, 2);
    assert.match(badToolset.stderr, /unknown toolset "everything"/);
  });
});
