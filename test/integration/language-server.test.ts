import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startBackend, type TestBackend } from '../support/backend.js';
import { LanguageServerProcess } from '../support/language-server.js';
import { copyFixture, tempDir } from '../support/temp.js';

const PRICING = 'src/pricing.ts';
const CHECKOUT = 'src/checkout.ts';
const UNIQUE_CART_TOTAL = `import type { LineItem } from './pricing';

export function greet(name: string): string {
  return \`Welcome back, \${name}\`;
}

export function cartTotal(lines: LineItem[]): number {
  return lines.reduce((sum, line) => sum + line.price, 0);
}
`;

interface Workspace {
  root: string;
  dataDir: string;
  cleanup: () => Promise<void>;
}

async function workspace(): Promise<Workspace> {
  const dir = await tempDir('ls');
  const root = await copyFixture('duplicate-workspace', join(dir.path, 'shop'));
  return { root, dataDir: join(dir.path, 'data'), cleanup: dir.remove };
}

/** Duplicate diagnostics of a file, once the server has published at least one. */
function duplicatesOf(server: LanguageServerProcess, root: string, path: string) {
  return server.diagnosticsOf(join(root, path))?.filter((diagnostic) => diagnostic.source === 'Auxil');
}

describe('language server with the real backend', () => {
  let ws: Workspace;
  let backend: TestBackend;
  let server: LanguageServerProcess;

  before(async () => {
    ws = await workspace();
    backend = await startBackend(ws.dataDir);
    server = await LanguageServerProcess.start(ws.root, { serverUrl: backend.url, token: backend.token });
  });

  after(async () => {
    await server.stop();
    await backend.close();
    await ws.cleanup();
  });

  test('when two files share a function, both get a duplication warning naming the other copy', async () => {
    await server.until('connected', () => server.state === 'connected');
    const [pricing, checkout] = await server.until('diagnostics on both files', () => {
      const a = duplicatesOf(server, ws.root, PRICING);
      const b = duplicatesOf(server, ws.root, CHECKOUT);
      return a?.length === 1 && b?.length === 1 && ([a[0], b[0]] as const);
    });
    assert.ok(pricing && checkout);
    assert.equal(typeof pricing.message, 'string');
    assert.match(pricing.message as string, /src\/checkout\.ts:8-19/);
    assert.match(checkout.message as string, /src\/pricing\.ts:8-19/);
    assert.equal(pricing.range.start.line, 7);
    assert.equal(pricing.range.end.line, 18);
    const related = checkout.relatedInformation?.[0];
    assert.ok(related, 'the warning links to the other copy');
    assert.equal(fileURLToPath(related.location.uri), join(ws.root, PRICING));
    assert.equal(related.location.range.start.line, 7);
  });

  test('when one copy is edited so it is no longer a duplicate, the warning clears on both files', async () => {
    const checkoutPath = join(ws.root, CHECKOUT);
    await server.open(checkoutPath, await readFile(checkoutPath, 'utf8'));
    await server.change(checkoutPath, UNIQUE_CART_TOTAL);
    await server.until(
      'diagnostics cleared on both files',
      () => duplicatesOf(server, ws.root, PRICING)?.length === 0 && duplicatesOf(server, ws.root, CHECKOUT)?.length === 0,
    );
  });
});

describe('language server when the backend goes away', () => {
  test('keeps working while the backend is down, shows offline, and resyncs once it is back', async (t) => {
    const ws = await workspace();
    t.after(() => ws.cleanup());
    let backend = await startBackend(ws.dataDir);
    const port = Number(new URL(backend.url).port);
    const server = await LanguageServerProcess.start(ws.root, { serverUrl: backend.url, token: backend.token });
    t.after(() => server.stop());
    await server.until('duplicates found', () => duplicatesOf(server, ws.root, CHECKOUT)?.length === 1);

    await backend.close();
    await server.until('offline', () => server.state === 'offline');

    // Edits made while offline are not lost: they are sent when the backend is back.
    const checkoutPath = join(ws.root, CHECKOUT);
    await server.open(checkoutPath, await readFile(checkoutPath, 'utf8'));
    await server.change(checkoutPath, UNIQUE_CART_TOTAL);

    backend = await startBackend(ws.dataDir, port);
    t.after(() => backend.close());
    await server.until('connected again', () => server.state === 'connected');
    await server.until(
      'diagnostics cleared after the resync',
      () => duplicatesOf(server, ws.root, PRICING)?.length === 0 && duplicatesOf(server, ws.root, CHECKOUT)?.length === 0,
    );
  });
});

describe('language server sign-in', () => {
  test('without a token, it signs in to a backend on this machine through the local token file', async (t) => {
    const ws = await workspace();
    t.after(() => ws.cleanup());
    const backend = await startBackend(ws.dataDir);
    t.after(() => backend.close());
    const server = await LanguageServerProcess.start(ws.root, { serverUrl: backend.url, token: null });
    t.after(() => server.stop());
    await server.until('duplicates found', () => duplicatesOf(server, ws.root, PRICING)?.length === 1);
    // Findings of the first files can arrive while the rest of the workspace is still uploading.
    await server.until('connected', () => server.state === 'connected');
  });

  test('with a token the backend does not know, it shows signed out and sends nothing', async (t) => {
    const ws = await workspace();
    t.after(() => ws.cleanup());
    const backend = await startBackend(ws.dataDir);
    t.after(() => backend.close());
    const server = await LanguageServerProcess.start(ws.root, { serverUrl: backend.url, token: 'auxil_not-a-real-token' });
    t.after(() => server.stop());
    const status = await server.until('signed out', () => server.statuses.find((s) => s.state === 'signedOut'));
    assert.match(status.detail, /rejected the API token/);
    assert.equal(server.diagnostics.size, 0);
  });
});
