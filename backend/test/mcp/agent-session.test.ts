import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../test-server.js';
import { FIXTURE_FILES, NOVEL_CODE, SUM_OF_SQUARES_RENAMED } from './mcp-fixture.js';
import { callOk, httpClient } from './mcp-harness.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

interface Match {
  file: string;
  startLine: number;
  endLine: number;
}

test('an agent session: index a project, ask before writing, write through the API, ask again', async (t) => {
  const agent = await httpClient(t, server, { query: '?project=agent-demo' });
  const files = Object.entries(FIXTURE_FILES).map(([path, content]) => ({ path, content }));
  const indexed = await callOk(agent, 'index_files', { files });
  assert.equal(indexed.stored, files.length);

  // The agent is about to write a function the project already has, under other names.
  const existing = await callOk(agent, 'find_similar_code', { code: SUM_OF_SQUARES_RENAMED, language: 'typescript' });
  assert.equal(existing.found, true);
  const best = (existing.matches as Match[]).find((match) => match.file === 'src/math/sum-of-squares.ts');
  assert.deepEqual(best && [best.startLine, best.endLine], [1, 14], 'the original, at its lines');

  // Code like nothing in the project: a normal "none found".
  const novel = await callOk(agent, 'find_similar_code', { code: NOVEL_CODE, language: 'typescript' });
  assert.deepEqual([novel.found, novel.matches], [false, []]);

  // Someone (a person, an editor) writes that code through the REST API...
  const put = await fetch(new URL('/v1/projects/agent-demo/files/src/weather/fetch-weather.ts', server.url), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${server.token}` },
    body: NOVEL_CODE,
  });
  assert.equal(put.status, 200, await put.text());

  // ...and the next question sees it at once.
  const now = await callOk(agent, 'find_similar_code', { code: NOVEL_CODE, language: 'typescript' });
  assert.equal(now.found, true);
  assert.deepEqual(
    (now.matches as Match[]).map((match) => [match.file, match.startLine, match.endLine]),
    [['src/weather/fetch-weather.ts', 1, 8]],
  );
});
