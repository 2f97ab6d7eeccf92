/*
 * The MongoDB adapter against the Store contract, its schema migrations, and `openStore`, on a real
 * MongoDB where AUXIL_TEST_MONGODB_URI is set and on the CongoDB stand-in (mongo-harness.ts says
 * what the stand-in is and is not). Every test works in a database of its own and drops it afterwards.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { AuxilError } from '../../src/errors.js';
import {
  collectionIndexes,
  collectionNames,
  migrations,
  type MigrateOptions,
  type MongoMigration,
} from '../../src/store/mongodb/migrations.js';
import { databaseNameOf, MongoStore } from '../../src/store/mongodb/mongo-store.js';
import { openStore, parseStoreUrl } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { storeContract, type ContractOptions, type OpenedStore } from '../store-contract.js';
import {
  dropDatabase,
  FORCED_TRANSACTIONS_LACK,
  REAL_SKIP,
  realBackend,
  standInBackend,
  testDatabase,
  uniqueDatabaseName,
  type Backend,
} from './mongo-harness.js';

/** Makes the server refuse, from now on, any file document at `path`: a collection validator. */
async function refuseFileWrites(uri: string, databaseName: string, path: string): Promise<void> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    await client
      .db(databaseName)
      .command({ collMod: collectionNames.files, validator: { path: { $ne: path } }, validationAction: 'error' });
  } finally {
    await client.close();
  }
}

/**
 * The contract against a backend; `transactions` forces the adapter's choice (by default it asks
 * the server), so both ways of writing a change run on the wire.
 */
function contractAgainst(backend: Backend, forced: { transactions?: boolean; lacks?: ContractOptions['lacks'] } = {}): void {
  const mode = forced.transactions === undefined ? '' : forced.transactions ? ', transactions forced' : ', write locks forced';
  storeContract(
    `MongoDB, ${backend.label}${mode}`,
    async (): Promise<OpenedStore> => {
      const uri = await backend.uri();
      const databaseName = uniqueDatabaseName();
      const options = { databaseName, ...(forced.transactions !== undefined && { transactions: forced.transactions }) };
      const opened: Store[] = [await MongoStore.open(uri, options)];
      return {
        store: opened[0] as Store,
        reopen: async () => {
          const store = await MongoStore.open(uri, options);
          opened.push(store);
          return store;
        },
        ...(backend.validates && { refuseFileWrites: (path: string) => refuseFileWrites(uri, databaseName, path) }),
        cleanup: async () => {
          for (const store of opened) await store.close();
          await dropDatabase(uri, databaseName);
        },
      };
    },
    { lacks: { ...backend.lacks, ...forced.lacks }, ...(backend.largeBatch && { largeBatch: backend.largeBatch }) },
  );
}

const schemaVersion = async (db: Db): Promise<number | undefined> =>
  (await db.collection(collectionNames.meta).findOne({ key: 'schema' }))?.['version'] as number | undefined;

const LOCK = 'migration-lock';

/** An index as the server lists it. */
interface ListedIndex {
  readonly name: string;
  readonly key: Record<string, unknown>;
  readonly unique?: boolean;
}

function schemaAgainst(backend: Backend): void {
  describe(`MongoDB store schema, ${backend.label}`, () => {
    test('a new database gets every migration, recorded in its meta document, and the declared indexes', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      await open();
      assert.equal(await schemaVersion(db), migrations.length);
      for (const [collection, declared] of Object.entries(collectionIndexes)) {
        // The driver types listIndexes' documents as `any`; these are the fields the server documents.
        const existing = (await db.collection(collection).listIndexes().toArray()) as ListedIndex[];
        for (const index of declared) {
          const found = existing.find((candidate) => candidate.name === index.name);
          assert.deepEqual(found?.key, index.key, `${collection}.${index.name} exists with its keys`);
          assert.equal(found?.unique === true, index.unique === true, `${collection}.${index.name} is unique as declared`);
        }
      }
      assert.equal((await db.collection(collectionNames.meta).findOne({ key: LOCK }))?.['owner'], null, 'the lock is released');
    });

    test('reopening an up-to-date database runs no migration again and keeps its data', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      let runs = 0;
      const counted: MongoMigration[] = [
        {
          description: 'counts its runs',
          up: () => {
            runs++;
            return Promise.resolve();
          },
        },
      ];
      const first = await open({ migrations: counted });
      await first.tenants.ensure('acme', 'Acme');
      await first.close();

      const second = await open({ migrations: counted });
      assert.equal(runs, 1);
      assert.equal(await schemaVersion(db), 1);
      assert.equal((await second.tenants.get('acme'))?.name, 'Acme');
    });

    test('a database at an older schema is migrated at start: only the pending step runs, and its version is recorded', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      const old = await open();
      await old.tenants.ensure('acme', 'Acme');
      const shop = await old.forTenant('acme').projects.ensure('shop');
      await old.close();

      const applied: number[] = [];
      const next: MongoMigration = {
        description: 'a later version, for this test: marks every project',
        up: async (database) => {
          await database.collection(collectionNames.projects).updateMany({}, { $set: { marked: true } });
        },
      };
      const upgraded = await open({
        migrations: [...migrations, next],
        onEvent: (event) => void (event.type === 'applied' && applied.push(event.version)),
      });
      assert.deepEqual(applied, [migrations.length + 1]);
      assert.equal(await schemaVersion(db), migrations.length + 1);
      assert.equal((await db.collection(collectionNames.projects).findOne({ tenantId: 'acme', name: 'shop' }))?.['marked'], true);
      assert.deepEqual(await upgraded.forTenant('acme').projects.findByName('shop'), shop);
    });

    test('a database whose schema is newer than this Auxil refuses to open, says to upgrade, and is left as it was', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      await (await open()).close();
      const newer = migrations.length + 1;
      await db.collection(collectionNames.meta).updateOne({ key: 'schema' }, { $set: { version: newer } });

      await assert.rejects(open(), (error: unknown) => {
        assert.ok(error instanceof AuxilError);
        assert.equal(error.code, 'internal');
        assert.match(error.message, new RegExp(`schema version ${newer}, newer than this Auxil \\(${migrations.length}\\)`));
        assert.match(error.message, /upgrade Auxil/);
        return true;
      });
      assert.equal(await schemaVersion(db), newer, 'the refused database is left as it was');
    });

    test(
      'two processes starting at once on an older database: one migrates while the other waits, and the step runs once',
      { timeout: 30_000 },
      async (t) => {
        const { db, open } = await testDatabase(t, backend);
        let runs = 0;
        let otherWaits = (): void => undefined;
        const otherIsWaiting = new Promise<void>((resolve) => (otherWaits = resolve));
        // The step holds the lock until the other start has found it held, so the race is certain.
        const step: MongoMigration = {
          description: 'counts its runs and finishes once the other start is waiting',
          up: async () => {
            runs++;
            await otherIsWaiting;
          },
        };
        const migration: MigrateOptions = {
          migrations: [step],
          pollMs: 10,
          onEvent: (event) => event.type === 'waiting' && otherWaits(),
        };
        const [first, second] = await Promise.all([open(migration), open(migration)]);
        assert.equal(runs, 1);
        assert.equal(await schemaVersion(db), 1);
        await first.tenants.ensure('acme', 'Acme');
        assert.equal((await second.tenants.get('acme'))?.name, 'Acme');
      },
    );

    test('a lock left by a process that died is taken over once its lease has expired', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      await db.collection(collectionNames.meta).insertOne({ key: LOCK, owner: 'gone-host/1/dead', expiresAt: new Date(Date.now() - 1000) });
      await open();
      assert.equal(await schemaVersion(db), migrations.length);
      assert.equal((await db.collection(collectionNames.meta).findOne({ key: LOCK }))?.['owner'], null);
    });

    test('a start that finds the lock held by a live process waits, then gives up naming the holder, and records nothing', async (t) => {
      const { db, open } = await testDatabase(t, backend);
      const holder = 'busy-host/2/alive';
      await db.collection(collectionNames.meta).insertOne({ key: LOCK, owner: holder, expiresAt: new Date(Date.now() + 10 * 60_000) });
      const waited: string[] = [];
      await assert.rejects(
        open({ waitTimeoutMs: 200, pollMs: 20, onEvent: (event) => void (event.type === 'waiting' && waited.push(event.holder)) }),
        (error: unknown) => error instanceof AuxilError && error.message.includes(holder) && /gave up waiting/.test(error.message),
      );
      assert.ok(waited.length > 0 && waited.every((name) => name === holder), 'it waited on the holder before giving up');
      assert.equal(await schemaVersion(db), undefined);
      assert.equal((await db.collection(collectionNames.meta).findOne({ key: LOCK }))?.['owner'], holder, 'the live lock is untouched');
    });
  });
}

test('every index leads with tenantId, except the token-hash lookup that finds a request its tenant', () => {
  for (const [collection, declared] of Object.entries(collectionIndexes)) {
    for (const index of declared) {
      const first = Object.keys(index.key)[0];
      if (index.name === 'token_hash_unique') assert.equal(first, 'tokenHash');
      else assert.equal(first, 'tenantId', `${collection}.${index.name} leads with tenantId`);
    }
  }
});

contractAgainst(standInBackend);
contractAgainst(standInBackend, { transactions: true, lacks: { isolatedChanges: FORCED_TRANSACTIONS_LACK } });
schemaAgainst(standInBackend);
if (realBackend) {
  contractAgainst(realBackend);
  if (!realBackend.lacks?.atomicChanges) contractAgainst(realBackend, { transactions: false });
  schemaAgainst(realBackend);
} else {
  test('Store contract: MongoDB, real server', { skip: REAL_SKIP }, () => undefined);
  test('MongoDB store schema, real server', { skip: REAL_SKIP }, () => undefined);
}

describe('openStore', () => {
  test('a mongodb:// URL opens the MongoDB store on the database the URL names', async (t) => {
    const uri = await standInBackend.uri();
    const databaseName = uniqueDatabaseName();
    t.after(() => dropDatabase(uri, databaseName));
    const store = await openStore(`${uri}/${databaseName}`);
    try {
      await store.tenants.ensure('acme', 'Acme');
    } finally {
      await store.close();
    }
    const raw = new MongoClient(uri);
    try {
      await raw.connect();
      assert.equal(await raw.db(databaseName).collection(collectionNames.tenants).countDocuments({ tenantId: 'acme' }), 1);
    } finally {
      await raw.close();
    }
  });

  test('sqlite:<path> and the plain path open the same SQLite database', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'auxil-open-store-'));
    t.after(() => rm(dir, { recursive: true, force: true, maxRetries: 3 }));
    const file = join(dir, 'auxil.db');
    const viaScheme = await openStore(`sqlite:${file}`);
    await viaScheme.tenants.ensure('acme', 'Acme');
    await viaScheme.close();
    const viaPath = await openStore(file);
    try {
      assert.equal((await viaPath.tenants.get('acme'))?.name, 'Acme');
    } finally {
      await viaPath.close();
    }
  });

  test('URL forms map to their adapter without opening anything', () => {
    assert.deepEqual(parseStoreUrl('sqlite:./data/auxil.db'), { adapter: 'sqlite', path: './data/auxil.db' });
    assert.deepEqual(parseStoreUrl('sqlite::memory:'), { adapter: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseStoreUrl('/var/lib/auxil/auxil.db'), { adapter: 'sqlite', path: '/var/lib/auxil/auxil.db' });
    assert.deepEqual(parseStoreUrl('C:\\data\\auxil.db'), { adapter: 'sqlite', path: 'C:\\data\\auxil.db' });
    const srv = 'mongodb+srv://auxil:pw@cluster.example.net/auxil?retryWrites=true';
    assert.deepEqual(parseStoreUrl(srv), { adapter: 'mongodb', url: srv });
    assert.deepEqual(parseStoreUrl('MONGODB://h/x'), { adapter: 'mongodb', url: 'MONGODB://h/x' });
  });

  test('an unknown or malformed store URL is refused with invalid_request, naming the scheme but never the credentials', async () => {
    for (const [url, expected] of [
      ['postgres://auxil:hunter2@db.internal/auxil', /unsupported scheme "postgres:"/],
      ['mongodb:hunter2@host', /unsupported scheme "mongodb:"/],
      ['sqlite:', /names no file/],
      ['', /is empty/],
    ] as const) {
      await assert.rejects(openStore(url), (error: unknown) => {
        assert.ok(error instanceof AuxilError, `${url} fails with an AuxilError`);
        assert.equal(error.code, 'invalid_request');
        assert.match(error.message, expected);
        assert.match(error.message, /mongodb:\/\/ or mongodb\+srv:\/\//, 'it says which forms work');
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
    }
  });

  test("the database is the one the URL's path names, if any", () => {
    assert.equal(databaseNameOf('mongodb://h1:27017,h2:27018/auxil_prod?replicaSet=rs0'), 'auxil_prod');
    assert.equal(databaseNameOf('mongodb+srv://user:p%40ss@cluster.example.net/team?authSource=admin'), 'team');
    assert.equal(databaseNameOf('mongodb://127.0.0.1:27017'), undefined);
    assert.equal(databaseNameOf('mongodb://127.0.0.1:27017/?directConnection=true'), undefined);
  });
});
