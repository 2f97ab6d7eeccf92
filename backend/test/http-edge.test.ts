import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { HealthResponse, MAX_FILE_BYTES, PutFileResponse } from '@auxil/protocol';
import { DEFAULT_TENANT, issueToken } from '../src/auth/api-tokens.js';
import { LOCAL_TOKEN_FILE } from '../src/auth/local-token.js';
import { loadConfig } from '../src/config.js';
import { errorCode, rawRequest, startTestServer, type RawResponse, type TestServer } from './test-server.js';

const FILE = '/v1/projects/p/files/a.ts';

/** What node:http's `http.server.request.start` diagnostics channel publishes. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
}

describe('HTTP edge', () => {
  let edge: TestServer;
  let put: (path: string, options?: { headers?: Record<string, string>; body?: string | Uint8Array }) => Promise<RawResponse>;

  before(async () => {
    edge = await startTestServer();
    put = (path, options = {}) =>
      rawRequest(edge.url, {
        method: 'PUT',
        path,
        headers: { Authorization: `Bearer ${edge.token}`, ...options.headers },
        body: options.body ?? 'const a = 1;\n',
      });
  });
  after(() => edge.close());

  describe('health', () => {
    test('idle keep-alive connections are kept 65 s, longer than clients and load balancers keep theirs', async () => {
      const response = await rawRequest(edge.url, { path: '/healthz', headers: { Connection: 'keep-alive' } });
      assert.equal(response.headers['keep-alive'], 'timeout=65');
    });

    test('GET /healthz answers without a token and, on 127.0.0.1, names the local token file', async () => {
      const response = await rawRequest(edge.url, { path: '/healthz' });
      assert.equal(response.status, 200);
      const health = HealthResponse.parse(JSON.parse(response.text));
      assert.equal(health.status, 'ok');
      assert.equal(health.localTokenFile, join(edge.dataDir, LOCAL_TOKEN_FILE));
    });

    test('the token in the announced local token file is accepted', async () => {
      const health = HealthResponse.parse(JSON.parse((await rawRequest(edge.url, { path: '/healthz' })).text));
      const token = (await readFile(health.localTokenFile as string, 'utf8')).trim();
      const response = await rawRequest(edge.url, {
        method: 'PUT',
        path: '/v1/projects/local/files/a.ts',
        headers: { Authorization: `Bearer ${token}` },
        body: 'x',
      });
      assert.equal(response.status, 200);
    });

    test('a server listening on a non-loopback address does not announce the local token file', async (t) => {
      const exposed = await startTestServer({ host: '0.0.0.0' });
      t.after(() => exposed.close());
      const port = new URL(exposed.url).port;
      const response = await rawRequest(`http://127.0.0.1:${port}`, { path: '/healthz' });
      const health = HealthResponse.parse(JSON.parse(response.text));
      assert.equal(health.localTokenFile, undefined);
    });
  });

  describe('authentication', () => {
    const refusals: Record<string, Record<string, string>> = {
      'no Authorization header': {},
      'a Basic Authorization header': { Authorization: 'Basic dXNlcjpwYXNz' },
      'a Bearer header without a token': { Authorization: 'Bearer ' },
      'a Bearer header with two words': { Authorization: 'Bearer auxil_a auxil_b' },
      'a token without the auxil_ prefix': { Authorization: 'Bearer 0123456789abcdef' },
      'an unknown token': { Authorization: `Bearer auxil_${'x'.repeat(43)}` },
    };
    for (const [name, headers] of Object.entries(refusals)) {
      test(`a PUT with ${name} gets 401 unauthenticated and a WWW-Authenticate challenge`, async () => {
        const response = await rawRequest(edge.url, { method: 'PUT', path: FILE, headers, body: 'x' });
        assert.equal(response.status, 401);
        assert.equal(errorCode(response), 'unauthenticated');
        assert.equal(response.headers['www-authenticate'], 'Bearer realm="auxil"');
      });
    }

    test('a token revoked in the store is refused with 401 from the next request on', async () => {
      const { id, token } = await issueToken(edge.server.services.store, DEFAULT_TENANT.id, 'soon revoked');
      const headers = { Authorization: `Bearer ${token}` };
      assert.equal((await rawRequest(edge.url, { method: 'PUT', path: FILE, headers, body: 'x' })).status, 200);
      assert.equal(await edge.server.services.store.forTenant(DEFAULT_TENANT.id).tokens.revoke(id), true);
      const response = await rawRequest(edge.url, { method: 'PUT', path: FILE, headers, body: 'x' });
      assert.equal(response.status, 401);
      assert.equal(errorCode(response), 'unauthenticated');
    });

    test('the scheme name "bearer" is case-insensitive', async () => {
      const response = await rawRequest(edge.url, {
        method: 'PUT',
        path: FILE,
        headers: { Authorization: `bearer ${edge.token}` },
        body: 'x',
      });
      assert.equal(response.status, 200);
    });
  });

  describe('file paths', () => {
    const badPaths: Record<string, [string, 'invalid_path' | 'invalid_request']> = {
      'a raw ".." segment': ['../etc/passwd', 'invalid_path'],
      'a raw ".." in the middle': ['a/../../b.ts', 'invalid_path'],
      'a "." segment': ['a/./b.ts', 'invalid_path'],
      'an encoded ".." segment (%2e%2e)': ['a/%2e%2e/b', 'invalid_path'],
      'an absolute path (leading /)': ['/etc/passwd', 'invalid_path'],
      'a drive letter (C:)': ['C:/x', 'invalid_path'],
      'an empty segment': ['a//b.ts', 'invalid_path'],
      'a NUL byte (%00)': ['a%00.ts', 'invalid_path'],
      'an encoded slash (%2F)': ['a%2Fb.ts', 'invalid_path'],
      'a backslash (%5C)': ['a%5Cb.ts', 'invalid_path'],
      'a control character (%01)': ['a%01b.ts', 'invalid_path'],
      'a newline (%0A)': ['a%0Ab.ts', 'invalid_path'],
      'a segment longer than 255 characters': [`${'s'.repeat(256)}.ts`, 'invalid_path'],
      'malformed percent-encoding (%E0%A4%A)': ['a%E0%A4%A.ts', 'invalid_request'],
      'a lone percent sign': ['a%.ts', 'invalid_request'],
    };
    for (const [name, [path, code]] of Object.entries(badPaths)) {
      test(`a file path with ${name} is refused with 400 ${code}`, async () => {
        const response = await put(`/v1/projects/p/files/${path}`);
        assert.equal(response.status, 400);
        assert.equal(errorCode(response), code);
      });
    }

    test('an encoded path with unicode, spaces and dots inside names is accepted and stored decoded', async () => {
      const response = await put('/v1/projects/p/files/src/caf%C3%A9%20menu/a..b.ts');
      assert.equal(response.status, 200);
      assert.equal(PutFileResponse.parse(JSON.parse(response.text)).file, 'src/café menu/a..b.ts');
    });

    test('an invalid project name is refused with 400 invalid_project', async () => {
      for (const project of ['-leading-dash', '.hidden', 'with%20space', `${'p'.repeat(101)}`]) {
        const response = await put(`/v1/projects/${project}/files/a.ts`);
        assert.equal(response.status, 400, project);
        assert.equal(errorCode(response), 'invalid_project', project);
      }
    });
  });

  describe('bodies', () => {
    let small: TestServer;
    const putSmall = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
      rawRequest(small.url, { method: 'PUT', path: FILE, headers: { Authorization: `Bearer ${small.token}`, ...headers }, body });

    before(async () => {
      small = await startTestServer({ maxFileBytes: 2048 });
    });
    after(() => small.close());

    test('the default body limit is 1 MiB', () => {
      assert.equal(loadConfig({}, {}).maxFileBytes, 1024 * 1024);
      assert.equal(MAX_FILE_BYTES, 1024 * 1024);
      assert.equal(edge.server.services.config.maxFileBytes, 1024 * 1024);
    });

    test('a body of exactly the limit is accepted and one byte more is refused with 413 payload_too_large', async () => {
      assert.equal((await putSmall('a'.repeat(2048))).status, 200);
      const response = await putSmall('a'.repeat(2049));
      assert.equal(response.status, 413);
      assert.equal(errorCode(response), 'payload_too_large');
    });

    test('an oversize body sent chunked, without a Content-Length, is refused with 413 payload_too_large', async () => {
      const base = new URL(small.url);
      const response = await new Promise<RawResponse>((resolve, reject) => {
        const outgoing = request(
          {
            host: base.hostname,
            port: base.port,
            method: 'PUT',
            path: FILE,
            headers: { Authorization: `Bearer ${small.token}`, 'Transfer-Encoding': 'chunked' },
            agent: false,
          },
          (incoming) => {
            let text = '';
            incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
            incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text }));
          },
        );
        outgoing.on('error', reject);
        for (let n = 0; n < 3; n++) outgoing.write('a'.repeat(1000));
        outgoing.end();
      });
      assert.equal(response.status, 413);
      assert.equal(errorCode(response), 'payload_too_large');
    });

    test('a gzip body that inflates past the limit is refused with 413 payload_too_large', async () => {
      const bomb = gzipSync(Buffer.alloc(64 * 1024, 'a'));
      assert.ok(bomb.length < 2048, 'the compressed body itself is under the limit');
      const response = await putSmall(bomb, { 'Content-Encoding': 'gzip' });
      assert.equal(response.status, 413);
      assert.equal(errorCode(response), 'payload_too_large');
    });

    test('a gzip-encoded body is accepted and stored decompressed', async () => {
      const content = 'export const greeting = "hello";\n';
      const response = await put('/v1/projects/gzip/files/a.ts', { headers: { 'Content-Encoding': 'gzip' }, body: gzipSync(content) });
      assert.equal(response.status, 200);
      const store = edge.server.services.store.forTenant(DEFAULT_TENANT.id);
      const project = await store.projects.findByName('gzip');
      assert.ok(project);
      assert.equal((await store.files.get(project.id, 'a.ts'))?.content, content);
    });

    test('an unsupported Content-Encoding is refused with 415 unsupported_media_type', async () => {
      const response = await put(FILE, { headers: { 'Content-Encoding': 'compress' } });
      assert.equal(response.status, 415);
      assert.equal(errorCode(response), 'unsupported_media_type');
    });

    test('a body that is not UTF-8 (ff fe 00) is refused with 400 invalid_encoding and not stored', async () => {
      const response = await put('/v1/projects/binary/files/a.ts', { body: Uint8Array.from([0xff, 0xfe, 0x00]) });
      assert.equal(response.status, 400);
      assert.equal(errorCode(response), 'invalid_encoding');
      assert.equal(await edge.server.services.store.forTenant(DEFAULT_TENANT.id).projects.findByName('binary'), undefined);
    });

    test('a multipart body is refused with 415 unsupported_media_type, whatever the case of its type', async () => {
      for (const type of ['multipart/form-data; boundary=x', 'Multipart/Mixed; boundary=y']) {
        const response = await put(FILE, { headers: { 'Content-Type': type }, body: '--x\r\n\r\nconst a = 1;\r\n--x--\r\n' });
        assert.equal(response.status, 415, type);
        assert.equal(errorCode(response), 'unsupported_media_type', type);
      }
    });

    test('any other Content-Type is taken as the file content verbatim', async () => {
      const body = 'a=1&b=2';
      const response = await put('/v1/projects/form/files/a.ts', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(response.status, 200);
      const store = edge.server.services.store.forTenant(DEFAULT_TENANT.id);
      const project = await store.projects.findByName('form');
      assert.equal((await store.files.get(project?.id ?? '', 'a.ts'))?.content, body);
    });
  });

  describe('routes', () => {
    test('an unknown /v1 route gets 404 not_found with a token, and 401 without one', async () => {
      const known = await rawRequest(edge.url, { path: '/v1/nope', headers: { Authorization: `Bearer ${edge.token}` } });
      assert.equal(known.status, 404);
      assert.equal(errorCode(known), 'not_found');
      const anonymous = await rawRequest(edge.url, { path: '/v1/nope' });
      assert.equal(anonymous.status, 401);
      assert.equal(errorCode(anonymous), 'unauthenticated');
    });

    test('GET on a file route and an unknown top-level route get 404 not_found', async () => {
      const get = await rawRequest(edge.url, { path: FILE, headers: { Authorization: `Bearer ${edge.token}` } });
      assert.equal(get.status, 404);
      assert.equal(errorCode(get), 'not_found');
      const top = await rawRequest(edge.url, { path: '/nope' });
      assert.equal(top.status, 404);
      assert.equal(errorCode(top), 'not_found');
    });
  });

  describe('robustness', () => {
    test(
      'a client that aborts mid-body is answered with 400 invalid_request and does not crash the server',
      { timeout: 10_000 },
      async (t) => {
        // The real server's own request and response objects, observed (not replaced) through
        // node:http's diagnostics channel, so the test can wait until the server has handled the abort.
        const marker = `abort-${process.pid}`;
        let served: ((exchange: Exchange) => void) | undefined;
        const seen = new Promise<Exchange>((resolve) => (served = resolve));
        const onRequest = (message: unknown): void => {
          const exchange = message as Exchange;
          if (exchange.request.headers['x-request-id'] === marker) served?.(exchange);
        };
        subscribe('http.server.request.start', onRequest);
        t.after(() => unsubscribe('http.server.request.start', onRequest));

        const base = new URL(edge.url);
        const client = request({
          host: base.hostname,
          port: base.port,
          method: 'PUT',
          path: FILE,
          headers: { Authorization: `Bearer ${edge.token}`, 'Content-Length': '100000', 'X-Request-Id': marker },
          agent: false,
        });
        const clientClosed = new Promise<void>((resolve) => client.on('close', () => resolve()));
        client.on('error', () => undefined);
        client.flushHeaders();
        const { request: serverRequest, response: serverResponse } = await seen;
        client.write(Buffer.alloc(10, 'a'), () => client.destroy());
        await clientClosed;

        if (!serverRequest.destroyed) await new Promise((resolve) => serverRequest.once('close', resolve));
        // The error handler answers a few ticks after 'close', and an answer to a vanished client
        // emits no event: check once per event-loop turn until the response is ended.
        await new Promise<void>((resolve) => {
          const check = (): void => (serverResponse.writableEnded ? resolve() : void setImmediate(check));
          check();
        });
        assert.equal(serverResponse.statusCode, 400);
        assert.equal(serverResponse.getHeader('content-type'), 'application/json; charset=utf-8');
      },
    );

    test('after every bad request above, the same server still answers /healthz and accepts files', async () => {
      const health = await rawRequest(edge.url, { path: '/healthz' });
      assert.equal(health.status, 200);
      assert.equal(HealthResponse.parse(JSON.parse(health.text)).status, 'ok');
      assert.equal((await put('/v1/projects/p/files/still-alive.ts')).status, 200);
    });
  });
});
