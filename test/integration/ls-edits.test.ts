import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBackend, type TestBackend } from '../support/backend.js';
import { CountingProxy } from '../support/counting-proxy.js';
import { LanguageServerProcess } from '../support/language-server.js';
import { copyFixture, tempDir } from '../support/temp.js';

const PRICING = 'src/pricing.ts';
const CHECKOUT = 'src/checkout.ts';
const EDITS = 100;

const copiesOf = (server: LanguageServerProcess, root: string, path: string) =>
  (server.diagnosticsOf(join(root, path)) ?? []).filter((d) => d.source === 'Auxil' && d.relatedInformation !== undefined);

/** Sends `texts` as edits of an open document, one every `everyMs`, like someone typing. */
function type(server: LanguageServerProcess, path: string, texts: readonly string[], everyMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    const timer = setInterval(() => {
      const text = texts[next++] as string;
      if (next === texts.length) {
        clearInterval(timer);
        server.change(path, text).then(resolve, reject);
      } else void server.change(path, text);
    }, everyMs);
  });
}

describe('language server under an edit storm', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let backend: TestBackend;
  let proxy: CountingProxy;
  let server: LanguageServerProcess;

  before(async () => {
    dir = await tempDir('ls-edits');
    root = await copyFixture('duplicate-workspace', join(dir.path, 'shop'));
    backend = await startBackend(join(dir.path, 'data'));
    proxy = await CountingProxy.start(Number(new URL(backend.url).port));
    server = await LanguageServerProcess.start(root, { serverUrl: proxy.url, token: backend.token, project: 'storm', debounceMs: 50 });
    await server.until('synced', () => server.state === 'connected' && copiesOf(server, root, CHECKOUT).length === 1);
  });

  after(async () => {
    await server.stop();
    await proxy.close();
    await backend.close();
    await dir.remove();
  });

  test(`${EDITS} edits in one second end with the findings of the last text, in a handful of requests`, async (t) => {
    const path = join(root, CHECKOUT);
    const original = await readFile(path, 'utf8');
    const start = original.indexOf('export function cartTotal');
    const end = original.indexOf('\n}\n', start) + 3;
    const withoutCopy = original.slice(0, start) + original.slice(end);
    await server.open(path, withoutCopy);
    await server.until('the copy is gone from checkout', () => copiesOf(server, root, CHECKOUT).length === 0);
    await server.until('and from pricing', () => copiesOf(server, root, PRICING).length === 0);

    // The function typed back in, a chunk per keystroke: every text but the last is a partial copy.
    const body = original.slice(start, end);
    const texts = Array.from({ length: EDITS }, (_, n) => {
      const typed = body.slice(0, Math.round((body.length * (n + 1)) / EDITS));
      return original.slice(0, start) + typed + original.slice(end);
    });
    assert.equal(texts.at(-1), original);
    proxy.reset();
    const began = Date.now();
    await type(server, path, texts, 10);
    const typing = Date.now() - began;
    const [copy] = await server.until('the copy is back on both files', () => {
      const found = copiesOf(server, root, CHECKOUT);
      return found.length === 1 && copiesOf(server, root, PRICING).length === 1 && found;
    });
    assert.equal(copy?.range.start.line, 7);
    assert.equal(copy?.range.end.line, 18);
    const puts = proxy.count(/^PUT \/v1\/projects\/storm\/files\//);
    const all = proxy.count(/./);
    t.diagnostic(`typing took ${typing} ms; ${puts} uploads, ${all} requests in all`);
    assert.ok(typing < 2000, `the edits took ${typing} ms`);
    assert.ok(puts >= 1 && puts <= 10, `${puts} uploads for ${EDITS} edits`);
    assert.ok(all <= 3 * puts + 5, `${all} requests in all`);
  });
});

describe('language server with closed files’ diagnostics turned off', () => {
  test('only open files show diagnostics, and closing one clears them', async (t) => {
    const dir = await tempDir('ls-closed');
    t.after(() => dir.remove());
    const root = await copyFixture('duplicate-workspace', join(dir.path, 'shop'));
    const backend = await startBackend(join(dir.path, 'data'));
    t.after(() => backend.close());
    const server = await LanguageServerProcess.start(root, {
      serverUrl: backend.url,
      token: backend.token,
      publishClosedFiles: false,
      debounceMs: 50,
    });
    t.after(() => server.stop());
    await server.until('connected', () => server.state === 'connected');
    const pricing = join(root, PRICING);
    await server.open(pricing, await readFile(pricing, 'utf8'));
    await server.until('the open file shows its copy', () => copiesOf(server, root, PRICING).length === 1);
    assert.equal(copiesOf(server, root, CHECKOUT).length, 0, 'the closed copy shows nothing');
    await server.close(pricing);
    await server.until('closing clears it', () => copiesOf(server, root, PRICING).length === 0);
  });
});
