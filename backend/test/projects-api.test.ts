import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  ClonesPage,
  ConventionsResponse,
  DeleteFileResponse,
  FileFindings,
  FindingsPage,
  ManifestResponse,
  ProjectInfo,
  ProjectList,
  ProjectSummary,
  SimilarResponse,
  SymbolsResponse,
  UploadResponse,
  type ErrorCode,
} from '@auxil/protocol';
import { issueToken } from '../src/auth/api-tokens.js';
import { errorCode, rawRequest, startTestServer, type TestServer } from './test-server.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../../test/fixtures/duplicate-workspace/src/${name}`, import.meta.url), 'utf8');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A small API client over fetch: JSON in, status and parsed body out. */
class Client {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const init: RequestInit = { method, headers: { Authorization: `Bearer ${this.token}`, ...headers } };
    if (body instanceof Uint8Array || typeof body === 'string') init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    const response = await fetch(this.url + path, init);
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  async ok<T>(
    schema: { parse(value: unknown): T },
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await this.call(method, path, body, headers);
    assert.ok(response.status >= 200 && response.status < 300, `${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return schema.parse(response.body);
  }

  async fails(
    code: ErrorCode,
    status: number,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<string> {
    const response = await this.call(method, path, body, headers);
    assert.equal(response.status, status, JSON.stringify(response.body));
    const error = (response.body as { error: { code: string; message: string } }).error;
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.length > 10);
    return error.message;
  }

  upload(project: string, files: { path: string; content: string; hash?: string }[], gzip = false): Promise<UploadResponse> {
    const body = files.map((file) => JSON.stringify(file) + '\n').join('');
    const headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson' };
    if (gzip) headers['Content-Encoding'] = 'gzip';
    return this.ok(UploadResponse, 'POST', `/v1/projects/${project}/files`, gzip ? gzipSync(body) : body, headers);
  }

  manifest(project: string, files: { path: string; content: string }[]): Promise<ManifestResponse> {
    return this.ok(ManifestResponse, 'POST', `/v1/projects/${project}/manifest`, {
      files: files.map((file) => ({ path: file.path, hash: sha256(file.content), size: Buffer.byteLength(file.content) })),
    });
  }
}

describe('projects API', () => {
  let server: TestServer;
  let api: Client;
  let pricingText: string;
  let checkoutText: string;
  // Most tests use the fixtures as they are; the sync tests make their contents unique.
  let pricing: string;
  let checkout: string;

  before(async () => {
    server = await startTestServer();
    api = new Client(server.url, server.token);
    [pricingText, checkoutText] = await Promise.all([fixture('pricing.ts'), fixture('checkout.ts')]);
    [pricing, checkout] = [pricingText, checkoutText];
  });
  after(() => server.close());

  test('projects are created, listed, found by id or name, and deleted; a duplicate name is a conflict', async () => {
    const created = await api.ok(ProjectInfo, 'POST', '/v1/projects', { name: 'crud' });
    assert.equal(created.name, 'crud');
    assert.equal(created.files, 0);
    await api.fails('conflict', 409, 'POST', '/v1/projects', { name: 'crud' });
    await api.fails('invalid_request', 400, 'POST', '/v1/projects', { name: '../etc' });
    await api.fails('invalid_request', 400, 'POST', '/v1/projects', { name: 'x', extra: true });
    const list = await api.ok(ProjectList, 'GET', '/v1/projects');
    assert.ok(list.projects.some((project) => project.id === created.id));
    assert.equal((await api.ok(ProjectInfo, 'GET', `/v1/projects/${created.id}`)).name, 'crud');
    assert.equal((await api.ok(ProjectInfo, 'GET', '/v1/projects/crud')).id, created.id);
    assert.equal((await api.call('DELETE', `/v1/projects/${created.id}`)).status, 204);
    await api.fails('not_found', 404, 'GET', '/v1/projects/crud');
    await api.fails('not_found', 404, 'DELETE', `/v1/projects/${created.id}`);
  });

  test("another tenant's project is not found, by id or by name, for every operation", async () => {
    const mine = await api.ok(ProjectInfo, 'POST', '/v1/projects', { name: 'private' });
    await api.upload('private', [{ path: 'src/pricing.ts', content: pricing }]);
    await server.server.services.store.tenants.ensure('other', 'Other tenant');
    const other = new Client(server.url, (await issueToken(server.server.services.store, 'other', 'test')).token);
    for (const ref of [mine.id, 'private']) {
      await other.fails('not_found', 404, 'GET', `/v1/projects/${ref}`);
      await other.fails('not_found', 404, 'GET', `/v1/projects/${ref}/clones`);
      await other.fails('not_found', 404, 'GET', `/v1/projects/${ref}/findings?file=src/pricing.ts`);
      await other.fails('not_found', 404, 'GET', `/v1/projects/${ref}/findings/pages`);
      await other.fails('not_found', 404, 'GET', `/v1/projects/${ref}/summary`);
      await other.fails('not_found', 404, 'GET', `/v1/projects/${ref}/symbols?q=price`);
      await other.fails('not_found', 404, 'POST', `/v1/projects/${ref}/similar`, { code: pricing, language: 'typescript' });
      await other.fails('not_found', 404, 'DELETE', `/v1/projects/${ref}`);
    }
    assert.deepEqual((await other.ok(ProjectList, 'GET', '/v1/projects')).projects, []);
    // The other tenant syncing a project of the same name gets its own, empty one: nothing leaks.
    const theirs = await other.manifest('private', [{ path: 'src/pricing.ts', content: pricing }]);
    assert.deepEqual(theirs.missing, ['src/pricing.ts']);
    assert.equal(theirs.linked, 0);
  });

  test('sync asks only for contents the backend lacks, links known contents, and removes what the manifest drops', async () => {
    // Contents no other test uploads: the tenant's other projects must not hold them already.
    const pricing = `// sync\n${pricingText}`;
    const checkout = `// sync\n${checkoutText}`;
    const files = [
      { path: 'src/pricing.ts', content: pricing },
      { path: 'src/checkout.ts', content: checkout },
      { path: 'README.md', content: '# sync\n' },
    ];
    const first = await api.manifest('sync', files);
    assert.deepEqual(first.missing, ['README.md', 'src/checkout.ts', 'src/pricing.ts']);
    const uploaded = await api.upload('sync', files, true);
    assert.equal(uploaded.stored, 3);
    assert.equal(uploaded.revision, first.revision + 1, 'one batch is one revision');
    const again = await api.manifest('sync', files);
    assert.deepEqual(again, { missing: [], linked: 0, removed: 0, revision: uploaded.revision });

    // A copy of known content at a new path is linked, not uploaded; a dropped path is removed.
    const next = [
      { path: 'src/pricing.ts', content: pricing },
      { path: 'src/copy-of-checkout.ts', content: checkout },
      { path: 'src/new.ts', content: 'export const fresh = 1;\n' },
    ];
    const changed = await api.manifest('sync', next);
    assert.deepEqual(changed.missing, ['src/new.ts']);
    assert.equal(changed.linked, 1);
    assert.equal(changed.removed, 2);
    const info = await api.ok(ProjectInfo, 'GET', '/v1/projects/sync');
    assert.equal(info.files, 2);
    const findings = await api.ok(FileFindings, 'GET', '/v1/projects/sync/findings?file=src/copy-of-checkout.ts');
    assert.equal(findings.findings[0]?.others[0]?.file, 'src/pricing.ts');

    await api.fails('invalid_request', 400, 'POST', '/v1/projects/sync/manifest', {
      files: [
        { path: 'a.ts', hash: sha256('a'), size: 1 },
        { path: 'a.ts', hash: sha256('b'), size: 1 },
      ],
    });
    await api.fails('invalid_request', 400, 'POST', '/v1/projects/sync/manifest', {
      files: [{ path: '../a.ts', hash: sha256('a'), size: 1 }],
    });
    await api.fails('invalid_request', 400, 'POST', '/v1/projects/sync/manifest', { files: [{ path: 'a.ts', hash: 'nothex', size: 1 }] });
    await api.fails('invalid_request', 400, 'POST', '/v1/projects/sync/manifest', '{"files": [', { 'Content-Type': 'application/json' });
  });

  test('a manifest of 100,000 files is answered', async () => {
    const files = Array.from({ length: 100_000 }, (_, i) => ({ path: `gen/f${i}.ts`, hash: sha256(`f${i}`), size: 10 }));
    const answer = await api.ok(ManifestResponse, 'POST', '/v1/projects/huge/manifest', { files });
    assert.equal(answer.missing.length, 100_000);
  });

  test('a batch upload with a bad line, a wrong hash, a repeated path or a cut-off end stores nothing', async () => {
    const pricing = `// atomic\n${pricingText}`;
    const good = JSON.stringify({ path: 'src/a.ts', content: pricing }) + '\n';
    const headers = { 'Content-Type': 'application/x-ndjson' };
    const path = '/v1/projects/atomic/files';
    await api.fails('invalid_request', 400, 'POST', path, good + '{"path": "src/b.ts", "content": "x"', headers);
    await api.fails('invalid_request', 400, 'POST', path, good + good.slice(0, 40), headers);
    await api.fails(
      'invalid_request',
      400,
      'POST',
      path,
      good + JSON.stringify({ path: 'src/b.ts', content: 'x', hash: sha256('y') }) + '\n',
      headers,
    );
    await api.fails('invalid_request', 400, 'POST', path, good + good, headers);
    await api.fails('invalid_request', 400, 'POST', path, good + JSON.stringify({ path: '/etc/passwd', content: 'x' }) + '\n', headers);
    await api.fails('unsupported_media_type', 415, 'POST', path, good, { 'Content-Type': 'multipart/form-data; boundary=x' });
    const manifest = await api.manifest('atomic', [{ path: 'src/a.ts', content: pricing }]);
    assert.deepEqual(manifest.missing, ['src/a.ts'], 'nothing of the failed uploads was stored');
  });

  test('a huge body is refused before it is read, and an upload cut off by a disconnect stores nothing', async () => {
    // 65 MiB of JSON: read and discarded, then refused (the connection stays usable for the client).
    const huge = await rawRequest(server.url, {
      method: 'POST',
      path: '/v1/projects/limits/manifest',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: `{"files": [], "padding": "${'x'.repeat(65 * 1024 * 1024)}"}`,
    });
    assert.equal(huge.status, 413);
    assert.equal(errorCode(huge), 'payload_too_large');

    // A client that goes away halfway through its upload: the server must drop it cleanly.
    const line = JSON.stringify({ path: 'src/cut.ts', content: '// cut\n' + pricingText }) + '\n';
    await new Promise<void>((resolve) => {
      const base = new URL(server.url);
      const outgoing = httpRequest({
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: '/v1/projects/limits/files',
        headers: {
          Authorization: `Bearer ${server.token}`,
          'Content-Type': 'application/x-ndjson',
          'Content-Length': String(line.length * 2),
        },
        agent: false,
      });
      outgoing.on('error', () => resolve());
      outgoing.on('close', () => resolve());
      outgoing.write(line, () => outgoing.destroy());
    });
    const manifest = await api.manifest('limits', [{ path: 'src/cut.ts', content: '// cut\n' + pricingText }]);
    assert.deepEqual(manifest.missing, ['src/cut.ts'], 'nothing of the cut-off upload was stored');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the server is still up');
  });

  test('clones are paged and filtered; findings, symbols, conventions and similar code answer from the index', async () => {
    await api.upload('ask', [
      { path: 'src/pricing.ts', content: pricing },
      { path: 'src/checkout.ts', content: checkout },
    ]);
    const page = await api.ok(ClonesPage, 'GET', '/v1/projects/ask/clones?limit=1');
    assert.equal(page.total, 1);
    assert.equal(page.classes.length, 1);
    assert.equal(page.nextCursor, undefined);
    assert.deepEqual(page.classes[0]?.fragments.map((fragment) => fragment.file).sort(), ['src/checkout.ts', 'src/pricing.ts']);
    const byFile = await api.ok(ClonesPage, 'GET', '/v1/projects/ask/clones?file=src/checkout.ts');
    assert.equal(byFile.total, 1);
    const byType = await api.ok(ClonesPage, 'GET', '/v1/projects/ask/clones?type=3');
    assert.equal(byType.total, 0);
    await api.fails('invalid_request', 400, 'GET', '/v1/projects/ask/clones?limit=0');
    await api.fails('invalid_request', 400, 'GET', '/v1/projects/ask/clones?cursor=abc');
    await api.fails('invalid_request', 400, 'GET', '/v1/projects/ask/clones?bogus=1');

    const findings = await api.ok(FileFindings, 'GET', '/v1/projects/ask/findings?file=src/pricing.ts');
    assert.equal(findings.findings.length, 1);
    await api.fails('not_found', 404, 'GET', '/v1/projects/ask/findings?file=src/none.ts');

    const symbols = await api.ok(SymbolsResponse, 'GET', '/v1/projects/ask/symbols?q=total');
    assert.ok(symbols.symbols.length > 0);
    assert.ok(symbols.symbols.every((symbol) => ['src/pricing.ts', 'src/checkout.ts'].includes(symbol.file)));

    const conventions = await api.ok(ConventionsResponse, 'GET', '/v1/projects/ask/conventions');
    assert.ok(Array.isArray(conventions.conventions));

    const body = pricing.split('\n').slice(7, 19).join('\n');
    const similar = await api.ok(SimilarResponse, 'POST', '/v1/projects/ask/similar', { code: body, language: 'typescript' });
    assert.ok(similar.matches.length >= 1);
    assert.ok(similar.matches.some((match) => match.file === 'src/pricing.ts'));
    const none = await api.ok(SimilarResponse, 'POST', '/v1/projects/ask/similar', {
      code: 'export function nothingLikeIt(a: number) { return a * 42 + 7; }',
      language: 'ts',
    });
    assert.deepEqual(none.matches, []);
    await api.fails('invalid_request', 400, 'POST', '/v1/projects/ask/similar', { code: body, language: 'cobol' });
    await api.fails('invalid_request', 400, 'POST', '/v1/projects/ask/similar', { code: 'x'.repeat(70_000), language: 'ts' });
    await api.fails('invalid_request', 400, 'POST', '/v1/projects/ask/similar', { code: 42, language: 'ts' });
  });

  test("every file's findings come page by page in path order, files without findings too, suppressed classes left out", async () => {
    const plain = (n: number) => ({ path: `src/plain${n}.ts`, content: `export const plain${n} = ${n};\n` });
    await api.upload('pages', [
      { path: 'src/pricing.ts', content: pricing },
      { path: 'src/checkout.ts', content: checkout },
      ...[0, 1, 2, 3].map(plain),
    ]);
    const seen: FindingsPage['files'] = [];
    const cursors: (string | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.ok(FindingsPage, 'GET', `/v1/projects/pages/findings/pages?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.files.length <= 4);
      seen.push(...page.files);
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== undefined);
    assert.deepEqual(cursors, ['src/plain2.ts', undefined], 'two pages; the cursor is the last path of its page');
    const paths = seen.map((file) => file.file);
    assert.deepEqual(paths, ['src/checkout.ts', 'src/plain0.ts', 'src/plain1.ts', 'src/plain2.ts', 'src/plain3.ts', 'src/pricing.ts']);
    const byPath = new Map(seen.map((file) => [file.file, file]));
    // Each file's entry is what GET findings answers for it.
    assert.deepEqual(byPath.get('src/pricing.ts'), await api.ok(FileFindings, 'GET', '/v1/projects/pages/findings?file=src/pricing.ts'));
    assert.equal(byPath.get('src/pricing.ts')?.findings.filter((finding) => finding.kind === 'duplicate').length, 1);
    assert.deepEqual(byPath.get('src/plain0.ts')?.findings, []);

    // A cursor is a position, not a file: one that names no file (any more) still continues after it.
    const after = await api.ok(FindingsPage, 'GET', '/v1/projects/pages/findings/pages?cursor=src/plain1.tsx');
    assert.deepEqual(
      after.files.map((file) => file.file),
      ['src/plain2.ts', 'src/plain3.ts', 'src/pricing.ts'],
    );

    const [duplicate] = byPath.get('src/pricing.ts')?.findings ?? [];
    const classId = duplicate?.id.slice(0, duplicate.id.lastIndexOf(':')) ?? '';
    assert.equal((await api.call('PUT', `/v1/projects/pages/suppressions/${classId}`)).status, 200);
    const suppressed = await api.ok(FindingsPage, 'GET', '/v1/projects/pages/findings/pages?limit=500');
    assert.equal(suppressed.files.length, 6);
    assert.ok(suppressed.files.every((file) => file.findings.every((finding) => finding.kind !== 'duplicate')));

    // A class of many copies: a page lists 50 other copies per copy, its message counts them all.
    await api.upload(
      'wide',
      Array.from({ length: 53 }, (_, n) => ({ path: `src/copy${n}.ts`, content: pricing })),
    );
    const wide = await api.ok(FindingsPage, 'GET', '/v1/projects/wide/findings/pages?limit=1');
    const [copy] = wide.files[0]?.findings ?? [];
    assert.equal(copy?.kind === 'duplicate' && copy.others.length, 50);
    assert.match(copy?.message ?? '', / and 49 more places$/);
    const whole = await api.ok(FileFindings, 'GET', `/v1/projects/wide/findings?file=${wide.files[0]?.file}`);
    assert.equal(whole.findings[0]?.others.length, 52);

    await api.fails('invalid_request', 400, 'GET', '/v1/projects/pages/findings/pages?limit=0');
    await api.fails('invalid_request', 400, 'GET', '/v1/projects/pages/findings/pages?limit=501');
    await api.fails('invalid_request', 400, 'GET', '/v1/projects/pages/findings/pages?cursor=../etc/passwd');
    await api.fails('invalid_request', 400, 'GET', '/v1/projects/pages/findings/pages?file=src/pricing.ts');
    await api.fails('not_found', 404, 'GET', '/v1/projects/no-such-project/findings/pages');
  });

  test("a project's summary counts its duplication, classes by type and size and its hot files, suppressed classes left out", async () => {
    await api.upload('health', [
      { path: 'src/pricing.ts', content: pricing },
      { path: 'src/checkout.ts', content: checkout },
      { path: 'src/plain.ts', content: 'export const plain = 1;\n' },
    ]);
    const summary = await api.ok(ProjectSummary, 'GET', '/v1/projects/health/summary');
    const classes = await api.ok(ClonesPage, 'GET', '/v1/projects/health/clones');
    assert.equal(summary.files, 3);
    assert.equal(summary.cloneClasses, classes.total);
    assert.ok(summary.cloneClasses >= 1);
    assert.equal(summary.byType.type1 + summary.byType.type2 + summary.byType.type3, summary.cloneClasses);
    assert.equal(
      summary.bySize.reduce((sum, bucket) => sum + bucket.count, 0),
      summary.cloneClasses,
      'every class is in one size bucket',
    );
    const lines = [pricing, checkout, 'export const plain = 1;\n'].reduce((sum, text) => sum + text.split('\n').length, 0);
    assert.ok(summary.lines > 0 && summary.lines <= lines);
    assert.ok(summary.duplicatedLines > 0 && summary.duplicatedLines < summary.lines);
    assert.equal(summary.duplicationPercent, Math.round((summary.duplicatedLines * 10_000) / summary.lines) / 100);
    assert.deepEqual(summary.hotFiles.map((file) => file.file).sort(), ['src/checkout.ts', 'src/pricing.ts']);
    assert.equal(
      summary.hotFiles.reduce((sum, file) => sum + file.duplicatedLines, 0),
      summary.duplicatedLines,
      'the hot files hold every duplicated line here',
    );

    for (const cloneClass of classes.classes) {
      assert.equal((await api.call('PUT', `/v1/projects/health/suppressions/${cloneClass.id}`)).status, 200);
    }
    const quiet = await api.ok(ProjectSummary, 'GET', '/v1/projects/health/summary');
    assert.deepEqual(
      { cloneClasses: quiet.cloneClasses, duplicatedLines: quiet.duplicatedLines, hotFiles: quiet.hotFiles, lines: quiet.lines },
      { cloneClasses: 0, duplicatedLines: 0, hotFiles: [], lines: summary.lines },
    );

    await api.fails('invalid_request', 400, 'GET', '/v1/projects/health/summary?file=src/pricing.ts');
    await api.fails('not_found', 404, 'GET', '/v1/projects/no-such-project/summary');
  });

  test("deleting a file removes it from the index and from its copies' findings", async () => {
    await api.upload('del', [
      { path: 'src/pricing.ts', content: pricing },
      { path: 'src/checkout.ts', content: checkout },
    ]);
    const removed = await api.ok(DeleteFileResponse, 'DELETE', '/v1/projects/del/files/src/checkout.ts');
    assert.equal(removed.removed, true);
    assert.equal(removed.affected, 1);
    const after = await api.ok(FileFindings, 'GET', '/v1/projects/del/findings?file=src/pricing.ts');
    assert.deepEqual(after.findings, []);
    const again = await api.ok(DeleteFileResponse, 'DELETE', '/v1/projects/del/files/src/checkout.ts');
    assert.equal(again.removed, false);
    await api.fails('not_found', 404, 'DELETE', '/v1/projects/unknown-project/files/src/a.ts');
  });
});
