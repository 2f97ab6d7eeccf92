import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FileChange } from '../../../src/store/store.js';
import { file, rejectsWith, sha256, type ContractKit } from './contract-kit.js';

const change = (path: string, content: string | null, revision: number): FileChange => ({
  path,
  hash: content === null ? null : sha256(content),
  revision,
});

/** Revisions, the change log, `apply`, the manifest and content by hash. */
export function fileChangesContract({ project, withTwoTenants, twoHandles, needs, adapterName }: ContractKit): void {
  describe('files: revisions and the change log', () => {
    test('a new project is at revision 0 with an empty change log', async (t) => {
      const { tenant, projectId } = await project(t);
      assert.equal(await tenant.files.revision(projectId), 0);
      assert.deepEqual(await tenant.files.changesSince(projectId, 0), []);
      assert.equal(await tenant.files.revision('no-such-project'), 0);
    });

    test('each change bumps the revision once, a write of the same content none, and the log keeps the latest change per path', async (t) => {
      const { tenant, projectId } = await project(t);
      const files = tenant.files;
      const revision = () => files.revision(projectId);

      const first = await files.put(projectId, file('a.ts', 'a1'));
      assert.equal(await revision(), 1);
      assert.deepEqual(await files.put(projectId, file('a.ts', 'a1')), first, 'the same content again is no change');
      assert.equal(await revision(), 1);
      await files.put(projectId, file('b.ts', 'b1'));
      assert.equal(await revision(), 2);
      await files.put(projectId, file('a.ts', 'a2'));
      assert.equal(await revision(), 3);
      assert.equal(await files.remove(projectId, 'b.ts'), true);
      assert.equal(await revision(), 4);
      assert.equal(await files.remove(projectId, 'b.ts'), false, 'removing a missing file is no change');
      assert.equal(await revision(), 4);
      assert.deepEqual(await files.changesSince(projectId, 3), [change('b.ts', null, 4)], 'a removal is a tombstone');
      await files.put(projectId, file('b.ts', 'b2'));
      assert.equal(await revision(), 5);

      // One apply is one revision, however many files it touches; unchanged and missing paths do not count.
      const applied = await files.apply(projectId, {
        writes: [file('d.ts', 'd1'), file('c.ts', 'c1'), file('a.ts', 'a2')],
        removes: ['never-there.ts'],
      });
      assert.equal(applied, 6);
      assert.equal(await revision(), 6);
      assert.equal(await files.apply(projectId, { writes: [file('c.ts', 'c1')], removes: ['never-there.ts'] }), 6, 'nothing changed');
      assert.equal(await files.apply(projectId, { writes: [], removes: [] }), 6);

      const all = [change('a.ts', 'a2', 3), change('b.ts', 'b2', 5), change('c.ts', 'c1', 6), change('d.ts', 'd1', 6)];
      assert.deepEqual(await files.changesSince(projectId, 0), all, 'ordered by revision, then path');
      assert.deepEqual(await files.changesSince(projectId, 3), all.slice(1));
      assert.deepEqual(await files.changesSince(projectId, 5), all.slice(2));
      assert.deepEqual(await files.changesSince(projectId, 6), []);

      assert.equal(await files.apply(projectId, { writes: [], removes: ['c.ts'] }), 7);
      assert.deepEqual(await files.changesSince(projectId, 6), [change('c.ts', null, 7)]);
      assert.equal(await files.get(projectId, 'c.ts'), undefined, 'a tombstone is no file');
      assert.deepEqual(
        (await files.list(projectId)).map((f) => f.path),
        ['a.ts', 'b.ts', 'd.ts'],
      );
      assert.deepEqual(
        (await files.manifest(projectId)).map((entry) => entry.path),
        ['a.ts', 'b.ts', 'd.ts'],
      );
      // Re-adding a removed path replaces its tombstone.
      await files.put(projectId, file('c.ts', 'c2'));
      assert.deepEqual(await files.changesSince(projectId, 6), [change('c.ts', 'c2', 8)]);
    });

    test('two projects count their revisions separately', async (t) => {
      const { tenant, projectId } = await project(t);
      const billing = (await tenant.projects.create('billing')).id;
      await tenant.files.put(projectId, file('a.ts', 'a'));
      await tenant.files.put(projectId, file('b.ts', 'b'));
      await tenant.files.put(billing, file('a.ts', 'a'));
      assert.equal(await tenant.files.revision(projectId), 2);
      assert.equal(await tenant.files.revision(billing), 1);
      assert.deepEqual(await tenant.files.changesSince(billing, 0), [change('a.ts', 'a', 1)]);
    });

    test("another tenant's project id gives revision 0 and no changes, and its changes cannot be applied", async (t) => {
      const { store } = await withTwoTenants(t);
      const a = store.forTenant('a');
      const b = store.forTenant('b');
      const secret = (await b.projects.create('secret')).id;
      await b.files.apply(secret, { writes: [file('key.ts', 'the secret')], removes: [] });
      assert.equal(await a.files.revision(secret), 0);
      assert.deepEqual(await a.files.changesSince(secret, 0), []);
      assert.deepEqual(await a.files.manifest(secret), []);
      await rejectsWith(a.files.apply(secret, { writes: [file('planted.ts', 'by A')], removes: ['key.ts'] }), 'not_found');
      await rejectsWith(a.files.apply('no-such-project', { writes: [file('a.ts', 'orphan')], removes: [] }), 'not_found');
      assert.equal(await b.files.revision(secret), 1);
      assert.deepEqual(await b.files.changesSince(secret, 0), [change('key.ts', 'the secret', 1)]);
    });

    test(
      'concurrent changes of one project, from two stores over the same data, each get their own revision and all reach the log',
      needs('isolatedChanges'),
      async (t) => {
        const { store, other } = await twoHandles(t);
        await store.tenants.ensure('acme', 'Acme');
        const projectId = (await store.forTenant('acme').projects.create('shop')).id;
        const writer = async (handle: typeof store, name: string): Promise<number[]> => {
          const revisions: number[] = [];
          for (let n = 0; n < 8; n++) {
            revisions.push(
              await handle.forTenant('acme').files.apply(projectId, { writes: [file(`${name}-${n}.ts`, `${name} ${n}`)], removes: [] }),
            );
          }
          return revisions;
        };
        const [mine, theirs] = await Promise.all([writer(store, 'x'), writer(other, 'y')]);
        assert.deepEqual(
          [...mine, ...theirs].sort((p, q) => p - q),
          Array.from({ length: 16 }, (_, n) => n + 1),
          'revisions 1 to 16, each once',
        );
        const log = await other.forTenant('acme').files.changesSince(projectId, 0);
        assert.equal(log.length, 16);
        assert.deepEqual(
          log.map((entry) => entry.revision),
          Array.from({ length: 16 }, (_, n) => n + 1),
        );
        assert.equal((await store.forTenant('acme').files.manifest(projectId)).length, 16);
      },
    );
  });

  describe('files: apply', () => {
    test('apply stores every write and removal; the manifest lists path, hash and UTF-8 size by path', async (t) => {
      const { tenant, projectId } = await project(t);
      await tenant.files.apply(projectId, { writes: [file('old.ts', 'old'), file('keep.ts', 'keep')], removes: [] });
      const revision = await tenant.files.apply(projectId, {
        writes: [file('src/é.ts', 'é'), file('emoji.ts', '🎉\r\n'), file('empty.ts', ''), file('keep.ts', 'kept, changed')],
        removes: ['old.ts'],
      });
      assert.equal(revision, 2);
      assert.deepEqual(await tenant.files.manifest(projectId), [
        { path: 'emoji.ts', hash: sha256('🎉\r\n'), size: 6 },
        { path: 'empty.ts', hash: sha256(''), size: 0 },
        { path: 'keep.ts', hash: sha256('kept, changed'), size: 13 },
        { path: 'src/é.ts', hash: sha256('é'), size: 2 },
      ]);
      assert.equal((await tenant.files.get(projectId, 'emoji.ts'))?.content, '🎉\r\n');
      assert.equal(await tenant.files.count(projectId), 4);
      assert.equal(await tenant.files.count('no-such-project'), 0);
    });

    test('apply refuses a change that writes a path twice, or writes and removes one, and stores none of it', async (t) => {
      const { tenant, projectId } = await project(t);
      await tenant.files.put(projectId, file('a.ts', 'a'));
      await rejectsWith(
        tenant.files.apply(projectId, { writes: [file('b.ts', 'one'), file('c.ts', 'c'), file('b.ts', 'two')], removes: [] }),
        'invalid_request',
        /"b\.ts" more than once/,
      );
      await rejectsWith(
        tenant.files.apply(projectId, { writes: [file('c.ts', 'c'), file('a.ts', 'a2')], removes: ['a.ts'] }),
        'invalid_request',
        /both writes and removes "a\.ts"/,
      );
      assert.equal(await tenant.files.revision(projectId), 1);
      assert.deepEqual(
        (await tenant.files.list(projectId)).map((f) => [f.path, f.content]),
        [['a.ts', 'a']],
      );
    });

    test('a change that fails midway stores none of it: no file, no change entry, no revision', needs('atomicChanges'), async (t) => {
      const { tenant, projectId, refuseFileWrites } = await project(t);
      if (!refuseFileWrites) {
        t.skip(`the ${adapterName} test harness cannot make the database refuse a write`);
        return;
      }
      await tenant.files.apply(projectId, { writes: [file('keep.ts', 'v1'), file('gone.ts', 'gone')], removes: [] });
      const manifest = await tenant.files.manifest(projectId);
      await refuseFileWrites('zz-refused.ts');
      // Enough writes before the refused one that an adapter writing in batches has sent some already.
      const many = Array.from({ length: 1500 }, (_, n) => file(`new/${String(n).padStart(4, '0')}.ts`, `new ${n}`));
      await assert.rejects(
        tenant.files.apply(projectId, { writes: [file('keep.ts', 'v2'), ...many, file('zz-refused.ts', 'refused')], removes: ['gone.ts'] }),
      );
      assert.equal(await tenant.files.revision(projectId), 1);
      assert.deepEqual(await tenant.files.changesSince(projectId, 1), []);
      assert.deepEqual(await tenant.files.manifest(projectId), manifest);
      assert.equal(await tenant.files.content(sha256('new 0')), undefined);
    });
  });

  describe('files: contents by hash', () => {
    test('missingContents answers the hashes no file of the tenant has, each once, in the order asked', async (t) => {
      const { tenant, projectId } = await project(t);
      const billing = (await tenant.projects.create('billing')).id;
      await tenant.files.put(projectId, file('a.ts', 'A'));
      await tenant.files.put(billing, file('b.ts', 'B'));
      const [a, b, x, y, z] = ['A', 'B', 'X', 'Y', 'Z'].map(sha256) as [string, string, string, string, string];
      assert.deepEqual(await tenant.files.missingContents([z, a, x, z, b, y, x]), [z, x, y]);
      assert.deepEqual(await tenant.files.missingContents([a, b, a]), []);
      assert.deepEqual(await tenant.files.missingContents([]), []);
    });

    test('content finds a content by hash in any project of the tenant, until no file has it', async (t) => {
      const { tenant, projectId } = await project(t);
      const billing = (await tenant.projects.create('billing')).id;
      await tenant.files.put(projectId, file('a.ts', 'shared'));
      await tenant.files.put(billing, file('copy.ts', 'shared'));
      assert.equal(await tenant.files.content(sha256('shared')), 'shared');
      await tenant.files.remove(projectId, 'a.ts');
      assert.equal(await tenant.files.content(sha256('shared')), 'shared', 'the copy in billing still has it');
      await tenant.files.put(billing, file('copy.ts', 'changed'));
      assert.equal(await tenant.files.content(sha256('shared')), undefined);
      assert.deepEqual(await tenant.files.missingContents([sha256('shared')]), [sha256('shared')]);
    });

    test("another tenant's identical file does not count: the hash is still missing, and the content unreadable", async (t) => {
      const { store } = await withTwoTenants(t);
      const a = store.forTenant('a');
      const b = store.forTenant('b');
      const bProject = (await b.projects.create('shop')).id;
      await b.files.put(bProject, file('key.ts', 'the secret'));
      await a.projects.create('shop');
      assert.deepEqual(await a.files.missingContents([sha256('the secret')]), [sha256('the secret')]);
      assert.equal(await a.files.content(sha256('the secret')), undefined);
      assert.deepEqual(await b.files.missingContents([sha256('the secret')]), []);
      assert.equal(await b.files.content(sha256('the secret')), 'the secret');
    });
  });
}
