import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuxilError } from '../../../src/errors.js';
import { byCodePoint, file, rejectsWith, sha256, type ContractKit } from './contract-kit.js';

/** `create`, `get`, `list` and the cascading `remove` of projects. */
export function projectsContract({ fresh, project, withTwoTenants, twoHandles, needs }: ContractKit): void {
  describe('projects: create, get, list, remove', () => {
    test('create returns a new project that get, findByName and list then return', async (t) => {
      const { store } = await fresh(t);
      await store.tenants.ensure('acme', 'Acme');
      const projects = store.forTenant('acme').projects;
      const web = await projects.create('web');
      const billing = await projects.create('billing');
      const shop = await projects.create('shop');
      assert.equal(web.name, 'web');
      assert.ok(!Number.isNaN(Date.parse(web.createdAt)), 'createdAt is a timestamp');
      assert.equal(new Set([web.id, billing.id, shop.id]).size, 3, 'each project has its own id');
      assert.deepEqual(await projects.get(web.id), web);
      assert.deepEqual(await projects.findByName('web'), web);
      assert.deepEqual(await projects.ensure('web'), web, 'ensure finds a project made by create');
      assert.deepEqual(await projects.list(), [billing, shop, web], 'by name');
    });

    test('list orders projects by name in code point order: case-sensitive, astral characters last', needs('codePointOrder'), async (t) => {
      const { store } = await fresh(t);
      await store.tenants.ensure('acme', 'Acme');
      const projects = store.forTenant('acme').projects;
      const names = ['shop', 'Shop', 'é-app', '\u{1F600}-app', '\uFF21-app', 'api'];
      for (const name of names) await projects.create(name);
      assert.deepEqual(
        (await projects.list()).map((p) => p.name),
        [...names].sort(byCodePoint),
      );
    });

    test('create of a name the tenant already has fails with conflict and leaves the first project alone', async (t) => {
      const { store } = await fresh(t);
      await store.tenants.ensure('acme', 'Acme');
      const projects = store.forTenant('acme').projects;
      const first = await projects.create('shop');
      await rejectsWith(projects.create('shop'), 'conflict', /"shop" already exists/);
      const ensured = await projects.ensure('billing');
      await rejectsWith(projects.create('billing'), 'conflict');
      assert.deepEqual(await projects.list(), [ensured, first]);
    });

    test('the same name in two tenants is no conflict', async (t) => {
      const { store } = await withTwoTenants(t);
      const a = await store.forTenant('a').projects.create('shop');
      const b = await store.forTenant('b').projects.create('shop');
      assert.notEqual(a.id, b.id);
    });

    test('create for a tenant that does not exist is refused and stores nothing', async (t) => {
      const { store } = await fresh(t);
      await rejectsWith(store.forTenant('ghost').projects.create('shop'), 'not_found', /"ghost"/);
      assert.deepEqual(await store.forTenant('ghost').projects.list(), []);
    });

    test('get of an unknown id is undefined; a tenant without projects lists none', async (t) => {
      const { store, projectId } = await project(t);
      await store.tenants.ensure('empty', 'Empty');
      assert.equal(await store.forTenant('acme').projects.get('no-such-project'), undefined);
      assert.deepEqual(await store.forTenant('empty').projects.list(), []);
      assert.equal(await store.forTenant('empty').projects.get(projectId), undefined);
    });

    test('remove deletes the project with its files, records, change log and analyses, and leaves other projects alone', async (t) => {
      const { tenant, projectId } = await project(t);
      const other = await tenant.projects.create('billing');
      const record = { key: 'k1', bytes: new Uint8Array([1, 2, 3]) };
      await tenant.files.apply(projectId, { writes: [file('a.ts', 'only in shop', record), file('b.ts', 'shared')], removes: [] });
      await tenant.files.remove(projectId, 'b.ts');
      await tenant.files.put(other.id, file('b.ts', 'shared'));
      const analysis = await tenant.analyses.create(projectId, { revision: 2, filesTotal: 1, shardsTotal: 1 });
      await tenant.analyses.completeShard(analysis.id, 0, 1);
      const kept = await tenant.analyses.create(other.id, { revision: 1, filesTotal: 1, shardsTotal: 1 });

      assert.equal(await tenant.projects.remove(projectId), true);
      assert.equal(await tenant.projects.get(projectId), undefined);
      assert.equal(await tenant.projects.findByName('shop'), undefined);
      assert.deepEqual(await tenant.projects.list(), [other]);
      assert.deepEqual(await tenant.files.list(projectId), []);
      assert.deepEqual(await tenant.files.manifest(projectId), []);
      assert.equal(await tenant.files.revision(projectId), 0);
      assert.deepEqual(await tenant.files.changesSince(projectId, 0), []);
      assert.deepEqual(await tenant.files.indexInputs(projectId, 'k1', undefined, 10), []);
      assert.equal(await tenant.files.content(sha256('only in shop')), undefined, 'its contents are gone from the tenant');
      assert.deepEqual(await tenant.files.missingContents([sha256('only in shop'), sha256('shared')]), [sha256('only in shop')]);
      assert.equal(await tenant.analyses.get(analysis.id), undefined);
      assert.deepEqual(await tenant.analyses.list(projectId, 10), []);
      assert.equal(await tenant.analyses.completeShard(analysis.id, 0, 1), undefined);
      assert.equal(await tenant.projects.remove(projectId), false, 'a second remove finds nothing');

      assert.deepEqual(
        (await tenant.files.list(other.id)).map((f) => f.path),
        ['b.ts'],
      );
      assert.equal(await tenant.files.revision(other.id), 1);
      assert.deepEqual(await tenant.analyses.list(other.id, 10), [kept]);
    });

    test('a project made again under a removed name is new: its own id, revision 0, no files', async (t) => {
      const { tenant, projectId } = await project(t);
      await tenant.files.put(projectId, file('a.ts', 'old'));
      await tenant.projects.remove(projectId);
      const again = await tenant.projects.create('shop');
      assert.notEqual(again.id, projectId);
      assert.equal(await tenant.files.revision(again.id), 0);
      assert.deepEqual(await tenant.files.list(again.id), []);
      assert.deepEqual(await tenant.files.changesSince(again.id, 0), []);
    });

    test("a tenant neither gets, lists nor removes another tenant's project", async (t) => {
      const { store } = await withTwoTenants(t);
      const a = store.forTenant('a');
      const b = store.forTenant('b');
      const secret = await a.projects.create('secret');
      await a.files.put(secret.id, file('key.ts', 'the secret'));
      assert.equal(await b.projects.get(secret.id), undefined);
      assert.deepEqual(await b.projects.list(), []);
      assert.equal(await b.projects.remove(secret.id), false);
      assert.deepEqual(await a.projects.get(secret.id), secret);
      assert.equal((await a.files.get(secret.id, 'key.ts'))?.content, 'the secret');
    });

    test(
      'concurrent create of one name, from two stores over the same data, makes one project; the others fail with conflict',
      needs('uniqueConstraints'),
      async (t) => {
        const { store, other } = await twoHandles(t);
        await store.tenants.ensure('acme', 'Acme');
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? store : other).forTenant('acme').projects.create('shop')),
        );
        const made = results.filter((result) => result.status === 'fulfilled');
        assert.equal(made.length, 1);
        for (const result of results) {
          if (result.status === 'rejected') assert.ok(result.reason instanceof AuxilError && result.reason.code === 'conflict');
        }
        assert.deepEqual(await other.forTenant('acme').projects.list(), [made[0]?.value]);
      },
    );
  });
}
