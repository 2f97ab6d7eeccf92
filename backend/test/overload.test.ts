import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { filePath } from '@auxil/protocol';
import { errorCode, rawRequest, startTestServer } from './test-server.js';

describe('overload and rate limits', () => {
  test('beyond the in-flight limit a request is refused at once with 503 and Retry-After, and served again afterwards', async (t) => {
    const server = await startTestServer({ maxInFlight: 1 });
    t.after(() => server.close());
    const base = new URL(server.url);
    // A request whose body has not all arrived yet stays in flight for as long as we like.
    const body = 'export const slow = 1;\n';
    const held = request({
      host: base.hostname,
      port: base.port,
      method: 'PUT',
      path: filePath('busy', 'src/slow.ts'),
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Length': String(Buffer.byteLength(body)) },
      agent: false,
    });
    const heldAnswer = new Promise<number>((resolve, reject) => {
      held.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      held.on('error', reject);
    });
    held.write(body.slice(0, 5));
    held.flushHeaders();
    // The server has taken the held request once another one is refused; ask until then.
    let refused: Awaited<ReturnType<typeof rawRequest>> | undefined;
    for (let i = 0; i < 1000 && !refused; i++) {
      const answer = await rawRequest(server.url, { path: '/v1/projects', headers: { Authorization: `Bearer ${server.token}` } });
      if (answer.status === 503) refused = answer;
      else assert.equal(answer.status, 200);
    }
    assert.ok(refused, 'a request beyond the limit was refused');
    assert.equal(errorCode(refused), 'overloaded');
    assert.equal(refused.headers['retry-after'], '1');
    held.end(body.slice(5));
    assert.equal(await heldAnswer, 200);
    const after = await rawRequest(server.url, { path: '/v1/projects', headers: { Authorization: `Bearer ${server.token}` } });
    assert.equal(after.status, 200, 'the slot is free again once the held request is done');
  });

  test("beyond a tenant's requests per minute it gets 429 with Retry-After; health checks are never limited", async (t) => {
    const server = await startTestServer({ rateLimit: 3 });
    t.after(() => server.close());
    const headers = { Authorization: `Bearer ${server.token}` };
    for (let i = 0; i < 3; i++) assert.equal((await rawRequest(server.url, { path: '/v1/projects', headers })).status, 200);
    const limited = await rawRequest(server.url, { path: '/v1/projects', headers });
    assert.equal(limited.status, 429);
    assert.equal(errorCode(limited), 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await rawRequest(server.url, { path: '/healthz' })).status, 200);
  });
});
