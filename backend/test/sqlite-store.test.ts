import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { migrations } from '../src/store/sqlite/migrations.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { storeContract } from './store-contract.js';

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
