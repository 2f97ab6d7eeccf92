import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { MongoServerError, type AnyBulkWriteOperation, type Db, type IndexDescription } from 'mongodb';
import { AuxilError } from '../../errors.js';
import { VERSION } from '../../version.js';

/**
 * The MongoDB schema, versioned like the SQLite one: the `meta` collection's `schema` document
 * records how many migrations have run, a newer process applies the rest at start, and a process
 * refuses a database whose schema is newer than it knows.
 *
 * MongoDB has no transactional DDL (and the stand-in used by our tests has no working transactions
 * at all), so a step is not atomic with the version bump: a process that dies mid-step leaves it
 * half done, and the next start runs it again. Every step must therefore be safe to re-run. Never
 * edit a published migration: add another.
 */
export interface MongoMigration {
  /** What the step changes, in a sentence: it is logged when the step runs. */
  readonly description: string;
  /** Applies the step; must be safe to run again after a partial run. */
  readonly up: (db: Db) => Promise<void>;
}

/** The collections the adapter uses, named once. */
export const collectionNames = {
  meta: 'meta',
  tenants: 'tenants',
  tokens: 'apiTokens',
  projects: 'projects',
  files: 'files',
  fileRecords: 'fileRecords',
  fileChanges: 'fileChanges',
  analyses: 'analyses',
  analysisParts: 'analysisParts',
  analysisPartChunks: 'analysisPartChunks',
  suppressions: 'suppressions',
} as const;

/**
 * The indexes version 2 introduced. Migration 2 creates them before it backfills (its upserts of
 * change entries rely on the unique one), and `collectionIndexes` declares them like every other.
 */
const version2Indexes: Readonly<Record<'files' | 'fileRecords' | 'fileChanges' | 'analyses', readonly IndexDescription[]>> = {
  // `content` and `missingContents`: a tenant's files by content hash.
  files: [{ key: { tenantId: 1, hash: 1 }, name: 'tenant_hash' }],
  fileRecords: [{ key: { tenantId: 1, projectId: 1, path: 1 }, name: 'tenant_project_path_unique', unique: true }],
  fileChanges: [
    // One entry per path: the change log keeps only each path's latest change.
    { key: { tenantId: 1, projectId: 1, path: 1 }, name: 'tenant_project_path_unique', unique: true },
    // `changesSince`: entries after a revision, ordered by revision, then path.
    { key: { tenantId: 1, projectId: 1, revision: 1, path: 1 }, name: 'tenant_project_revision' },
  ],
  analyses: [
    { key: { tenantId: 1, id: 1 }, name: 'tenant_id_unique', unique: true },
    // `list`, newest first (read backwards), `_id` ordering analyses of the same millisecond.
    { key: { tenantId: 1, projectId: 1, createdAt: 1, _id: 1 }, name: 'tenant_project_created' },
  ],
};

/** Version 3: one suppression per project and class; `list` reads them oldest first. */
const suppressionIndexes: readonly IndexDescription[] = [
  { key: { tenantId: 1, projectId: 1, classId: 1 }, name: 'tenant_project_class_unique', unique: true },
  { key: { tenantId: 1, projectId: 1, createdAt: 1, classId: 1 }, name: 'tenant_project_created' },
];

/** Version 4: the parts of a large analysis's final matching, and their results in chunks. */
const partIndexes: Readonly<Record<'analysisParts' | 'analysisPartChunks', readonly IndexDescription[]>> = {
  analysisParts: [{ key: { tenantId: 1, analysisId: 1, part: 1 }, name: 'tenant_analysis_part_unique', unique: true }],
  analysisPartChunks: [
    { key: { tenantId: 1, analysisId: 1, part: 1, owner: 1, seq: 1 }, name: 'tenant_analysis_part_owner_seq_unique', unique: true },
  ],
};

export const migrations: readonly MongoMigration[] = [
  {
    // A new database is empty: there is nothing to transform. Its indexes are declared in
    // `collectionIndexes` and created at every start, after the migrations.
    description: 'initial layout: tenants, apiTokens, projects and files',
    up: () => Promise.resolve(),
  },
  {
    description: 'revisions and the change log, file sizes, prepared records and analyses',
    up: async (db) => {
      for (const [collection, indexes] of Object.entries(version2Indexes)) {
        await db.collection(collectionNames[collection as keyof typeof version2Indexes]).createIndexes([...indexes]);
      }
      await backfillSizes(db);
      await backfillRevisions(db);
    },
  },
  {
    description: 'clone classes suppressed per project',
    up: async (db) => {
      await db.collection(collectionNames.suppressions).createIndexes([...suppressionIndexes]);
    },
  },
  {
    description: 'parts of the final matching of large analyses, claimed by workers',
    up: async (db) => {
      for (const [collection, indexes] of Object.entries(partIndexes)) {
        await db.collection(collectionNames[collection as keyof typeof partIndexes]).createIndexes([...indexes]);
      }
    },
  },
];

/** Gives every file stored before version 2 its `size`; a re-run finds only the files still without one. */
async function backfillSizes(db: Db): Promise<void> {
  const files = db.collection<{ content: string; size?: number }>(collectionNames.files);
  let batch: AnyBulkWriteOperation<{ content: string; size?: number }>[] = [];
  for await (const file of files.find({ size: { $exists: false } }, { projection: { content: 1 } })) {
    batch.push({ updateOne: { filter: { _id: file._id }, update: { $set: { size: Buffer.byteLength(file.content, 'utf8') } } } });
    if (batch.length >= 1000) {
      await files.bulkWrite(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await files.bulkWrite(batch);
}

/**
 * Gives every project a revision. A project that has files becomes revision 1, with a change entry
 * per file, so every file has a change at or below its project's revision and a process that knew
 * the project at revision 0 (empty) catches up with changesSince(0); one without files starts at 0.
 * The entries are upserts and the revision is set last, so a re-run after a partial run redoes the
 * same entries and finishes.
 */
async function backfillRevisions(db: Db): Promise<void> {
  const projects = db.collection<{ tenantId: string; id: string; revision?: number }>(collectionNames.projects);
  const files = db.collection<{ tenantId: string; projectId: string; path: string; hash: string }>(collectionNames.files);
  const changes = db.collection<{ tenantId: string; projectId: string; path: string; hash: string | null; revision: number }>(
    collectionNames.fileChanges,
  );
  for await (const project of projects.find({ revision: { $exists: false } })) {
    const scope = { tenantId: project.tenantId, projectId: project.id };
    let entries = 0;
    let batch: AnyBulkWriteOperation<{ tenantId: string; projectId: string; path: string; hash: string | null; revision: number }>[] = [];
    for await (const file of files.find(scope, { projection: { path: 1, hash: 1 } })) {
      const entry = { ...scope, path: file.path, hash: file.hash, revision: 1 };
      batch.push({ replaceOne: { filter: { ...scope, path: file.path }, replacement: entry, upsert: true } });
      entries++;
      if (batch.length >= 1000) {
        await changes.bulkWrite(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await changes.bulkWrite(batch);
    await projects.updateOne({ _id: project._id }, { $set: { revision: entries > 0 ? 1 : 0 } });
  }
}

/**
 * The indexes of the current schema, created at every start (creating an index that exists with
 * the same definition is a no-op, also when two processes do it at once). Every index leads with
 * `tenantId`, so each tenant's records are one contiguous range, except the token-hash lookup,
 * which runs before the request's tenant is known. The unique indexes are what make `ensure`,
 * `create` and the first record of a path safe when two processes race: the loser gets a
 * duplicate-key error and retries (or, for `create`, reports the conflict).
 * `_id` is always a driver-generated ObjectId; our own string ids live in `id` or `tenantId`.
 * MongoDB refuses a changed definition under an existing name: to change an index, declare it under
 * a new name and drop the old one in a migration.
 */
export const collectionIndexes: Readonly<Record<string, readonly IndexDescription[]>> = {
  [collectionNames.tenants]: [{ key: { tenantId: 1 }, name: 'tenant_unique', unique: true }],
  [collectionNames.tokens]: [
    { key: { tenantId: 1, id: 1 }, name: 'tenant_id_unique', unique: true },
    // Serves `list`: oldest first, with `_id` breaking ties between tokens of the same millisecond.
    { key: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' },
    // Unique across tenants, so a presented token can only ever name one record.
    { key: { tokenHash: 1 }, name: 'token_hash_unique', unique: true },
  ],
  [collectionNames.projects]: [
    { key: { tenantId: 1, name: 1 }, name: 'tenant_name_unique', unique: true },
    { key: { tenantId: 1, id: 1 }, name: 'tenant_id_unique', unique: true },
  ],
  [collectionNames.files]: [
    // Also serves `list`, `manifest` and `indexInputs`, which return a project's files ordered by path.
    { key: { tenantId: 1, projectId: 1, path: 1 }, name: 'tenant_project_path_unique', unique: true },
    ...version2Indexes.files,
  ],
  [collectionNames.fileRecords]: version2Indexes.fileRecords,
  [collectionNames.fileChanges]: version2Indexes.fileChanges,
  [collectionNames.analyses]: version2Indexes.analyses,
  [collectionNames.suppressions]: suppressionIndexes,
  [collectionNames.analysisParts]: partIndexes.analysisParts,
  [collectionNames.analysisPartChunks]: partIndexes.analysisPartChunks,
};

/** Creates every declared index that does not exist yet. */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [collection, indexes] of Object.entries(collectionIndexes)) {
    await db.collection(collection).createIndexes([...indexes]);
  }
}

/** Something a migrating start reports, for the log (and for tests that need to see the race). */
export type MigrationEvent =
  | { readonly type: 'waiting'; readonly holder: string; readonly expiresAt: string }
  | { readonly type: 'applied'; readonly version: number; readonly description: string };

export interface MigrateOptions {
  /** The schema to reach; production uses `migrations`, tests pass longer or shorter lists. */
  readonly migrations?: readonly MongoMigration[];
  /** How long a lock stays valid without renewal: a holder that dies frees it after this. */
  readonly lockTtlMs?: number;
  /** How often a waiting process looks again at the version and the lock. */
  readonly pollMs?: number;
  /** How long a process waits for another one's migration before giving up with an error. */
  readonly waitTimeoutMs?: number;
  readonly onEvent?: (event: MigrationEvent) => void;
}

const SCHEMA_KEY = 'schema';
const LOCK_KEY = 'migration-lock';

interface SchemaDoc {
  key: typeof SCHEMA_KEY;
  version: number;
  updatedAt: Date;
  /** The Auxil version that recorded this schema version, for whoever debugs a database. */
  appliedBy: string;
}

interface LockDoc {
  key: typeof LOCK_KEY;
  /** Who holds the lock (host, pid and a random id), or null when it is free. */
  owner: string | null;
  expiresAt: Date;
}

const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;

/**
 * A held migration lock. A timer renews it while a step runs, so a long step keeps it; `confirm`
 * checks it is still ours before anything is recorded, so a process that lost it (say, paused for
 * longer than the TTL) does not write a version over the new holder's work.
 */
class MigrationLock {
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {
    this.heartbeat = setInterval(() => void this.renew().catch(() => undefined), Math.max(1, Math.floor(ttlMs / 3)));
    // A pending renewal must not keep a process alive that has nothing else to do.
    this.heartbeat.unref();
  }

  /** Extends the lock; false if another process holds it now. */
  async renew(): Promise<boolean> {
    const result = await this.db
      .collection<LockDoc>(collectionNames.meta)
      .updateOne({ key: LOCK_KEY, owner: this.owner }, { $set: { expiresAt: new Date(Date.now() + this.ttlMs) } });
    return result.matchedCount === 1;
  }

  async confirm(): Promise<void> {
    if (!(await this.renew())) {
      throw new AuxilError(
        'internal',
        `lost the migration lock of MongoDB database ${this.db.databaseName} to another process; restart to retry`,
      );
    }
  }

  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.db
      .collection<LockDoc>(collectionNames.meta)
      .updateOne({ key: LOCK_KEY, owner: this.owner }, { $set: { owner: null, expiresAt: new Date(0) } });
  }
}

/** The lock if it was free (or its holder's lease ran out), else who holds it and until when. */
async function tryLock(db: Db, owner: string, ttlMs: number): Promise<MigrationLock | LockDoc> {
  const locks = db.collection<LockDoc>(collectionNames.meta);
  // The lock document is created once, free; acquiring never inserts, so it never depends on the
  // unique index to keep two processes from both "creating" the lock.
  try {
    await locks.updateOne({ key: LOCK_KEY }, { $setOnInsert: { owner: null, expiresAt: new Date(0) } }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  // Lease times come from each process's clock: clocks must agree to well within the TTL.
  const now = new Date();
  const taken = await locks.findOneAndUpdate(
    { key: LOCK_KEY, $or: [{ owner: null }, { expiresAt: { $lte: now } }] },
    { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
    { returnDocument: 'after' },
  );
  if (taken) return new MigrationLock(db, owner, ttlMs);
  return (await locks.findOne({ key: LOCK_KEY })) ?? { key: LOCK_KEY, owner: 'unknown', expiresAt: now };
}

async function schemaVersion(db: Db): Promise<number> {
  return (await db.collection<SchemaDoc>(collectionNames.meta).findOne({ key: SCHEMA_KEY }))?.version ?? 0;
}

function refuseNewer(db: Db, applied: number, known: number): void {
  if (applied > known) {
    throw new AuxilError(
      'internal',
      `the MongoDB database ${db.databaseName} has schema version ${applied}, newer than this Auxil (${known}); upgrade Auxil`,
    );
  }
}

/** Runs the steps not applied yet, recording each one's version once it is done. */
async function applyPending(db: Db, list: readonly MongoMigration[], lock: MigrationLock, options: MigrateOptions): Promise<void> {
  // Re-read under the lock: another process may have finished between our first look and now.
  const applied = await schemaVersion(db);
  refuseNewer(db, applied, list.length);
  for (let version = applied + 1; version <= list.length; version++) {
    const step = list[version - 1] as MongoMigration;
    await step.up(db);
    await lock.confirm();
    await db
      .collection<SchemaDoc>(collectionNames.meta)
      .updateOne({ key: SCHEMA_KEY }, { $set: { version, updatedAt: new Date(), appliedBy: VERSION } }, { upsert: true });
    options.onEvent?.({ type: 'applied', version, description: step.description });
  }
}

/**
 * Brings the database's schema up to date, safely when several processes start at once: one takes
 * the lock document and migrates, the others wait until the version is current (or the holder's
 * lease expires, and one of them takes over). Returns the version the database is at.
 */
export async function migrateSchema(db: Db, options: MigrateOptions = {}): Promise<number> {
  const list = options.migrations ?? migrations;
  const ttlMs = options.lockTtlMs ?? 60_000;
  const pollMs = options.pollMs ?? 250;
  const deadline = Date.now() + (options.waitTimeoutMs ?? 10 * 60_000);
  const owner = `${hostname()}/${process.pid}/${randomUUID()}`;
  const meta = db.collection(collectionNames.meta);
  await meta.createIndex({ key: 1 }, { name: 'key_unique', unique: true });

  for (;;) {
    const applied = await schemaVersion(db);
    refuseNewer(db, applied, list.length);
    if (applied === list.length) return applied;

    const lock = await tryLock(db, owner, ttlMs);
    if (lock instanceof MigrationLock) {
      try {
        await applyPending(db, list, lock, options);
      } finally {
        await lock.release();
      }
      return list.length;
    }
    if (Date.now() >= deadline) {
      throw new AuxilError(
        'internal',
        `gave up waiting for the migration of MongoDB database ${db.databaseName}: ${lock.owner ?? 'another process'} holds its lock ` +
          `until ${lock.expiresAt.toISOString()} (a lock whose holder died frees itself then)`,
      );
    }
    options.onEvent?.({ type: 'waiting', holder: lock.owner ?? 'unknown', expiresAt: lock.expiresAt.toISOString() });
    await delay(pollMs);
  }
}
