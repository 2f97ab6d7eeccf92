/*
 * Where the MongoDB tests find a server, shared by mongo-store.test.ts (contract, schema, openStore)
 * and mongo-changes.test.ts (version 2 and changes without transactions).
 *
 * MongoDB itself cannot run on our machines (no Debian package; mongodb-memory-server downloads its
 * binaries and fails), so each suite runs against:
 *  (a) a real MongoDB, wherever AUXIL_TEST_MONGODB_URI points at one (docs/stores.md says how), and
 *  (b) CongoDB (@push.rocks/smartmongo 2.2.0), a STAND-IN that speaks MongoDB's wire protocol, started
 *      in the test process on 127.0.0.1. It is not MongoDB: it catches wrong driver usage on the wire,
 *      but it enforces no unique index, sorts strings by locale and has no transactions, so the cases
 *      that depend on those are skipped against it, each with its reason. Only (a) proves the adapter
 *      on MongoDB.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, type TestContext } from 'node:test';
// The package root also loads smartdata and mongodb-memory-server (which print debug lines when
// imported); the stand-in server alone is this module. The package has no exports map and its
// version is pinned, so the path is stable.
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/server/CongoServer.js';
import { MongoClient } from 'mongodb';
import type { MigrateOptions } from '../../src/store/mongodb/migrations.js';
import { MongoStore } from '../../src/store/mongodb/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import type { ContractOptions } from '../store-contract.js';

/** Where a suite finds its server: a real MongoDB or the stand-in. */
export interface Backend {
  readonly label: string;
  readonly uri: () => Promise<string>;
  readonly lacks: ContractOptions['lacks'];
  readonly largeBatch?: ContractOptions['largeBatch'];
  /** Whether the MongoDB validator refuses documents (the stand-in stores them anyway). */
  readonly validates: boolean;
}

const STAND_IN_LACKS = {
  uniqueConstraints:
    'CongoDB (the stand-in for MongoDB, which cannot run here) does not enforce unique indexes: it stores a duplicate key, and a ' +
    'concurrent case would pass only because it runs one command at a time, which proves nothing about MongoDB. ' +
    'Run with AUXIL_TEST_MONGODB_URI for the real check',
  codePointOrder:
    "CongoDB (the stand-in for MongoDB, which cannot run here) sorts strings with localeCompare, not MongoDB's binary " +
    '(UTF-8 byte) order. Run with AUXIL_TEST_MONGODB_URI for the real check',
  atomicChanges:
    'CongoDB (the stand-in for MongoDB, which cannot run here) has no transactions, so a change that fails midway keeps the ' +
    'writes before the failure (the adapter then repairs and publishes the change log, which mongo-changes.test.ts checks). ' +
    'Run with AUXIL_TEST_MONGODB_URI pointing at a replica set for the real check',
} satisfies ContractOptions['lacks'];

/**
 * The stand-in handles about one write a millisecond (an apply of 1,500 files took it 5 s), so the
 * large-change case writes fewer files on it: still more than one of the adapter's 1,000-operation
 * batches, which is what can go wrong there.
 */
const STAND_IN_BATCH: ContractOptions['largeBatch'] = {
  files: 1_100,
  why: 'not 50,000: CongoDB, the stand-in, writes about one document a millisecond; 1,100 still spans two of the adapter’s 1,000-write batches',
};

/**
 * The stand-in accepts transactions but applies each write at once and never rolls back, so with
 * transactions forced on it, concurrent changes are not isolated either.
 */
export const FORCED_TRANSACTIONS_LACK =
  'transactions are forced on CongoDB, the stand-in, which accepts them but isolates nothing: concurrent changes interleave. ' +
  'The default run (write locks, as on a standalone server) and a real replica set check this';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('the port probe has no TCP address');
  return address.port;
}

/**
 * Starts the stand-in on a free port. CongoServer cannot report the port it got from `listen(0)`,
 * so a probe picks one first; if another process takes it in between, try another.
 */
async function startStandIn(): Promise<{ server: CongoServer; uri: string }> {
  for (let attempt = 1; ; attempt++) {
    const server = new CongoServer({ host: '127.0.0.1', port: await freePort() });
    try {
      await server.start();
      return { server, uri: server.getConnectionUri() };
    } catch (error) {
      if (attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

// One stand-in per test file, started by the first test that needs it and stopped at the end.
let standIn: Promise<{ server: CongoServer; uri: string }> | undefined;
after(async () => {
  if (standIn) await (await standIn).server.stop();
});

export const standInBackend: Backend = {
  label: 'CongoDB stand-in (not MongoDB)',
  uri: async () => (await (standIn ??= startStandIn())).uri,
  lacks: STAND_IN_LACKS,
  largeBatch: STAND_IN_BATCH,
  validates: false,
};

const realUri = process.env.AUXIL_TEST_MONGODB_URI;
export const REAL_SKIP =
  'AUXIL_TEST_MONGODB_URI is not set: no MongoDB can run on this machine. Point it at a real server to run this suite (docs/stores.md)';

/** Whether a server runs transactions: only a replica set or a sharded cluster does. */
export async function runsTransactions(uri: string): Promise<boolean> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    const hello = await client.db('admin').command({ hello: 1 });
    return typeof hello['setName'] === 'string' || hello['msg'] === 'isdbgrid';
  } finally {
    await client.close();
  }
}

export const realBackend: Backend | undefined = realUri
  ? {
      label: 'real MongoDB at AUXIL_TEST_MONGODB_URI',
      uri: () => Promise.resolve(realUri),
      lacks: (await runsTransactions(realUri))
        ? {}
        : {
            atomicChanges:
              'the server at AUXIL_TEST_MONGODB_URI is standalone, which runs no transactions, so a change that fails midway is ' +
              'not rolled back. Point it at a replica set (a one-member one will do) for this check',
          },
      validates: true,
    }
  : undefined;

export const uniqueDatabaseName = (): string => `auxil_test_${randomBytes(8).toString('hex')}`;

export async function dropDatabase(uri: string, name: string): Promise<void> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/** A fresh database for one test: stores opened on it are closed, and it is dropped, when the test ends. */
export async function testDatabase(t: TestContext, backend: Backend) {
  const uri = await backend.uri();
  const databaseName = uniqueDatabaseName();
  const raw = new MongoClient(uri);
  await raw.connect();
  const stores: Store[] = [];
  t.after(async () => {
    for (const store of stores) await store.close();
    await raw.db(databaseName).dropDatabase();
    await raw.close();
  });
  return {
    /** The database as the driver sees it, to inspect or plant what the adapter would not write. */
    db: raw.db(databaseName),
    /** Opens a store on the database; `transactions` forces the adapter's way of writing changes. */
    open: async (migration?: MigrateOptions, transactions?: boolean): Promise<MongoStore> => {
      const store = await MongoStore.open(uri, { databaseName, migration, ...(transactions !== undefined && { transactions }) });
      stores.push(store);
      return store;
    },
  };
}
