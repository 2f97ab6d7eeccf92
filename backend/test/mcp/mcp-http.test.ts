import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_SNIPPET_BYTES } from '@auxil/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { issueToken } from '../../src/auth/api-tokens.js';
import { rawRequest, startTestServer, type TestServer } from '../test-server.js';
import { FIXTURE_FILES, NOVEL_CODE, SUM_OF_SQUARES } from './mcp-fixture.js';
import { callFails, callOk, httpClient, removeProject, tokenWith, toolNames, uploadFiles } from './mcp-harness.js';

const READ_TOOLS = [
  'analyze_codebase',
  'find_duplicates',
  'find_similar_code',
  'get_conventions',
  'get_file_findings',
  'list_projects',
  'search_symbols',
];

describe('MCP over Streamable HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await uploadFiles(server, 'shop', FIXTURE_FILES);
  });
  after(() => server.close());

  describe('tools per scope and toolset', () => {
    test('a token with every scope sees every tool, the mutating index_files included', async (t) => {
      assert.deepEqual(await toolNames(await httpClient(t, server)), [...READ_TOOLS, 'index_files'].sort());
    });

    test('a read-only token never sees a mutating tool, and calling one by name fails as a tool result', async (t) => {
      const client = await httpClient(t, server, { token: await tokenWith(server, ['read']) });
      assert.deepEqual(await toolNames(client), READ_TOOLS);
      const message = await callFails(client, 'index_files', { project: 'shop', files: [{ path: 'x.ts', content: 'x' }] });
      assert.match(message, /index_files/);
    });

    test('a write-only token sees only index_files and no resource', async (t) => {
      const client = await httpClient(t, server, { token: await tokenWith(server, ['write']) });
      assert.deepEqual(await toolNames(client), ['index_files']);
    });

    test('?toolsets= narrows the list to the toolsets asked for', async (t) => {
      const client = await httpClient(t, server, { query: '?toolsets=search' });
      assert.deepEqual(await toolNames(client), ['find_similar_code', 'search_symbols']);
    });

    test('the X-Auxil-Toolsets header narrows the list the same way', async (t) => {
      const client = await httpClient(t, server, { headers: { 'X-Auxil-Toolsets': 'conventions,duplicates' } });
      assert.deepEqual(await toolNames(client), ['analyze_codebase', 'find_duplicates', 'get_conventions', 'get_file_findings']);
    });

    test('an unknown toolset is refused with 400 naming the known ones', async () => {
      const response = await postMcp(server, { query: '?toolsets=search,everything' });
      assert.equal(response.status, 400);
      assert.deepEqual(JSON.parse(response.text), {
        error: { code: 'invalid_request', message: 'unknown toolset "everything"; choose from search, duplicates, conventions, projects' },
      });
    });
  });

  describe('transport security', () => {
    test('a request without a token gets 401 and the SDK client cannot connect', async () => {
      const response = await postMcp(server, { token: null });
      assert.equal(response.status, 401);
      assert.match(response.text, /"code":"unauthenticated"/);
      const client = new Client({ name: 'anonymous', version: '1.0.0' });
      await assert.rejects(client.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.url))));
      await client.close();
    });

    test('a request from a web page (Origin header) is refused unless its origin is configured', async () => {
      const response = await postMcp(server, { headers: { Origin: 'https://evil.example' } });
      assert.equal(response.status, 403);
      assert.match(response.text, /AUXIL_MCP_ALLOWED_ORIGINS/);
    });

    test('a server on loopback refuses a request addressed to another host name (DNS rebinding)', async () => {
      const response = await postMcp(server, { headers: { Host: 'rebind.example:7600' } });
      assert.equal(response.status, 403);
      assert.match(response.text, /address it as 127\.0\.0\.1 or localhost/);
    });

    test('GET /mcp is 405: the endpoint is stateless and has no session stream', async () => {
      const response = await rawRequest(server.url, { path: '/mcp', headers: { Authorization: `Bearer ${server.token}` } });
      assert.equal(response.status, 405);
    });
  });

  describe('tools on the fixture project', () => {
    test('find_similar_code finds both copies of an existing function, with lines and an excerpt', async (t) => {
      const answer = await callOk(await httpClient(t, server), 'find_similar_code', { code: SUM_OF_SQUARES, language: 'typescript' });
      assert.equal(answer.project, 'shop', 'the only project is the default');
      assert.equal(answer.found, true);
      const matches = answer.matches as { file: string; startLine: number; endLine: number; cloneType: number; excerpt: string }[];
      assert.deepEqual(
        matches.map((match) => [match.file, match.startLine, match.endLine, match.cloneType]),
        [
          ['src/math/sum-of-squares.ts', 1, 14, 1],
          ['src/report/square-total.ts', 3, 16, 2],
        ],
      );
      assert.ok(matches[0]?.excerpt.startsWith('export function sumOfSquares(values: number[]): number {'));
      assert.match(matches[0]?.excerpt ?? '', /… \(8 more lines\)$/);
    });

    test('find_similar_code answers "nothing found" as a normal result', async (t) => {
      const answer = await callOk(await httpClient(t, server), 'find_similar_code', { code: NOVEL_CODE, language: 'ts', project: 'shop' });
      assert.equal(answer.found, false);
      assert.deepEqual(answer.matches, []);
      assert.match(String(answer.advice), /write it/);
    });

    test('search_symbols finds a method by abbreviation', async (t) => {
      const answer = await callOk(await httpClient(t, server), 'search_symbols', { query: 'getUsrById', project: 'shop' });
      const first = (answer.symbols as { name: string; file: string; kind: string }[])[0];
      assert.deepEqual([first?.name, first?.kind, first?.file], ['getUserById', 'method', 'src/users/user-service.ts']);
    });

    test('find_duplicates pages through clone classes, copies listed without pairs', async (t) => {
      const client = await httpClient(t, server);
      const answer = await callOk(client, 'find_duplicates', { project: 'shop', limit: 1 });
      assert.equal(answer.total, 1);
      const [only] = answer.classes as { cloneType: number; copies: { file: string }[]; moreCopies: number }[];
      assert.equal(only?.cloneType, 2);
      assert.deepEqual(only?.copies.map((copy) => copy.file).sort(), ['src/math/sum-of-squares.ts', 'src/report/square-total.ts']);
      assert.equal(answer.nextCursor, undefined, 'one class fits one page');
      const inFolder = await callOk(client, 'find_duplicates', { project: 'shop', folder: 'src/users' });
      assert.equal(inFolder.total, 0);
    });

    test('get_file_findings reports the duplicate of a file and its convention deviations', async (t) => {
      const client = await httpClient(t, server);
      const copy = await callOk(client, 'get_file_findings', { project: 'shop', file: 'src/report/square-total.ts' });
      assert.deepEqual(copy.duplicates, [
        {
          startLine: 3,
          endLine: 16,
          cloneType: 2,
          others: [{ file: 'src/math/sum-of-squares.ts', startLine: 1, endLine: 14 }],
          moreOthers: 0,
        },
      ]);
      const odd = await callOk(client, 'get_file_findings', { project: 'shop', file: 'src/users/UserRoles.ts' });
      assert.deepEqual(
        (odd.conventions as { line: number }[]).map((finding) => finding.line),
        [1, 5],
      );
    });

    test('get_conventions lists what the codebase does and where it departs, capped', async (t) => {
      const client = await httpClient(t, server);
      const answer = await callOk(client, 'get_conventions', { project: 'shop', maxDeviations: 1 });
      const conventions = answer.conventions as { id: string; expected: string }[];
      assert.ok(conventions.some((c) => c.id === 'naming:typescript:function' && c.expected === 'camelCase'));
      assert.equal((answer.deviations as unknown[]).length, 1);
      assert.equal(answer.moreDeviations, 1);
    });

    test('analyze_codebase runs an analysis, then reuses it while the project is unchanged', async (t) => {
      const client = await httpClient(t, server);
      const first = await callOk(client, 'analyze_codebase', { project: 'shop' });
      assert.equal(first.status, 'done');
      assert.deepEqual(first.summary, {
        files: Object.keys(FIXTURE_FILES).length,
        cloneClasses: 1,
        duplicatedLines: 28,
        duplicationPercent: (first.summary as { duplicationPercent: number }).duplicationPercent,
      });
      assert.ok((first.summary as { duplicationPercent: number }).duplicationPercent > 0);
      assert.equal((first.largestClasses as unknown[]).length, 1);
      const again = await callOk(client, 'analyze_codebase', { project: 'shop' });
      assert.equal(again.reused, true);
      assert.equal(again.analysisId, first.analysisId);
    });

    test('analyze_codebase sends progress notifications to a caller that asks for them', async (t) => {
      await uploadFiles(server, 'progress', FIXTURE_FILES);
      t.after(() => removeProject(server, 'progress'));
      const seen: { progress: number; total?: number }[] = [];
      const client = await httpClient(t, server);
      const result = await client.callTool({ name: 'analyze_codebase', arguments: { project: 'progress' } }, undefined, {
        onprogress: (progress) => seen.push(progress),
      });
      assert.equal((result.structuredContent as { status: string }).status, 'done');
      assert.ok(seen.length > 0, 'at least the first state was reported');
      assert.ok(seen.every((progress) => progress.total === Object.keys(FIXTURE_FILES).length));
    });

    test('list_projects and the project summary resource show the project', async (t) => {
      const client = await httpClient(t, server);
      const answer = await callOk(client, 'list_projects', {});
      assert.deepEqual(
        (answer.projects as { name: string; files: number }[]).map((p) => [p.name, p.files]),
        [['shop', Object.keys(FIXTURE_FILES).length]],
      );
      const { resources } = await client.listResources();
      assert.deepEqual(
        resources.map((resource) => resource.uri),
        ['auxil://projects/shop/summary'],
      );
      const read = await client.readResource({ uri: 'auxil://projects/shop/summary' });
      const summary = JSON.parse(String((read.contents[0] as { text: string }).text)) as { project: string; cloneClasses: number };
      assert.deepEqual([summary.project, summary.cloneClasses], ['shop', 1]);
    });

    test('index_files stores files and reports what changed', async (t) => {
      const client = await httpClient(t, server);
      const files = [{ path: 'notes/readme.ts', content: 'export const note = 1;\n' }];
      const first = await callOk(client, 'index_files', { project: 'scratch', files });
      assert.deepEqual([first.stored, first.unchanged], [1, 0]);
      const again = await callOk(client, 'index_files', { project: 'scratch', files });
      assert.deepEqual([again.stored, again.unchanged], [0, 1]);
    });
  });

  describe('bad input fails as an isError result with an actionable message', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['find_similar_code', { code: 42, language: 'typescript' }, /expected string/],
      ['find_similar_code', { code: 'x'.repeat(MAX_SNIPPET_BYTES + 1), language: 'typescript' }, /at most 65536 characters/],
      ['find_similar_code', { code: SUM_OF_SQUARES, language: 'cobol' }, /unknown language "cobol"/],
      ['search_symbols', { query: '' }, /query/],
      ['search_symbols', { query: 'x', kind: 'widget' }, /kind/],
      ['find_duplicates', { limit: 0 }, /limit/],
      ['find_duplicates', { cursor: 'abc' }, /cursor is not one this API returned/],
      ['get_file_findings', { file: '../etc/passwd' }, /file/],
      ['get_file_findings', { file: 'src/missing.ts' }, /not_found: the project has no file "src\/missing.ts"/],
      ['get_conventions', { maxDeviations: 'all' }, /maxDeviations/],
      ['analyze_codebase', { waitSeconds: -1 }, /waitSeconds/],
      ['index_files', { files: [] }, /files/],
      ['index_files', { files: [{ path: '/abs.ts', content: 'x' }] }, /path/],
    ];
    for (const [tool, args, expected] of cases) {
      test(`${tool} ${JSON.stringify(args).slice(0, 60)}`, async (t) => {
        const message = await callFails(await httpClient(t, server), tool, { project: 'shop', ...args });
        assert.match(message, expected);
      });
    }

    for (const tool of READ_TOOLS.filter((name) => name !== 'list_projects')) {
      test(`${tool} on an unknown project is not_found, naming it`, async (t) => {
        const message = await callFails(await httpClient(t, server), tool, { project: 'nowhere', ...requiredArgs(tool) });
        assert.match(message, /^not_found: no project "nowhere"/);
      });

      test(`${tool} on another tenant's project is not_found, as if it did not exist`, async (t) => {
        await server.server.services.store.tenants.ensure('rival', 'Rival');
        const { token } = await issueToken(server.server.services.store, 'rival', 'rival');
        const message = await callFails(await httpClient(t, server, { token }), tool, { project: 'shop', ...requiredArgs(tool) });
        assert.match(message, /^not_found: no project "shop"/);
      });
    }

    test('a call naming no project when the tenant has several asks which, listing them', async (t) => {
      await uploadFiles(server, 'second', { 'a.ts': 'export const a = 1;\n' });
      t.after(() => removeProject(server, 'second'));
      const message = await callFails(await httpClient(t, server), 'search_symbols', { query: 'x' });
      assert.match(message, /^invalid_request: name the project: this tenant has .*second.*shop/);
    });
  });
});

/** The arguments a tool needs besides its project. */
function requiredArgs(tool: string): Record<string, unknown> {
  const needs: Record<string, Record<string, unknown>> = {
    find_similar_code: { code: SUM_OF_SQUARES, language: 'typescript' },
    search_symbols: { query: 'user' },
    get_file_findings: { file: 'src/math/sum-of-squares.ts' },
  };
  return needs[tool] ?? {};
}

/** One raw MCP initialize POST, to see the HTTP status the SDK client hides. */
function postMcp(server: TestServer, options: { token?: string | null; query?: string; headers?: Record<string, string> }) {
  const token = options.token === undefined ? server.token : options.token;
  return rawRequest(server.url, {
    method: 'POST',
    path: `/mcp${options.query ?? ''}`,
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...options.headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
}
