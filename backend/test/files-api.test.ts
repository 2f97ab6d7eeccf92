import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test, type TestContext } from 'node:test';
import { PutFileResponse, eventsPath, filePath, type FindingsEvent } from '@auxil/protocol';
import { issueToken } from '../src/auth/api-tokens.js';
import { EventStream, errorCode, refusedUpgrade, startTestServer, tempDir, type TestServer } from './test-server.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../../test/fixtures/duplicate-workspace/src/${name}`, import.meta.url), 'utf8');

const PRICING = 'src/pricing.ts';
const CHECKOUT = 'src/checkout.ts';
const UNIQUE_CHECKOUT = `export function greet(name: string): string {
  return \`Welcome back, \${name}\`;
}
`;

async function putFile(server: TestServer, token: string, project: string, path: string, content: string): Promise<PutFileResponse> {
  const response = await fetch(server.url + filePath(project, path), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
    body: content,
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return PutFileResponse.parse(JSON.parse(text));
}

async function events(t: TestContext, server: TestServer, project: string, token = server.token): Promise<EventStream> {
  const stream = await EventStream.open(server.url, project, token);
  t.after(() => stream.close());
  return stream;
}

/** The findings events for one file, in arrival order. */
const findingsFor = (stream: EventStream, file: string): FindingsEvent[] => stream.findings.filter((event) => event.file === file);

describe('files API and push channel', () => {
  let server: TestServer;
  let pricing: string;
  let checkout: string;

  before(async () => {
    server = await startTestServer();
    [pricing, checkout] = await Promise.all([fixture('pricing.ts'), fixture('checkout.ts')]);
  });
  after(() => server.close());

  test('when a second file repeats a function of the first, its response names the first file and counts it as affected', async () => {
    const first = await putFile(server, server.token, 'response', PRICING, pricing);
    assert.deepEqual(first.findings, []);
    assert.equal(first.affected, 0);

    const second = await putFile(server, server.token, 'response', CHECKOUT, checkout);
    assert.equal(second.file, CHECKOUT);
    assert.equal(second.affected, 1);
    assert.equal(second.findings.length, 1);
    const [finding] = second.findings;
    assert.ok(finding);
    assert.deepEqual(finding.others, [{ file: PRICING, startLine: 8, endLine: 19 }]);
    assert.equal(finding.startLine, 8);
    assert.equal(finding.endLine, 19);
    assert.equal(finding.cloneType, 2, 'the copies differ only in names');
  });

  test('findings carry the index revision, so a late upload answer is recognisably older than a pushed event', async (t) => {
    const stream = await events(t, server, 'revisions');
    const first = await putFile(server, server.token, 'revisions', PRICING, pricing);
    const second = await putFile(server, server.token, 'revisions', CHECKOUT, checkout);
    assert.ok(second.revision > first.revision, 'each change raises the revision');
    const pushed = await stream.until('pricing.ts findings pushed by the second upload', () =>
      findingsFor(stream, PRICING).find((event) => event.findings.length === 1),
    );
    assert.ok(pushed.revision > first.revision, "the event outranks the first upload's (empty) answer");
  });

  test('a subscriber first receives "subscribed", then findings for the first file naming the second once the copy arrives', async (t) => {
    const stream = await events(t, server, 'push');
    assert.deepEqual(stream.events[0], { type: 'subscribed', project: 'push' });

    await putFile(server, server.token, 'push', PRICING, pricing);
    await putFile(server, server.token, 'push', CHECKOUT, checkout);
    const event = await stream.until('findings of pricing.ts naming checkout.ts', () =>
      findingsFor(stream, PRICING).find((e) => e.findings.some((f) => f.others.some((other) => other.file === CHECKOUT))),
    );
    assert.equal(event.project, 'push');
    assert.equal(event.findings.length, 1);
    assert.deepEqual(event.findings[0]?.others, [{ file: CHECKOUT, startLine: 8, endLine: 19 }]);
    assert.equal(stream.events.filter((e) => e.type === 'subscribed').length, 1, 'subscribed comes once, first');
  });

  test('when the copy is edited to be unique, empty findings are pushed for both files', async (t) => {
    await putFile(server, server.token, 'edit', PRICING, pricing);
    const duplicated = await putFile(server, server.token, 'edit', CHECKOUT, checkout);
    assert.equal(duplicated.findings.length, 1);
    const stream = await events(t, server, 'edit');

    const edited = await putFile(server, server.token, 'edit', CHECKOUT, UNIQUE_CHECKOUT);
    assert.deepEqual(edited.findings, []);
    assert.equal(edited.affected, 1);
    const [forPricing, forCheckout] = await stream.until('findings of both files', () => {
      const a = findingsFor(stream, PRICING).at(-1);
      const b = findingsFor(stream, CHECKOUT).at(-1);
      return a && b && ([a, b] as const);
    });
    assert.deepEqual(forPricing.findings, []);
    assert.deepEqual(forCheckout.findings, []);
    assert.equal(forCheckout.hash, edited.hash);
  });

  test('when identical content is sent again, the response reports affected 0 and nothing is pushed', async (t) => {
    await putFile(server, server.token, 'resend', PRICING, pricing);
    const original = await putFile(server, server.token, 'resend', CHECKOUT, checkout);
    const stream = await events(t, server, 'resend');

    const again = await putFile(server, server.token, 'resend', CHECKOUT, checkout);
    assert.equal(again.affected, 0);
    assert.deepEqual(again.findings, original.findings, 'the findings are still returned');
    // Events on one socket arrive in order, so once the marker's event is here, anything the
    // re-send had pushed would be here too.
    await putFile(server, server.token, 'resend', 'marker.ts', 'export const marker = 1;\n');
    await stream.until('the marker event', () => findingsFor(stream, 'marker.ts').length > 0);
    assert.deepEqual(
      stream.findings.map((event) => event.file),
      ['marker.ts'],
    );
  });

  test('after a restart, the index is rebuilt from the store and a file sent again still reports its copy', async (t) => {
    const dir = await tempDir('restart');
    const servers: TestServer[] = [];
    t.after(async () => {
      for (const started of servers) await started.close();
      await dir.remove();
    });
    const first = await startTestServer({}, dir.path);
    servers.push(first);
    await putFile(first, first.token, 'restart', PRICING, pricing);
    await putFile(first, first.token, 'restart', CHECKOUT, checkout);
    await first.close();

    const second = await startTestServer({}, dir.path);
    servers.push(second);
    const again = await putFile(second, second.token, 'restart', CHECKOUT, checkout);
    assert.equal(again.affected, 0, 'the content is already known');
    assert.deepEqual(
      again.findings.map((finding) => finding.others.map((other) => other.file)),
      [[PRICING]],
    );
  });

  describe('event socket refusals', () => {
    const url = (path: string): string => server.url.replace(/^http/, 'ws') + path;

    test('without a token, the event socket is refused with HTTP 401 and a JSON error body', async () => {
      const response = await refusedUpgrade(url(eventsPath('shop')));
      assert.equal(response.status, 401);
      assert.equal(errorCode(response), 'unauthenticated');
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="auxil"');
    });

    test('with an unknown token, the event socket is refused with HTTP 401', async () => {
      const response = await refusedUpgrade(url(eventsPath('shop')), { Authorization: 'Bearer auxil_unknown' });
      assert.equal(response.status, 401);
      assert.equal(errorCode(response), 'unauthenticated');
    });

    test('on a path that is not a project event stream, the socket is refused with HTTP 404', async () => {
      for (const path of ['/v1/projects/shop/other', '/v1/events', '/']) {
        const response = await refusedUpgrade(url(path), { Authorization: `Bearer ${server.token}` });
        assert.equal(response.status, 404, path);
        assert.equal(errorCode(response), 'not_found', path);
      }
    });

    test('for an invalid project name, the socket is refused with HTTP 400 invalid_project', async () => {
      for (const project of ['-bad', '%E0%A4%A']) {
        const response = await refusedUpgrade(url(`/v1/projects/${project}/events`), { Authorization: `Bearer ${server.token}` });
        assert.equal(response.status, 400, project);
        assert.equal(errorCode(response), 'invalid_project', project);
      }
    });
  });

  describe('tenant isolation', () => {
    let otherToken: string;

    before(async () => {
      await server.server.services.store.tenants.ensure('other', 'Other tenant');
      ({ token: otherToken } = await issueToken(server.server.services.store, 'other', 'test'));
    });

    test("when a second tenant sends a copy into a project of the same name, it finds none of the first tenant's files", async () => {
      await putFile(server, server.token, 'shared-name', PRICING, pricing);
      const response = await putFile(server, otherToken, 'shared-name', CHECKOUT, checkout);
      assert.deepEqual(response.findings, []);
      assert.equal(response.affected, 0);

      const own = await putFile(server, server.token, 'shared-name', PRICING, pricing);
      assert.deepEqual(own.findings, [], "the first tenant's file has no copy in its own project either");
    });

    test("when a second tenant subscribes to a project of the same name, it receives none of the first tenant's events", async (t) => {
      const mine = await events(t, server, 'isolated');
      const theirs = await events(t, server, 'isolated', otherToken);

      await putFile(server, server.token, 'isolated', PRICING, pricing);
      await putFile(server, server.token, 'isolated', CHECKOUT, checkout);
      await mine.until("the first tenant's findings", () => findingsFor(mine, PRICING).some((e) => e.findings.length === 1));

      // Events on one socket arrive in order: once the second tenant's own marker event is here,
      // any leaked event of the first tenant would have arrived before it.
      await putFile(server, otherToken, 'isolated', 'marker.ts', 'export const marker = 1;\n');
      await theirs.until('the marker event', () => findingsFor(theirs, 'marker.ts').length > 0);
      assert.deepEqual(
        theirs.findings.map((event) => event.file),
        ['marker.ts'],
      );
      await putFile(server, server.token, 'isolated', 'own-marker.ts', 'export const ownMarker = 1;\n');
      await mine.until("the first tenant's own marker event", () => findingsFor(mine, 'own-marker.ts').length > 0);
      assert.equal(findingsFor(mine, 'marker.ts').length, 0, "the first tenant does not receive the second tenant's event");
    });
  });
});
