import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ProjectInfo } from '@auxil/protocol';
import { startBackend, type TestBackend } from '../support/backend.js';
import { CountingProxy } from '../support/counting-proxy.js';
import { generateWorkspace, generatedPath, PLANTED, uniqueModule } from '../support/generated-workspace.js';
import { LanguageServerProcess } from '../support/language-server.js';
import { tempDir } from '../support/temp.js';

const FILES = 5000;
const SYNC_TIMEOUT_MS = 180_000;
const PROJECT = 'big';

/** Whether both planted copies show their duplication warning. */
function plantedShown(server: LanguageServerProcess, root: string): boolean {
  return PLANTED.every((path) => (server.diagnosticsOf(join(root, path)) ?? []).some((d) => d.source === 'Auxil'));
}

/** Size of the manifest JSON of the workspace's files, as the server sends it. */
async function manifestBytes(root: string): Promise<number> {
  const files = [];
  for (const path of await readdir(root, { recursive: true })) {
    if (!path.endsWith('.ts')) continue;
    const content = await readFile(join(root, path));
    files.push({ path: path.split(sep).join('/'), hash: createHash('sha256').update(content).digest('hex'), size: content.length });
  }
  return Buffer.byteLength(JSON.stringify({ files }));
}

/** The project as the backend holds it. */
async function projectInfo(backend: TestBackend): Promise<ProjectInfo> {
  const response = await fetch(new URL(`/v1/projects/${PROJECT}`, backend.url), { headers: { authorization: `Bearer ${backend.token}` } });
  return ProjectInfo.parse(await response.json());
}

/** Waits for a complete sync: the server went through `syncing` and is `connected` again with the planted warnings shown. */
async function synced(server: LanguageServerProcess, root: string, from = 0): Promise<void> {
  await server.until(
    'a sync that ended',
    () => server.statuses.slice(from).some((s) => s.state === 'syncing') && server.state === 'connected' && plantedShown(server, root),
    SYNC_TIMEOUT_MS,
  );
}

describe(`language server sync of a ${FILES}-file workspace`, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let contentBytes: number;
  let backend: TestBackend;
  let proxy: CountingProxy;

  before(async () => {
    dir = await tempDir('ls-sync');
    root = join(dir.path, 'big');
    contentBytes = await generateWorkspace(root, FILES);
    backend = await startBackend(join(dir.path, 'data'));
    proxy = await CountingProxy.start(Number(new URL(backend.url).port));
  });

  after(async () => {
    await proxy.close();
    await backend.close();
    await dir.remove();
  });

  test('the first start uploads every file in a few batches; a second start sends the manifest and only what changed', async (t) => {
    const first = await LanguageServerProcess.start(root, { serverUrl: proxy.url, token: backend.token, project: PROJECT });
    t.after(() => first.stop());
    await synced(first, root);
    const progress = first.statuses.filter((s) => s.state === 'syncing');
    assert.ok(progress.length >= 2, 'syncing progress was reported');
    assert.deepEqual(progress.at(-1)?.progress && progress.at(-1)!.progress!.total, FILES * 2);
    assert.equal((await projectInfo(backend)).files, FILES);
    const firstBytes = proxy.bytes;
    const firstBatches = proxy.count(/^POST \/v1\/projects\/big\/files$/);
    assert.ok(firstBatches >= 1 && firstBatches <= Math.ceil(FILES / 500) + 1, `${firstBatches} batch uploads`);
    assert.equal(proxy.count(/^PUT /), 0, 'no file was sent one by one');
    await first.stop();

    // Outside the editor: one file changed, one added, one deleted.
    await writeFile(join(root, generatedPath(10)), `${uniqueModule(10)}// changed\n`);
    await writeFile(join(root, 'src/added.ts'), uniqueModule(FILES + 1));
    await rm(join(root, generatedPath(11)));
    proxy.reset();
    const second = await LanguageServerProcess.start(root, { serverUrl: proxy.url, token: backend.token, project: PROJECT });
    t.after(() => second.stop());
    await synced(second, root);
    const info = await projectInfo(backend);
    assert.equal(info.files, FILES);
    assert.equal(proxy.count(/^POST \/v1\/projects\/big\/manifest$/), 1);
    assert.equal(proxy.count(/^POST \/v1\/projects\/big\/files$/), 1, 'one batch with the two new contents');
    // What went up is the manifest itself plus requests' headers and the two new contents, nothing more:
    // the findings come down a page at a time, each page asked for by a GET of a few hundred bytes.
    const manifest = await manifestBytes(root);
    const gets = proxy.count(/^GET /);
    assert.ok(
      proxy.bytes < manifest + 30_000 + gets * 400,
      `second start sent ${proxy.bytes} bytes (${gets} GETs) for a manifest of ${manifest}`,
    );
    assert.ok(firstBytes > manifest + 50_000, `the first start sent the contents too: ${firstBytes} bytes (content ${contentBytes})`);
    t.diagnostic(`first start: ${firstBytes} bytes in ${firstBatches} batches; second: ${proxy.bytes} bytes`);
  });

  test('when the backend restarts in the middle of a sync, the server reconnects and converges', async (t) => {
    // Contents the backend has never seen, so the whole workspace has to be uploaded.
    const project = 'restarted';
    const other = join(dir.path, 'restarted');
    await generateWorkspace(other, FILES, '// another workspace\n');
    const server = await LanguageServerProcess.start(other, { serverUrl: proxy.url, token: backend.token, project });
    t.after(() => server.stop());
    const port = new URL(backend.url).port;
    // The status after the manifest's answer comes right before the first batch goes.
    await server.until(
      'the upload phase',
      () => server.statuses.some((s) => s.state === 'syncing' && (s.progress?.done ?? 0) >= FILES),
      SYNC_TIMEOUT_MS,
    );
    await backend.close();
    proxy.dropConnections();
    await server.until('offline', () => server.state === 'offline', SYNC_TIMEOUT_MS);
    backend = await startBackend(join(dir.path, 'data'), Number(port));
    const from = server.statuses.length;
    await synced(server, other, from);
    const response = await fetch(new URL(`/v1/projects/${project}`, backend.url), {
      headers: { authorization: `Bearer ${backend.token}` },
    });
    assert.equal(ProjectInfo.parse(await response.json()).files, FILES);
  });
});
