import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { RedisBackend } from '@agendajs/redis-backend';
import type { Agenda, AgendaBackend } from 'agenda';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { databaseNameOf } from '../../store/mongodb/mongo-store.js';
import { QueueError, type JsonValue } from '../job-queue.js';

/** The servers Agenda can keep jobs in. */
export type AgendaStoreKind = 'mongodb' | 'postgres' | 'redis';

/** What an Agenda job's `data` holds. */
export interface StoredJobData {
  readonly payload: JsonValue;
  readonly key?: string;
}

/**
 * One connected Agenda backend plus what Agenda does not offer safely for it: an atomic
 * "insert unless this key exists", and the shape of a valid job id.
 */
export interface AgendaStore {
  readonly kind: AgendaStoreKind;
  /** The official backend, connected, its notification channel (if any) connected too. */
  readonly backend: AgendaBackend;
  /** Whether `id` could name a job here: a malformed id would make the driver throw. */
  isJobId(id: string): boolean;
  /** Inserts the job unless a job of this name already has its key; returns the job's id either way. */
  insertKeyed(agenda: Agenda, name: string, data: StoredJobData & { key: string }): Promise<string>;
  /** Closes the notification channel and every connection. */
  close(): Promise<void>;
}

export interface AgendaStoreOptions {
  readonly url: string;
  /** Table, collection, key prefix and channel names all derive from it. */
  readonly namespace: string;
  readonly onError: (error: Error) => void;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const connectTimeoutMs = 10_000;

export async function connectAgendaStore(kind: AgendaStoreKind, options: AgendaStoreOptions): Promise<AgendaStore> {
  const connect = { mongodb: connectMongo, postgres: connectPostgres, redis: connectRedis }[kind];
  try {
    return await connect(options);
  } catch (error) {
    if (error instanceof QueueError) throw error;
    // The URL may carry a password: name the kind of server, never the URL.
    throw new QueueError('queue_unreachable', `could not connect to the ${kind} queue server: ${describe(error)}`, { cause: error });
  }
}

/** Connects the notification channel so that this process's enqueues wake workers at once, started or not. */
async function connectChannel(backend: AgendaBackend, onError: (error: Error) => void): Promise<void> {
  const channel = backend.notificationChannel;
  if (!channel) return;
  channel.on('error', onError);
  await channel.connect();
}

async function connectPostgres({ url, namespace, onError }: AgendaStoreOptions): Promise<AgendaStore> {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  // An idle client losing its connection emits 'error'; unheard, it would crash the process.
  pool.on('error', onError);
  // Agenda creates its log table on connect even with logging off; naming it per namespace keeps
  // that creation under the namespace's schema lock below.
  const backend = new PostgresBackend({ pool, tableName: namespace, channelName: namespace, logTableName: `${namespace}_logs` });
  try {
    // Two processes creating the same table at once collide (CREATE TABLE IF NOT EXISTS fails with
    // a duplicate key in pg_type), so schema creation is serialised across processes.
    await withAdvisoryLock(pool, `auxil-queue-schema:${namespace}`, async () => {
      await backend.connect();
      // Agenda's own unique check is a SELECT then an INSERT; this index makes the pair atomic.
      await pool.query(`CREATE UNIQUE INDEX IF NOT EXISTS "${namespace}_key_idx" ON "${namespace}" (name, (data->>'key'))`);
    });
    await connectChannel(backend, onError);
  } catch (error) {
    await backend.notificationChannel?.disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
  return {
    kind: 'postgres',
    backend,
    isJobId: (id) => uuidPattern.test(id),
    insertKeyed: (agenda, name, data) => insertWithUniqueIndex(agenda, name, data, (error) => errorCode(error) === '23505'),
    close: async () => {
      await backend.notificationChannel?.disconnect();
      await pool.end();
    },
  };
}

async function withAdvisoryLock(pool: pg.Pool, name: string, work: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  } finally {
    client.release();
  }
}

async function connectMongo({ url, namespace }: AgendaStoreOptions): Promise<AgendaStore> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: connectTimeoutMs });
  try {
    await client.connect();
    // The same database the store would use for this URL: the one it names, else "auxil".
    const db = client.db(databaseNameOf(url) ?? 'auxil');
    const backend = new MongoBackend({ mongo: db, collection: namespace });
    await backend.connect();
    // Makes Agenda's unique upsert atomic: concurrent upserts of one key cannot both insert.
    await db
      .collection(namespace)
      .createIndex(
        { name: 1, 'data.key': 1 },
        { name: 'auxil_key', unique: true, partialFilterExpression: { 'data.key': { $type: 'string' } } },
      );
    return {
      kind: 'mongodb',
      backend,
      isJobId: (id) => /^[0-9a-f]{24}$/i.test(id),
      insertKeyed: (agenda, name, data) => insertWithUniqueIndex(agenda, name, data, (error) => errorCode(error) === 11000),
      close: () => client.close(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Agenda's unique insert, made safe by the store's unique index: when another process inserted the
 * same key between Agenda's check and its insert, the insert fails and the second try finds that job.
 */
async function insertWithUniqueIndex(
  agenda: Agenda,
  name: string,
  data: StoredJobData & { key: string },
  isDuplicate: (error: unknown) => boolean,
): Promise<string> {
  const save = async () => {
    const job = await agenda.create(name, data).schedule(new Date()).unique({ 'data.key': data.key }, { insertOnly: true }).save();
    return String(job.attrs._id);
  };
  try {
    return await save();
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    return save();
  }
}

async function connectRedis({ url, namespace, onError }: AgendaStoreOptions): Promise<AgendaStore> {
  // lazyConnect makes a refused connection reject connect() instead of retrying forever in the background.
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: connectTimeoutMs, maxRetriesPerRequest: 3 });
  redis.on('error', onError);
  const prefix = `${namespace}:`;
  const backend = new RedisBackend({ redis, keyPrefix: prefix, channelName: `${namespace}:notifications` });
  try {
    await redis.connect();
    await backend.connect();
    await connectChannel(backend, onError);
  } catch (error) {
    await backend.notificationChannel?.disconnect().catch(() => undefined);
    redis.disconnect();
    throw error;
  }
  return {
    kind: 'redis',
    backend,
    isJobId: (id) => uuidPattern.test(id),
    insertKeyed: (agenda, name, data) => insertKeyedInRedis(redis, prefix, agenda, name, data),
    close: async () => {
      await backend.notificationChannel?.disconnect();
      await redis.quit();
    },
  };
}

/** How long a claimed key may stay without its job id before another process may claim it again. */
const claimTtlMs = 30_000;
const claimPollMs = 25;
const bindClaimScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;

/**
 * Agenda's Redis backend checks uniqueness by reading every job of the name, which is neither atomic
 * nor cheap, so keys get their own Redis entries: a process claims the key (SET NX, with an expiry
 * in case it dies), inserts the job, then binds the key to the job's id. Others wait for the binding.
 */
async function insertKeyedInRedis(
  redis: Redis,
  prefix: string,
  agenda: Agenda,
  name: string,
  data: StoredJobData & { key: string },
): Promise<string> {
  const entry = `${prefix}keys:${name.length}:${name}:${data.key}`;
  const deadline = Date.now() + 2 * claimTtlMs;
  while (Date.now() < deadline) {
    const bound = await redis.get(entry);
    if (bound !== null && !bound.startsWith('claim:')) return bound;
    if (bound === null) {
      const claim = `claim:${randomUUID()}`;
      if ((await redis.set(entry, claim, 'PX', claimTtlMs, 'NX')) === 'OK') {
        const job = await agenda.create(name, data).schedule(new Date()).save();
        const id = String(job.attrs._id);
        if ((await redis.eval(bindClaimScript, 1, entry, claim, id)) === 1) return id;
        // The claim expired before the insert finished and another process owns the key now.
        await job.remove();
      }
      continue;
    }
    await sleep(claimPollMs);
  }
  throw new QueueError(
    'queue_unreachable',
    `the idempotency key of a "${name}" job stayed claimed by another process for ${2 * claimTtlMs} ms`,
  );
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}
