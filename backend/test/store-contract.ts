import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { Store } from '../src/store/store.js';
import { analysesContract } from './store/contract/analyses-contract.js';
import { byCodePoint, contractKit, file, rejectsWith, sha256 } from './store/contract/contract-kit.js';
import { fileChangesContract } from './store/contract/file-changes-contract.js';
import { indexInputsContract } from './store/contract/index-inputs-contract.js';
import { projectsContract } from './store/contract/projects-contract.js';
import { suppressionsContract } from './store/contract/suppressions-contract.js';

/** A store under test, as an adapter's test file opens it. */
export interface OpenedStore {
  readonly store: Store;
  /**
   * Opens another store over the same data, for adapters that persist. The durability case closes
   * `store` first; the concurrency cases keep both open at once, as two processes would.
   * `cleanup` still closes whatever it returned.
   */
  readonly reopen?: () => Promise<Store>;
  /**
   * Makes the database itself refuse, from now on, to store a file at `path` (a trigger, a
   * validator): how the atomicity case makes a change fail midway, after the writes before it.
   */
  readonly refuseFileWrites?: (path: string) => Promise<void>;
  /** Closes every store opened and deletes the data. */
  readonly cleanup: () => Promise<void>;
}

/**
 * What some contract cases need from the database under test beyond plain reads and writes. A real
 * database behind an adapter has all of them; a stand-in may not, and then the cases are skipped
 * with the stand-in's reason in the skip message, never silently.
 */
export type ContractCapability =
  /** Unique constraints are enforced: what keeps concurrent `ensure` and `put` from duplicating. */
  | 'uniqueConstraints'
  /** Strings sort by code point (UTF-8 byte order), as SQLite's BINARY and MongoDB's simple collation do. */
  | 'codePointOrder'
  /** A change that fails midway is rolled back: transactions that really undo. */
  | 'atomicChanges'
  /** Concurrent changes of one project are isolated from each other (transactions, or a write lock). */
  | 'isolatedChanges';

export interface ContractOptions {
  /** The capabilities the database under test lacks, each with the reason printed when its cases are skipped. */
  readonly lacks?: Partial<Record<ContractCapability, string>>;
  /**
   * How many files the large-batch case writes in one change: 50,000 unless the database under
   * test is too slow for that in a test run, and then why, which the case's name shows.
   */
  readonly largeBatch?: { readonly files: number; readonly why: string };
}

/**
 * The contract of `Store`: every adapter runs this suite against a real database. Each test opens
 * its own store, so tests neither share data nor depend on their order.
 */
export function storeContract(adapterName: string, open: () => Promise<OpenedStore>, options: ContractOptions = {}): void {
  const kit = contractKit(adapterName, open, options);
  const { needs, fresh, twoHandles, withTwoTenants } = kit;

  describe(`Store contract: ${adapterName}`, () => {
    describe('tenants', () => {
      test('ensure creates a tenant that get then returns', async (t) => {
        const { store } = await fresh(t);
        assert.equal(await store.tenants.get('acme'), undefined);
        const created = await store.tenants.ensure('acme', 'Acme');
        assert.equal(created.id, 'acme');
        assert.equal(created.name, 'Acme');
        assert.ok(!Number.isNaN(Date.parse(created.createdAt)), 'createdAt is a timestamp');
        assert.deepEqual(await store.tenants.get('acme'), created);
      });

      test('ensure on an existing id returns the existing tenant unchanged, even with another name', async (t) => {
        const { store } = await fresh(t);
        const first = await store.tenants.ensure('acme', 'Acme');
        const second = await store.tenants.ensure('acme', 'Renamed');
        assert.deepEqual(second, first);
        assert.equal((await store.tenants.get('acme'))?.name, 'Acme');
      });

      test('get of an unknown tenant is undefined', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        assert.equal(await store.tenants.get('other'), undefined);
      });

      test(
        'concurrent ensure of one id, from two stores over the same data, creates exactly one tenant',
        needs('uniqueConstraints'),
        async (t) => {
          const { store, other } = await twoHandles(t);
          const results = await Promise.all(
            Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? store : other).tenants.ensure('acme', `Acme ${n}`)),
          );
          for (const result of results) assert.deepEqual(result, results[0]);
          assert.deepEqual(await store.tenants.get('acme'), results[0]);
          assert.deepEqual(await other.tenants.get('acme'), results[0]);
        },
      );
    });

    describe('tokens', () => {
      test('create stores the hash with the tenant and returns the record', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const record = await store.forTenant('acme').tokens.create({ name: 'ci', tokenHash: sha256('secret') });
        assert.equal(record.tenantId, 'acme');
        assert.equal(record.name, 'ci');
        assert.equal(record.tokenHash, sha256('secret'));
        assert.ok(record.id.length > 0);
        assert.ok(!Number.isNaN(Date.parse(record.createdAt)), 'createdAt is a timestamp');
      });

      test('a token has every scope unless its creator narrows it; its scopes come back from every lookup', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const tokens = store.forTenant('acme').tokens;
        const full = await tokens.create({ name: 'full', tokenHash: sha256('full') });
        const readOnly = await tokens.create({ name: 'agent', tokenHash: sha256('agent'), scopes: ['read'] });
        const reordered = await tokens.create({ name: 'both', tokenHash: sha256('both'), scopes: ['write', 'read', 'write'] });
        assert.deepEqual(full.scopes, ['read', 'write']);
        assert.deepEqual(readOnly.scopes, ['read']);
        assert.deepEqual(reordered.scopes, ['read', 'write']);
        assert.deepEqual((await store.findTokenByHash(sha256('agent')))?.scopes, ['read']);
        assert.deepEqual((await store.findTokenByHash(sha256('full')))?.scopes, ['read', 'write']);
        assert.deepEqual(
          (await tokens.list()).map((token) => token.scopes),
          [['read', 'write'], ['read'], ['read', 'write']],
        );
      });

      test('a token with no scope or an unknown one is refused and not stored', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const tokens = store.forTenant('acme').tokens;
        await rejectsWith(tokens.create({ name: 'none', tokenHash: sha256('none'), scopes: [] }), 'invalid_request', /at least one scope/);
        const unknown = ['admin'] as unknown as ['read'];
        await rejectsWith(tokens.create({ name: 'odd', tokenHash: sha256('odd'), scopes: unknown }), 'invalid_request', /"admin"/);
        assert.deepEqual(await tokens.list(), []);
      });

      test('list returns every token of the tenant, oldest first, even when created in the same instant', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const tokens = store.forTenant('acme').tokens;
        const created = [];
        for (let n = 0; n < 20; n++) created.push(await tokens.create({ name: `token ${n}`, tokenHash: sha256(`secret ${n}`) }));
        assert.deepEqual(await tokens.list(), created);
      });

      test('findTokenByHash finds a token whatever its tenant, and nothing for an unknown hash', async (t) => {
        const { store } = await withTwoTenants(t);
        const a = await store.forTenant('a').tokens.create({ name: 'a', tokenHash: sha256('secret a') });
        const b = await store.forTenant('b').tokens.create({ name: 'b', tokenHash: sha256('secret b') });
        assert.deepEqual(await store.findTokenByHash(sha256('secret a')), a);
        assert.deepEqual(await store.findTokenByHash(sha256('secret b')), b);
        assert.equal(await store.findTokenByHash(sha256('never issued')), undefined);
      });

      test('a revoked token is no longer found nor listed, and revoking it again reports false', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const tokens = store.forTenant('acme').tokens;
        const revoked = await tokens.create({ name: 'old', tokenHash: sha256('old') });
        const kept = await tokens.create({ name: 'new', tokenHash: sha256('new') });
        assert.equal(await tokens.revoke(revoked.id), true);
        assert.equal(await store.findTokenByHash(sha256('old')), undefined);
        assert.deepEqual(await tokens.list(), [kept]);
        assert.equal(await tokens.revoke(revoked.id), false);
        assert.deepEqual(await store.findTokenByHash(sha256('new')), kept);
      });

      test('revoking an id that was never issued reports false and changes nothing', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const tokens = store.forTenant('acme').tokens;
        const kept = await tokens.create({ name: 'ci', tokenHash: sha256('secret') });
        assert.equal(await tokens.revoke('no-such-token'), false);
        assert.deepEqual(await tokens.list(), [kept]);
      });

      test('a token for a tenant that does not exist is refused and not stored', async (t) => {
        const { store } = await fresh(t);
        // Refusals are awaited as the promises the methods return: a method that threw instead of
        // rejecting would fail the case, since its caller could not catch the failure by awaiting.
        await rejectsWith(store.forTenant('ghost').tokens.create({ name: 'ci', tokenHash: sha256('secret') }), 'not_found', /"ghost"/);
        assert.equal(await store.findTokenByHash(sha256('secret')), undefined);
        assert.deepEqual(await store.forTenant('ghost').tokens.list(), []);
      });

      test(
        'a token hash already issued, to any tenant, is refused, so a presented token names one record',
        needs('uniqueConstraints'),
        async (t) => {
          const { store } = await withTwoTenants(t);
          const first = await store.forTenant('a').tokens.create({ name: 'a', tokenHash: sha256('shared') });
          await assert.rejects(store.forTenant('b').tokens.create({ name: 'b', tokenHash: sha256('shared') }));
          await assert.rejects(store.forTenant('a').tokens.create({ name: 'again', tokenHash: sha256('shared') }));
          assert.deepEqual(await store.findTokenByHash(sha256('shared')), first);
          assert.deepEqual(await store.forTenant('b').tokens.list(), []);
        },
      );

      test("a tenant neither lists nor revokes another tenant's tokens", async (t) => {
        const { store } = await withTwoTenants(t);
        const a = await store.forTenant('a').tokens.create({ name: 'a', tokenHash: sha256('secret a') });
        assert.deepEqual(await store.forTenant('b').tokens.list(), []);
        assert.equal(await store.forTenant('b').tokens.revoke(a.id), false);
        assert.deepEqual(await store.findTokenByHash(sha256('secret a')), a);
        assert.deepEqual(await store.forTenant('a').tokens.list(), [a]);
      });
    });

    describe('projects', () => {
      test('ensure creates a project once and returns the same one on every later call', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const projects = store.forTenant('acme').projects;
        const first = await projects.ensure('shop');
        assert.equal(first.name, 'shop');
        assert.ok(first.id.length > 0);
        assert.deepEqual(await projects.ensure('shop'), first);
        const other = await projects.ensure('billing');
        assert.notEqual(other.id, first.id);
      });

      test('findByName returns an existing project and undefined for an unknown name', async (t) => {
        const { store } = await fresh(t);
        await store.tenants.ensure('acme', 'Acme');
        const projects = store.forTenant('acme').projects;
        const shop = await projects.ensure('shop');
        assert.deepEqual(await projects.findByName('shop'), shop);
        assert.equal(await projects.findByName('Shop'), undefined, 'names are case-sensitive');
        assert.equal(await projects.findByName('billing'), undefined);
      });

      test('a project for a tenant that does not exist is refused and not stored', async (t) => {
        const { store } = await fresh(t);
        await rejectsWith(store.forTenant('ghost').projects.ensure('shop'), 'not_found', /"ghost"/);
        assert.equal(await store.forTenant('ghost').projects.findByName('shop'), undefined);
      });

      test(
        'concurrent ensure of one name, from two stores over the same data, creates exactly one project',
        needs('uniqueConstraints'),
        async (t) => {
          const { store, other } = await twoHandles(t);
          await store.tenants.ensure('acme', 'Acme');
          const results = await Promise.all(
            Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? store : other).forTenant('acme').projects.ensure('shop')),
          );
          for (const result of results) assert.deepEqual(result, results[0]);
          assert.deepEqual(await other.forTenant('acme').projects.findByName('shop'), results[0]);
        },
      );
    });

    describe('files', () => {
      async function project(t: TestContext) {
        const opened = await fresh(t);
        await opened.store.tenants.ensure('acme', 'Acme');
        const tenant = opened.store.forTenant('acme');
        return { ...opened, files: tenant.files, projectId: (await tenant.projects.ensure('shop')).id, tenant };
      }

      test('put stores a file that get returns with its content and hash', async (t) => {
        const { files, projectId } = await project(t);
        const stored = await files.put(projectId, file('src/a.ts', 'export const a = 1;\n'));
        assert.equal(stored.path, 'src/a.ts');
        assert.ok(!Number.isNaN(Date.parse(stored.updatedAt)), 'updatedAt is a timestamp');
        assert.deepEqual(await files.get(projectId, 'src/a.ts'), stored);
        assert.equal(await files.get(projectId, 'src/b.ts'), undefined);
      });

      test('put on an existing path replaces its content and hash, leaving one file', async (t) => {
        const { files, projectId } = await project(t);
        await files.put(projectId, file('a.ts', 'old'));
        await files.put(projectId, file('a.ts', 'new'));
        const current = await files.get(projectId, 'a.ts');
        assert.equal(current?.content, 'new');
        assert.equal(current?.hash, sha256('new'));
        assert.equal((await files.list(projectId)).length, 1);
      });

      test('content round-trips exactly: unicode, a BOM, CRLF and an empty file', async (t) => {
        const { files, projectId } = await project(t);
        const contents = { 'bom.ts': '\uFEFFconst π = "日本";\r\n', 'empty.ts': '', 'emoji.ts': '// 🎉\n' };
        for (const [path, content] of Object.entries(contents)) await files.put(projectId, file(path, content));
        for (const [path, content] of Object.entries(contents)) assert.equal((await files.get(projectId, path))?.content, content);
      });

      test('list returns every file of the project once, with its content, and nothing for a project without files', async (t) => {
        const { files, projectId, tenant } = await project(t);
        const paths = ['src/b.ts', 'a.ts', 'src/a.ts', 'B.ts', 'src/a/z.ts', 'é.ts'];
        for (const path of paths) await files.put(projectId, file(path, `// ${path}`));
        const listed = await files.list(projectId);
        assert.deepEqual(listed.map((f) => `${f.path}=${f.content}`).sort(), paths.map((path) => `${path}=// ${path}`).sort());
        const empty = await tenant.projects.ensure('empty');
        assert.deepEqual(await files.list(empty.id), []);
      });

      test(
        'list orders files by path in code point order: case-sensitive, and astral characters after the rest of the BMP',
        needs('codePointOrder'),
        async (t) => {
          const { files, projectId } = await project(t);
          // 'B' < 'a' < 'é'; U+FF21 (fullwidth A) < U+1F600 (an emoji), although UTF-16 units sort them the other way.
          const paths = ['src/b.ts', 'a.ts', 'src/a.ts', 'B.ts', 'src/a/z.ts', 'é.ts', '\uFF21.ts', '\u{1F600}.ts', 'src-a.ts'];
          for (const path of paths) await files.put(projectId, file(path, `// ${path}`));
          const listed = await files.list(projectId);
          const expected = [...paths].sort(byCodePoint);
          assert.deepEqual(
            listed.map((f) => f.path),
            expected,
          );
          assert.deepEqual(
            listed.map((f) => f.content),
            expected.map((path) => `// ${path}`),
          );
        },
      );

      test('remove deletes a file and reports whether it existed', async (t) => {
        const { files, projectId } = await project(t);
        await files.put(projectId, file('a.ts', 'a'));
        await files.put(projectId, file('b.ts', 'b'));
        assert.equal(await files.remove(projectId, 'a.ts'), true);
        assert.equal(await files.get(projectId, 'a.ts'), undefined);
        assert.equal(await files.remove(projectId, 'a.ts'), false);
        assert.deepEqual(
          (await files.list(projectId)).map((f) => f.path),
          ['b.ts'],
        );
      });

      test(
        'concurrent puts of one path, from two stores over the same data, leave exactly one file',
        needs('uniqueConstraints'),
        async (t) => {
          const { store, other } = await twoHandles(t);
          await store.tenants.ensure('acme', 'Acme');
          const projectId = (await store.forTenant('acme').projects.ensure('shop')).id;
          const contents = Array.from({ length: 10 }, (_, n) => `version ${n}`);
          await Promise.all(
            contents.map((content, n) => (n % 2 === 0 ? store : other).forTenant('acme').files.put(projectId, file('a.ts', content))),
          );
          const listed = await other.forTenant('acme').files.list(projectId);
          assert.equal(listed.length, 1);
          assert.ok(contents.includes(listed[0]?.content ?? ''), 'the file holds one of the versions put');
          assert.equal(listed[0]?.hash, sha256(listed[0]?.content ?? ''), 'its hash matches its content: no mix of two puts');
        },
      );

      test('two projects of one tenant keep separate files at the same path', async (t) => {
        const { files, projectId, tenant } = await project(t);
        const billing = (await tenant.projects.ensure('billing')).id;
        await files.put(projectId, file('a.ts', 'shop'));
        await files.put(billing, file('a.ts', 'billing'));
        assert.equal((await files.get(projectId, 'a.ts'))?.content, 'shop');
        assert.equal((await files.get(billing, 'a.ts'))?.content, 'billing');
        await files.remove(billing, 'a.ts');
        assert.equal((await files.get(projectId, 'a.ts'))?.content, 'shop');
      });
    });

    describe('tenant isolation', () => {
      test("the same project name and path under two tenants hold different content, and neither handle sees the other's", async (t) => {
        const { store } = await withTwoTenants(t);
        const a = store.forTenant('a');
        const b = store.forTenant('b');
        const projectA = await a.projects.ensure('shop');
        const projectB = await b.projects.ensure('shop');
        assert.notEqual(projectA.id, projectB.id, 'each tenant gets its own project');
        await a.files.put(projectA.id, file('src/a.ts', 'content of A'));
        await b.files.put(projectB.id, file('src/a.ts', 'content of B'));

        assert.equal((await a.files.get(projectA.id, 'src/a.ts'))?.content, 'content of A');
        assert.equal((await b.files.get(projectB.id, 'src/a.ts'))?.content, 'content of B');
        assert.deepEqual(
          (await a.files.list(projectA.id)).map((f) => f.content),
          ['content of A'],
        );
        assert.deepEqual(
          (await b.files.list(projectB.id)).map((f) => f.content),
          ['content of B'],
        );
        assert.deepEqual(await a.projects.findByName('shop'), projectA);
        assert.deepEqual(await b.projects.findByName('shop'), projectB);
      });

      test("a handle given another tenant's project id reads, lists and removes nothing of it", async (t) => {
        const { store } = await withTwoTenants(t);
        const a = store.forTenant('a');
        const b = store.forTenant('b');
        const projectB = await b.projects.ensure('secret');
        await b.files.put(projectB.id, file('key.ts', 'the secret'));

        assert.equal(await a.projects.findByName('secret'), undefined);
        assert.equal(await a.files.get(projectB.id, 'key.ts'), undefined);
        assert.deepEqual(await a.files.list(projectB.id), []);
        assert.equal(await a.files.remove(projectB.id, 'key.ts'), false);
        assert.equal((await b.files.get(projectB.id, 'key.ts'))?.content, 'the secret');
      });

      test("a handle given another tenant's project id, or an unknown one, cannot put a file there", async (t) => {
        const { store } = await withTwoTenants(t);
        const a = store.forTenant('a');
        const b = store.forTenant('b');
        const projectB = await b.projects.ensure('secret');
        await b.files.put(projectB.id, file('key.ts', 'the secret'));

        await assert.rejects(a.files.put(projectB.id, file('key.ts', 'overwritten by A')));
        await assert.rejects(a.files.put(projectB.id, file('new.ts', 'planted by A')));
        await assert.rejects(a.files.put('no-such-project', file('a.ts', 'orphan')));
        assert.deepEqual(
          (await b.files.list(projectB.id)).map((f) => [f.path, f.content]),
          [['key.ts', 'the secret']],
        );
        assert.deepEqual(await a.files.list(projectB.id), []);
        assert.deepEqual(await a.files.list('no-such-project'), []);
      });
    });

    projectsContract(kit);
    fileChangesContract(kit);
    indexInputsContract(kit);
    analysesContract(kit);
    suppressionsContract(kit);

    describe('durability', () => {
      test('tenants, tokens, projects and files survive closing and reopening the store', async (t) => {
        const { store, reopen } = await fresh(t);
        if (!reopen) {
          t.skip(`${adapterName} does not persist`);
          return;
        }
        const tenant = await store.tenants.ensure('acme', 'Acme');
        const token = await store.forTenant('acme').tokens.create({ name: 'ci', tokenHash: sha256('secret') });
        const project = await store.forTenant('acme').projects.ensure('shop');
        const stored = await store.forTenant('acme').files.put(project.id, file('src/a.ts', 'kept'));
        await store.close();

        const again = await reopen();
        assert.deepEqual(await again.tenants.get('acme'), tenant);
        assert.deepEqual(await again.findTokenByHash(sha256('secret')), token);
        assert.deepEqual(await again.forTenant('acme').tokens.list(), [token]);
        assert.deepEqual(await again.forTenant('acme').projects.findByName('shop'), project);
        assert.deepEqual(await again.forTenant('acme').files.list(project.id), [stored]);
      });

      test('revisions, the change log, records and analyses survive closing and reopening the store', async (t) => {
        const { store, reopen } = await fresh(t);
        if (!reopen) {
          t.skip(`${adapterName} does not persist`);
          return;
        }
        await store.tenants.ensure('acme', 'Acme');
        const tenant = store.forTenant('acme');
        const project = await tenant.projects.create('shop');
        const bytes = Uint8Array.from([0, 255, 1, 254]);
        await tenant.files.apply(project.id, { writes: [file('a.ts', 'a', { key: 'k', bytes }), file('b.ts', 'b')], removes: [] });
        await tenant.files.remove(project.id, 'b.ts');
        const analysis = await tenant.analyses.create(project.id, { revision: 2, filesTotal: 1, shardsTotal: 2 });
        const shard = await tenant.analyses.completeShard(analysis.id, 1, 1);
        const changes = await tenant.files.changesSince(project.id, 0);
        await store.close();

        const again = (await reopen()).forTenant('acme');
        assert.equal(await again.files.revision(project.id), 2);
        assert.deepEqual(await again.files.changesSince(project.id, 0), changes);
        assert.deepEqual(await again.files.indexInputs(project.id, 'k', undefined, 10), [
          { path: 'a.ts', hash: sha256('a'), record: bytes },
        ]);
        assert.deepEqual(await again.analyses.get(analysis.id), shard?.record);
        assert.equal((await again.analyses.completeShard(analysis.id, 1, 1))?.counted, false, 'the shard is still known as done');
      });
    });
  });
}
