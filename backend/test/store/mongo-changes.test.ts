/*
 * The MongoDB adapter's version 2 beyond the contract: the migration of a version-1 database, the
 * choice between transactions and write locks, and how changes behave without transactions (a
 * standalone server, or the CongoDB stand-in): a failed change's log repaired, a dead writer's
 * leftovers repaired by the next one, a writer waiting for the lock. On the stand-in and, where
 * AUXIL_TEST_MONGODB_URI is set, on a real MongoDB (mongo-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Binary } from 'mongodb';
import { collectionNames, migrations } from '../../src/store/mongodb/migrations.js';
import type { MongoStore } from '../../src/store/mongodb/mongo-store.js';
import type { FileRepository } from '../../src/store/store.js';
import { file, sha256 } from './contract/contract-kit.js';
import { REAL_SKIP, realBackend, runsTransactions, standInBackend, testDatabase, type Backend } from './mongo-harness.js';

const at = '2024-01-01T00:00:00.000Z';

/** Asserts the published change log tells each path's actual state: its current hash, or null when it has no file. */
async function assertLogMatchesFiles(files: FileRepository, projectId: string, paths: readonly string[]): Promise<void> {
  const log = new Map((await files.changesSince(projectId, 0)).map((entry) => [entry.path, entry.hash]));
  const manifest = new Map((await files.manifest(projectId)).map((entry) => [entry.path, entry.hash]));
  for (const path of paths) assert.equal(log.get(path), manifest.get(path) ?? null, `the change log tells the truth about ${path}`);
}

function version2Against(backend: Backend): void {
  describe(`MongoDB store version 2, ${backend.label}`, () => {
    test('a version-1 database is migrated: files get their UTF-8 size, and a project with files becomes revision 1 with a change entry per file', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      await (await open({ migrations: migrations.slice(0, 1) })).close();
      await db.collection(collectionNames.tenants).insertOne({ tenantId: 'acme', name: 'Acme', createdAt: at });
      await db.collection(collectionNames.projects).insertMany([
        { tenantId: 'acme', id: 'p-shop', name: 'shop', createdAt: at },
        { tenantId: 'acme', id: 'p-empty', name: 'empty', createdAt: at },
      ]);
      const contents = { 'a.ts': 'plain', 'é.ts': 'π = "日本" // 🎉' };
      await db.collection(collectionNames.files).insertMany(
        Object.entries(contents).map(([path, content]) => ({
          tenantId: 'acme',
          projectId: 'p-shop',
          path,
          hash: sha256(content),
          content,
          updatedAt: at,
        })),
      );

      const files = (await open()).forTenant('acme').files;
      assert.equal(await files.revision('p-shop'), 1);
      assert.equal(await files.revision('p-empty'), 0);
      assert.deepEqual(
        await files.changesSince('p-shop', 0),
        Object.entries(contents).map(([path, content]) => ({ path, hash: sha256(content), revision: 1 })),
      );
      assert.deepEqual(
        (await files.manifest('p-shop')).map((entry) => entry.size),
        Object.values(contents).map((content) => Buffer.byteLength(content)),
      );
      assert.equal(await files.apply('p-shop', { writes: [file('b.ts', 'new')], removes: ['a.ts'] }), 2);
    });

    test('the store runs changes as transactions exactly where the server has them', async (t) => {
      const { open } = await testDatabase(t, backend);
      const store = await open();
      assert.equal(store.usesTransactions, await runsTransactions(await backend.uri()));
    });

    test('records are kept as BSON binary in their own collection, apart from the files', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      const store = await open();
      await store.tenants.ensure('acme', 'Acme');
      const tenant = store.forTenant('acme');
      const projectId = (await tenant.projects.create('shop')).id;
      await tenant.files.put(projectId, file('a.ts', 'a', { key: 'k', bytes: new Uint8Array([9, 0, 9]) }));
      const stored = await db.collection(collectionNames.fileRecords).findOne({ tenantId: 'acme', projectId, path: 'a.ts' });
      assert.ok(stored?.['bytes'] instanceof Binary);
      assert.deepEqual(new Uint8Array(stored['bytes'].value()), new Uint8Array([9, 0, 9]));
      assert.equal(
        (await db.collection(collectionNames.files).findOne({ tenantId: 'acme', projectId, path: 'a.ts' }))?.['record'],
        undefined,
      );
    });
  });
}

function withoutTransactionsAgainst(backend: Backend): void {
  describe(`MongoDB changes without transactions (project write locks), ${backend.label}`, () => {
    async function project(
      t: Parameters<typeof testDatabase>[0],
    ): Promise<{ store: MongoStore; files: FileRepository; projectId: string; db: Awaited<ReturnType<typeof testDatabase>>['db'] }> {
      const { db, open } = await testDatabase(t, backend);
      const store = await open(undefined, false);
      await store.tenants.ensure('acme', 'Acme');
      const tenant = store.forTenant('acme');
      return { store, db, files: tenant.files, projectId: (await tenant.projects.create('shop')).id };
    }

    test('a change that fails midway is published with its change log set to what was actually stored, and frees the lock', async (t) => {
      const { files, projectId } = await project(t);
      await files.put(projectId, file('keep.ts', 'v1'));
      const many = Array.from({ length: 1200 }, (_, n) => file(`new/${String(n).padStart(4, '0')}.ts`, `new ${n}`));
      // A document over MongoDB's 16 MB limit fails in the second batch of files, after the first batch is stored.
      const tooBig = file('new/1100-too-big.ts', 'x'.repeat(17 * 1024 * 1024));
      const writes = [file('keep.ts', 'v2'), ...many.slice(0, 1100), tooBig, ...many.slice(1100)];
      await assert.rejects(files.apply(projectId, { writes, removes: [] }));

      assert.equal(await files.revision(projectId), 2, 'what was stored is published as one revision');
      const stored = await files.manifest(projectId);
      assert.ok(stored.length >= 1000, `the first batch of files was stored (${stored.length} files)`);
      assert.equal(stored.find((entry) => entry.path === 'keep.ts')?.hash, sha256('v2'));
      await assertLogMatchesFiles(
        files,
        projectId,
        writes.map((write) => write.path),
      );
      // The lock is free: the next change goes through at once.
      assert.equal(await files.apply(projectId, { writes: [file('after.ts', 'after')], removes: [] }), 3);
    });

    test("a writer that died midway is repaired by the next one: its revision's log is set to the actual files, then published", async (t) => {
      const { db, files, projectId } = await project(t);
      await files.put(projectId, file('a.ts', 'a'));
      // What a writer leaves when it dies after logging revision 2 and storing one of its two files.
      const scope = { tenantId: 'acme', projectId };
      await db.collection(collectionNames.fileChanges).insertMany([
        { ...scope, path: 'half.ts', hash: sha256('half'), revision: 2 },
        { ...scope, path: 'never.ts', hash: sha256('never'), revision: 2 },
      ]);
      await db
        .collection(collectionNames.files)
        .insertOne({ ...scope, path: 'half.ts', hash: sha256('half'), content: 'half', size: 4, updatedAt: at });
      await db
        .collection(collectionNames.projects)
        .updateOne(
          { tenantId: 'acme', id: projectId },
          { $set: { writing: 2, writer: { owner: 'dead-host/1/x', expiresAt: new Date(Date.now() - 1000) } } },
        );

      assert.deepEqual(await files.changesSince(projectId, 1), [], 'an unpublished revision is invisible');
      assert.equal(await files.apply(projectId, { writes: [file('next.ts', 'next')], removes: [] }), 2);
      assert.deepEqual(await files.changesSince(projectId, 1), [
        { path: 'half.ts', hash: sha256('half'), revision: 2 },
        { path: 'never.ts', hash: null, revision: 2 },
        { path: 'next.ts', hash: sha256('next'), revision: 2 },
      ]);
      const doc = await db.collection(collectionNames.projects).findOne({ tenantId: 'acme', id: projectId });
      assert.equal(doc?.['writing'], null);
      assert.equal(doc?.['writer'], null);
    });

    test('a change waits while another writer holds the lock, and goes through once it is freed', async (t) => {
      const { db, files, projectId } = await project(t);
      const projects = db.collection(collectionNames.projects);
      await projects.updateOne(
        { tenantId: 'acme', id: projectId },
        { $set: { writer: { owner: 'busy-host/2/y', expiresAt: new Date(Date.now() + 60_000) } } },
      );
      const waiting = files.put(projectId, file('a.ts', 'a'));
      // The lock is held, so nothing of the change can be stored yet, however far it got.
      assert.equal(await files.get(projectId, 'a.ts'), undefined);
      assert.equal(await files.revision(projectId), 0);
      await projects.updateOne({ tenantId: 'acme', id: projectId }, { $set: { writer: null } });
      assert.equal((await waiting).content, 'a');
      assert.equal(await files.revision(projectId), 1);
    });
  });
}

version2Against(standInBackend);
withoutTransactionsAgainst(standInBackend);
if (realBackend) {
  version2Against(realBackend);
  withoutTransactionsAgainst(realBackend);
} else {
  test('MongoDB store version 2 and changes without transactions, real server', { skip: REAL_SKIP }, () => undefined);
}
