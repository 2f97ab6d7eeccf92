import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { AuxilError } from '../src/errors.js';
import { migrations } from '../src/store/sqlite/migrations.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { storeContract } from './store-contract.js';
import { file as fileOf, sha256 } from './store/contract/contract-kit.js';
import type { RaceResult, RaceWork } from './store/sqlite-race-worker.js';

async function tempDatabase(): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'auxil-sqlite-'));
  return { file: join(dir, 'nested', 'auxil.db'), remove: () => rm(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

function userVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Adds triggers that make SQLite refuse any insert or update of a file at `path`, as a failing disk or constraint would. */
function refuseFileWrites(file: string, path: string): Promise<void> {
  const db = new Database(file);
  try {
    const literal = `'${path.replaceAll("'", "''")}'`;
    for (const event of ['INSERT', 'UPDATE']) {
      db.exec(
        `CREATE TRIGGER refuse_${event.toLowerCase()} BEFORE ${event} ON files WHEN NEW.path = ${literal}
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
      );
    }
  } finally {
    db.close();
  }
  return Promise.resolve();
}

storeContract('SQLite', async () => {
  const { file, remove } = await tempDatabase();
  const opened: Store[] = [SqliteStore.open(file)];
  return {
    store: opened[0] as Store,
    reopen: () => {
      const store = SqliteStore.open(file);
      opened.push(store);
      return Promise.resolve(store);
    },
    refuseFileWrites: (path) => refuseFileWrites(file, path),
    cleanup: async () => {
      for (const store of opened) await store.close();
      await remove();
    },
  };
});

describe('SQLite store schema', () => {
  async function database(t: TestContext): Promise<string> {
    const { file, remove } = await tempDatabase();
    t.after(remove);
    return file;
  }

  test('a new database gets every migration, recorded in user_version', async (t) => {
    const file = await database(t);
    await SqliteStore.open(file).close();
    assert.equal(userVersion(file), migrations.length);
  });

  test('a data folder the store creates is private to its owner (mode 0700): it holds source code', async (t) => {
    const file = await database(t);
    await SqliteStore.open(file).close();
    assert.equal((await stat(dirname(file))).mode & 0o777, 0o700);
  });

  test('reopening an up-to-date database applies no migration twice and keeps its data', async (t) => {
    const file = await database(t);
    const first = SqliteStore.open(file);
    await first.tenants.ensure('acme', 'Acme');
    await first.close();

    // Re-running the first migration would fail on "table tenants already exists".
    const second = SqliteStore.open(file);
    try {
      assert.equal(userVersion(file), migrations.length);
      assert.equal((await second.tenants.get('acme'))?.name, 'Acme');
    } finally {
      await second.close();
    }
  });

  test('a database whose schema is newer than this Auxil refuses to open and says to upgrade', async (t) => {
    const file = await database(t);
    await SqliteStore.open(file).close();
    const newer = migrations.length + 1;
    const db = new Database(file);
    db.pragma(`user_version = ${newer}`);
    db.close();

    assert.throws(
      () => SqliteStore.open(file),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /upgrade Auxil/);
        assert.match(error.message, new RegExp(`schema version ${newer}`));
        return true;
      },
    );
    assert.equal(userVersion(file), newer, 'the refused database is left as it was');
  });
});

/**
 * The race worker is TypeScript: a small ES module registers tsx's loader in the worker thread and
 * then imports it (Node 20 does not apply a parent's `--import tsx` to a worker's own entry module).
 */
const RACE_WORKER = new URL(
  'data:text/javascript,' +
    encodeURIComponent(
      `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); ` +
        `await import(${JSON.stringify(new URL('./store/sqlite-race-worker.ts', import.meta.url).href)});`,
    ),
);

describe('SQLite store, version 2', () => {
  async function database(t: TestContext): Promise<string> {
    const { file, remove } = await tempDatabase();
    t.after(remove);
    return file;
  }

  test('a version-1 database is migrated: its files become revision 1 of their project, with a change entry and a UTF-8 size each', async (t) => {
    const file = await database(t);
    await mkdir(dirname(file), { recursive: true });
    const old = new Database(file);
    old.exec(migrations[0] as string);
    old.pragma('user_version = 1');
    const at = '2024-01-01T00:00:00.000Z';
    old.prepare('INSERT INTO tenants VALUES (?, ?, ?)').run('acme', 'Acme', at);
    old.prepare('INSERT INTO projects VALUES (?, ?, ?, ?)').run('acme', 'p-shop', 'shop', at);
    old.prepare('INSERT INTO projects VALUES (?, ?, ?, ?)').run('acme', 'p-empty', 'empty', at);
    for (const [path, content] of [
      ['a.ts', 'plain'],
      ['é.ts', 'π = "日本" // 🎉'],
    ] as const) {
      old.prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)').run('acme', 'p-shop', path, sha256(content), content, at);
    }
    old.close();

    const store = SqliteStore.open(file);
    t.after(() => store.close());
    assert.equal(userVersion(file), migrations.length);
    const files = store.forTenant('acme').files;
    assert.equal(await files.revision('p-shop'), 1);
    assert.equal(await files.revision('p-empty'), 0);
    assert.deepEqual(await files.changesSince('p-shop', 0), [
      { path: 'a.ts', hash: sha256('plain'), revision: 1 },
      { path: 'é.ts', hash: sha256('π = "日本" // 🎉'), revision: 1 },
    ]);
    assert.deepEqual(
      (await files.manifest('p-shop')).map((entry) => entry.size),
      [5, Buffer.byteLength('π = "日本" // 🎉')],
    );
    assert.equal(await files.content(sha256('plain')), 'plain');
    assert.equal(await files.apply('p-shop', { writes: [fileOf('b.ts', 'new')], removes: ['a.ts'] }), 2);
  });

  test('a version-3 database is migrated to files with their text stored last, keeping every file, record and content', async (t) => {
    const file = await database(t);
    await mkdir(dirname(file), { recursive: true });
    const old = new Database(file);
    for (const sql of migrations.slice(0, 3)) old.exec(sql);
    old.pragma('user_version = 3');
    const at = '2024-01-01T00:00:00.000Z';
    old.prepare('INSERT INTO tenants VALUES (?, ?, ?)').run('acme', 'Acme', at);
    old
      .prepare('INSERT INTO projects (tenant_id, id, name, created_at, revision) VALUES (?, ?, ?, ?, 1)')
      .run('acme', 'p-shop', 'shop', at);
    const insert = old.prepare(
      'INSERT INTO files (tenant_id, project_id, path, hash, content, updated_at, size, record_key, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('acme', 'p-shop', 'a.ts', sha256('plain'), 'plain', at, 5, 'k1', Buffer.from([1, 2, 3]));
    insert.run('acme', 'p-shop', 'b.ts', sha256('other'), 'other', at, 5, null, null);
    old.prepare('INSERT INTO file_changes VALUES (?, ?, ?, ?, ?)').run('acme', 'p-shop', 'a.ts', sha256('plain'), 1);
    old.close();

    const store = SqliteStore.open(file);
    t.after(() => store.close());
    assert.equal(userVersion(file), migrations.length);
    const files = store.forTenant('acme').files;
    assert.deepEqual(await files.manifest('p-shop'), [
      { path: 'a.ts', hash: sha256('plain'), size: 5 },
      { path: 'b.ts', hash: sha256('other'), size: 5 },
    ]);
    const inputs = await files.indexInputs('p-shop', 'k1', undefined, 10);
    assert.deepEqual([...(inputs[0]?.record ?? [])], [1, 2, 3], "a.ts's record is kept");
    assert.equal(inputs[1]?.content, 'other', 'b.ts has no record: its text comes instead');
    assert.equal(await files.content(sha256('plain')), 'plain');
    const reader = new Database(file, { readonly: true });
    const columns = (reader.pragma('table_info(files)') as { name: string }[]).map((c) => c.name);
    reader.close();
    assert.equal(columns.at(-1), 'content', 'the text is the last column');
  });

  test('failures reach the caller as rejected promises, never as exceptions thrown by the call itself', async (t) => {
    const store = SqliteStore.open(await database(t));
    t.after(() => store.close());
    await store.tenants.ensure('acme', 'Acme');
    const tenant = store.forTenant('acme');
    const projectId = (await tenant.projects.create('shop')).id;
    const failing: (() => Promise<unknown>)[] = [
      () => store.forTenant('ghost').tokens.create({ name: 'ci', tokenHash: sha256('secret') }),
      () => store.forTenant('ghost').projects.ensure('shop'),
      () => tenant.projects.create('shop'),
      () => tenant.files.put('no-such-project', fileOf('a.ts', 'a')),
      () => tenant.files.apply(projectId, { writes: [fileOf('a.ts', 'a'), fileOf('a.ts', 'b')], removes: [] }),
      () => tenant.files.indexInputs(projectId, 'k', undefined, -1),
      () => tenant.analyses.create('no-such-project', { revision: 0, filesTotal: 0, shardsTotal: 0 }),
    ];
    for (const call of failing) {
      let pending: Promise<unknown> | undefined;
      assert.doesNotThrow(() => (pending = call()), `${call.toString()} returns a promise`);
      await assert.rejects(pending as Promise<unknown>);
    }
    await assert.rejects(tenant.projects.create('shop'), (error: unknown) => error instanceof AuxilError && error.code === 'conflict');
  });

  test(
    'two threads with their own connections race: each shard is counted once and every change gets its own revision',
    { timeout: 60_000 },
    async (t) => {
      const file = await database(t);
      const setup = SqliteStore.open(file);
      await setup.tenants.ensure('acme', 'Acme');
      const tenant = setup.forTenant('acme');
      const projectId = (await tenant.projects.create('shop')).id;
      const shards = 200;
      const changes = 100;
      const analysisId = (await tenant.analyses.create(projectId, { revision: 0, filesTotal: shards, shardsTotal: shards })).id;
      await setup.close();

      const workers = ['x', 'y'].map((name) => {
        const workerData: RaceWork = { file, name, projectId, analysisId, shards, changes };
        return new Worker(RACE_WORKER, { workerData });
      });
      t.after(() => Promise.all(workers.map((worker) => worker.terminate())));
      const settled = (worker: Worker) =>
        new Promise<RaceResult>((resolve, reject) => {
          worker.once('error', reject);
          worker.on('message', (message: 'ready' | RaceResult) => message !== 'ready' && resolve(message));
        });
      const ready = workers.map((worker) => new Promise<void>((resolve) => worker.once('message', () => resolve())));
      const results = workers.map(settled);
      await Promise.all(ready);
      for (const worker of workers) worker.postMessage('go');
      const [x, y] = (await Promise.all(results)) as [RaceResult, RaceResult];

      // Every shard was reported by both threads; exactly one of the two reports counted.
      for (let shard = 0; shard < shards; shard++) assert.equal(Number(x.counted[shard]) + Number(y.counted[shard]), 1, `shard ${shard}`);
      assert.deepEqual(
        [...x.revisions, ...y.revisions].sort((p, q) => p - q),
        Array.from({ length: 2 * changes }, (_, n) => n + 1),
      );
      const after = SqliteStore.open(file);
      t.after(() => after.close());
      const record = await after.forTenant('acme').analyses.get(analysisId);
      assert.equal(record?.shardsDone, shards);
      assert.equal(record?.filesDone, shards);
      assert.equal((await after.forTenant('acme').files.changesSince(projectId, 0)).length, 2 * changes);
    },
  );
});
