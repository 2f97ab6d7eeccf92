import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rejectsWith, type ContractKit } from './contract-kit.js';

/** Suppressed clone classes: add once, list oldest first, remove, scoped to a project and a tenant. */
export function suppressionsContract({ project, withTwoTenants, fresh }: ContractKit): void {
  describe('suppressions', () => {
    test('add stores a suppression once, list returns them oldest first, remove shows a class again', async (t) => {
      const { tenant, projectId } = await project(t);
      const first = await tenant.suppressions.add(projectId, 'class-b', 'token-1');
      assert.equal(first.classId, 'class-b');
      assert.equal(first.createdBy, 'token-1');
      assert.ok(!Number.isNaN(Date.parse(first.createdAt)), 'createdAt is a timestamp');
      assert.deepEqual(await tenant.suppressions.add(projectId, 'class-b', 'token-2'), first, 'a second add keeps the first record');
      const second = await tenant.suppressions.add(projectId, 'class-a', 'token-2');
      const listed = await tenant.suppressions.list(projectId);
      assert.deepEqual(
        listed.map((s) => s.classId),
        first.createdAt === second.createdAt ? ['class-a', 'class-b'] : ['class-b', 'class-a'],
      );
      assert.equal(await tenant.suppressions.remove(projectId, 'class-b'), true);
      assert.equal(await tenant.suppressions.remove(projectId, 'class-b'), false, 'removing again reports false');
      assert.deepEqual(await tenant.suppressions.list(projectId), [second]);
    });

    test('a suppression for a project the tenant does not have is refused', async (t) => {
      const { tenant } = await project(t);
      await rejectsWith(tenant.suppressions.add('no-such-project', 'class-a', 'token-1'), 'not_found');
    });

    test("a tenant neither sees nor removes another tenant's suppressions, and removing a project removes its own", async (t) => {
      const { store } = await withTwoTenants(t);
      const a = store.forTenant('a');
      const b = store.forTenant('b');
      const shop = await a.projects.ensure('shop');
      await a.suppressions.add(shop.id, 'class-a', 'token-a');
      assert.deepEqual(await b.suppressions.list(shop.id), []);
      assert.equal(await b.suppressions.remove(shop.id, 'class-a'), false);
      await rejectsWith(b.suppressions.add(shop.id, 'class-b', 'token-b'), 'not_found');
      assert.equal((await a.suppressions.list(shop.id)).length, 1);
      await a.projects.remove(shop.id);
      const again = await a.projects.ensure('shop');
      assert.deepEqual(await a.suppressions.list(again.id), []);
      assert.deepEqual(await a.suppressions.list(shop.id), [], 'the removed project left no suppression behind');
    });

    test('suppressions survive closing and reopening the store', async (t) => {
      const opened = await fresh(t);
      if (!opened.reopen) return t.skip('this adapter does not persist');
      await opened.store.tenants.ensure('acme', 'Acme');
      const shop = await opened.store.forTenant('acme').projects.ensure('shop');
      const added = await opened.store.forTenant('acme').suppressions.add(shop.id, 'class-a', 'token-1');
      await opened.store.close();
      const reopened = await opened.reopen();
      assert.deepEqual(await reopened.forTenant('acme').suppressions.list(shop.id), [added]);
    });
  });
}
