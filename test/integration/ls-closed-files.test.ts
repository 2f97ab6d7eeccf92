import assert from 'node:assert/strict';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ServerSettings } from '@auxil/protocol';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startBackend, type TestBackend } from '../support/backend.js';
import { CountingProxy } from '../support/counting-proxy.js';
import { generateWorkspace, PLANTED } from '../support/generated-workspace.js';
import { LanguageServerProcess } from '../support/language-server.js';
import { tempDir } from '../support/temp.js';

/** More files than the server asks for in one page of findings (100), so a refresh takes several. */
const FILES = 250;
/** One of the two copies, moved to sort first: the class's copies come on the first page and on the last. */
const FIRST = 'a/checkout.ts';
const LAST = PLANTED[0];
const COPIES = [FIRST, LAST];
const PROJECT = 'closed';
const PAGES = /^GET \/v1\/projects\/closed\/findings\/pages/;

const copiesOf = (server: LanguageServerProcess, root: string, path: string): Diagnostic[] =>
  (server.diagnosticsOf(join(root, path)) ?? []).filter((d) => d.source === 'Auxil' && d.relatedInformation !== undefined);

/** Whether both closed copies show their diagnostic, linking to each other. */
const shown = (server: LanguageServerProcess, root: string): boolean =>
  COPIES.every((path) => {
    const copies = copiesOf(server, root, path);
    return copies.length === 1 && copies[0]?.relatedInformation?.length === 1;
  });

const hidden = (server: LanguageServerProcess, root: string): boolean => COPIES.every((path) => copiesOf(server, root, path).length === 0);

describe("closed files' diagnostics, fetched page by page and kept nowhere", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let backend: TestBackend;
  let proxy: CountingProxy;
  let server: LanguageServerProcess;
  let settings: ServerSettings;

  before(async () => {
    dir = await tempDir('ls-closed');
    root = join(dir.path, 'workspace');
    await generateWorkspace(root, FILES);
    await mkdir(join(root, 'a'));
    await rename(join(root, PLANTED[1]), join(root, FIRST));
    backend = await startBackend(join(dir.path, 'data'));
    proxy = await CountingProxy.start(Number(new URL(backend.url).port));
    settings = ServerSettings.parse({
      serverUrl: proxy.url,
      token: backend.token,
      project: PROJECT,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
    });
    server = await LanguageServerProcess.start(root, settings);
    await server.until('the copies shown', () => shown(server, root), 60_000);
  });

  after(async () => {
    await server.stop();
    await proxy.close();
    await backend.close();
    await dir.remove();
  });

  test('after the sync every closed copy shows, from pages of findings spanning the workspace', () => {
    assert.ok(proxy.count(PAGES) >= 3, `${proxy.count(PAGES)} pages for ${FILES + 1} files`);
    const [diagnostic] = copiesOf(server, root, FIRST);
    assert.deepEqual(
      diagnostic?.relatedInformation?.map((info) => fileURLToPath(info.location.uri)),
      [join(root, LAST)],
    );
  });

  test('settings that change what shows are applied to closed files by fetching their findings again', async () => {
    proxy.reset();
    await server.configure({ ...settings, minTokens: 10_000 });
    await server.until('copies below the new minimum hidden', () => hidden(server, root));
    assert.ok(proxy.count(PAGES) >= 3, 'the findings were fetched again');
    await server.configure(settings);
    await server.until('copies shown again', () => shown(server, root));

    await server.configure({ ...settings, publishClosedFiles: false });
    await server.until("closed files' diagnostics cleared", () => hidden(server, root));
    await server.configure(settings);
    await server.until("closed files' diagnostics back", () => shown(server, root));
  });

  test('suppressing the class hides every closed copy; showing it again brings them back', async () => {
    const classId = (copiesOf(server, root, FIRST)[0]?.data as { classId: string }).classId;
    await server.request('auxil/setSuppressed', { classId, suppressed: true });
    await server.until('every copy hidden', () => hidden(server, root));
    await server.request('auxil/setSuppressed', { classId, suppressed: false });
    await server.until('every copy back', () => shown(server, root));
  });

  test('a file that leaves the project (now excluded) loses its diagnostics, and its copy with it', async () => {
    await server.configure({ ...settings, exclude: ['a/'] });
    await server.until('both copies cleared', () => hidden(server, root));
    assert.deepEqual(server.diagnosticsOf(join(root, FIRST)), []);
  });
});
