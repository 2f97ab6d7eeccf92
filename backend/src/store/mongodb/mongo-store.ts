import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { AuxilError } from '../../errors.js';
import { checkScopes, storedScopes } from '../store-checks.js';
import type {
  ApiTokenRecord,
  Project,
  ProjectRepository,
  Store,
  Tenant,
  TenantDirectory,
  TenantStore,
  TokenRepository,
  TokenScope,
} from '../store.js';
import { collectionNames, ensureIndexes, migrateSchema, type MigrateOptions } from './migrations.js';
import { MongoAnalyses } from './mongo-analyses.js';
import { MongoSuppressions } from './mongo-suppressions.js';
import {
  isDuplicateKey,
  now,
  upserted,
  upsertRacing,
  type Collections,
  type MongoContext,
  type ProjectDoc,
  type TenantDoc,
  type TokenDoc,
} from './mongo-collections.js';
import { MongoFiles } from './mongo-files.js';
import { ProjectWrites } from './mongo-project-writes.js';

// Each mapper copies the interface's fields one by one, so `_id` and `tenantId` stay inside.
const toTenant = (doc: TenantDoc): Tenant => ({ id: doc.tenantId, name: doc.name, createdAt: doc.createdAt });
const toToken = (doc: TokenDoc): ApiTokenRecord => ({
  id: doc.id,
  tenantId: doc.tenantId,
  name: doc.name,
  tokenHash: doc.tokenHash,
  scopes: storedScopes(doc.scopes),
  createdAt: doc.createdAt,
});
const toProject = (doc: Pick<ProjectDoc, 'id' | 'name' | 'createdAt'>): Project => ({
  id: doc.id,
  name: doc.name,
  createdAt: doc.createdAt,
});
const PROJECT_FIELDS = { _id: 0, id: 1, name: 1, createdAt: 1 } as const;

/**
 * Refuses to store a record for a tenant that does not exist, as the SQLite adapter's foreign keys
 * do, so both adapters hold the same data for the same calls.
 */
async function requireTenant(c: Collections, tenantId: string): Promise<void> {
  if (!(await c.tenants.findOne({ tenantId }, { projection: { _id: 1 } }))) {
    throw new AuxilError('not_found', `tenant "${tenantId}" does not exist`);
  }
}

class MongoTokens implements TokenRepository {
  constructor(
    private readonly c: Collections,
    private readonly tenantId: string,
  ) {}

  async create(token: { name: string; tokenHash: string; scopes?: readonly TokenScope[] }): Promise<ApiTokenRecord> {
    const scopes = checkScopes(token.scopes);
    await requireTenant(this.c, this.tenantId);
    const doc: TokenDoc = {
      tenantId: this.tenantId,
      id: randomUUID(),
      name: token.name,
      tokenHash: token.tokenHash,
      scopes,
      createdAt: now(),
    };
    // insertOne adds `_id` to the object it is given: hand it a copy.
    await this.c.tokens.insertOne({ ...doc });
    return toToken(doc);
  }

  async list(): Promise<ApiTokenRecord[]> {
    // ObjectIds from one process increase, so `_id` keeps tokens of the same millisecond in order.
    const docs = await this.c.tokens.find({ tenantId: this.tenantId }).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map(toToken);
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.c.tokens.deleteOne({ tenantId: this.tenantId, id })).deletedCount > 0;
  }
}

class MongoProjects implements ProjectRepository {
  private readonly c: Collections;

  constructor(
    private readonly ctx: MongoContext,
    private readonly tenantId: string,
  ) {
    this.c = ctx.c;
  }

  async ensure(name: string): Promise<Project> {
    await requireTenant(this.c, this.tenantId);
    const doc = await upsertRacing(() =>
      this.c.projects.findOneAndUpdate(
        { tenantId: this.tenantId, name },
        { $setOnInsert: { id: randomUUID(), createdAt: now(), revision: 0 } },
        { upsert: true, returnDocument: 'after' },
      ),
    );
    return toProject(upserted(doc));
  }

  async create(name: string): Promise<Project> {
    await requireTenant(this.c, this.tenantId);
    const conflict = new AuxilError('conflict', `a project named "${name}" already exists`);
    // The unique index refuses a second project of the name; the look first gives the same answer
    // where no index is enforced (the stand-in the tests use).
    if (await this.c.projects.findOne({ tenantId: this.tenantId, name }, { projection: { _id: 1 } })) throw conflict;
    const doc: ProjectDoc = { tenantId: this.tenantId, id: randomUUID(), name, createdAt: now(), revision: 0 };
    try {
      // insertOne adds `_id` to the object it is given: hand it a copy.
      await this.c.projects.insertOne({ ...doc });
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict;
      throw error;
    }
    return toProject(doc);
  }

  async findByName(name: string): Promise<Project | undefined> {
    const doc = await this.c.projects.findOne({ tenantId: this.tenantId, name }, { projection: PROJECT_FIELDS });
    return doc ? toProject(doc) : undefined;
  }

  async get(id: string): Promise<Project | undefined> {
    const doc = await this.c.projects.findOne({ tenantId: this.tenantId, id }, { projection: PROJECT_FIELDS });
    return doc ? toProject(doc) : undefined;
  }

  async list(): Promise<Project[]> {
    const docs = await this.c.projects.find({ tenantId: this.tenantId }, { projection: PROJECT_FIELDS }).sort({ name: 1 }).toArray();
    return docs.map(toProject);
  }

  remove(id: string): Promise<boolean> {
    return new ProjectWrites(this.ctx, this.tenantId).removeProject(id);
  }
}

/**
 * The database a connection string names in its path (`mongodb://host/<db>?…`), if any. The driver
 * would fall back to "test"; Auxil prefers its own name.
 */
export function databaseNameOf(url: string): string | undefined {
  const afterScheme = url.slice(url.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  if (slash < 0) return undefined;
  const name = decodeURIComponent(afterScheme.slice(slash + 1).split('?')[0] ?? '');
  return name === '' ? undefined : name;
}

export interface MongoStoreOptions {
  /** The database to use; by default the one the URL names, else "auxil". */
  readonly databaseName?: string;
  /** How the schema is migrated at start; the defaults suit production, tests shorten them. */
  readonly migration?: MigrateOptions;
  /**
   * Whether changes run as multi-document transactions. By default they do where the deployment
   * supports them (a replica set or a sharded cluster) and take a per-project write lock elsewhere;
   * tests force each way.
   */
  readonly transactions?: boolean;
}

/** Whether the server is part of a replica set or is a mongos: the deployments that run transactions. */
async function supportsTransactions(db: Db): Promise<boolean> {
  const hello = await db.command({ hello: 1 });
  return typeof hello['setName'] === 'string' || hello['msg'] === 'isdbgrid';
}

/**
 * The distributed store: one MongoDB database shared by every API and worker process. Safe for
 * any number of processes: `ensure` is a single upsert guarded by a unique index, and a project's
 * changes are transactions (or, without them, take turns under the project's write lock).
 */
export class MongoStore implements Store {
  readonly tenants: TenantDirectory;
  private readonly c: Collections;
  private readonly ctx: MongoContext;

  private constructor(
    private readonly client: MongoClient,
    db: Db,
    transactions: boolean,
  ) {
    const c: Collections = (this.c = {
      tenants: db.collection(collectionNames.tenants),
      tokens: db.collection(collectionNames.tokens),
      projects: db.collection(collectionNames.projects),
      files: db.collection(collectionNames.files),
      fileRecords: db.collection(collectionNames.fileRecords),
      fileChanges: db.collection(collectionNames.fileChanges),
      analyses: db.collection(collectionNames.analyses),
      analysisParts: db.collection(collectionNames.analysisParts),
      analysisPartChunks: db.collection(collectionNames.analysisPartChunks),
      suppressions: db.collection(collectionNames.suppressions),
    });
    this.ctx = { client, c, transactions };
    this.tenants = {
      async ensure(id, name) {
        const doc = await upsertRacing(() =>
          c.tenants.findOneAndUpdate(
            { tenantId: id },
            { $setOnInsert: { name, createdAt: now() } },
            { upsert: true, returnDocument: 'after' },
          ),
        );
        return toTenant(upserted(doc));
      },
      async get(id) {
        const doc = await c.tenants.findOne({ tenantId: id });
        return doc ? toTenant(doc) : undefined;
      },
    };
  }

  /** Connects, brings the schema up to date (waiting for another process's migration) and creates the indexes. */
  static async open(url: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
    const client = new MongoClient(url, { appName: 'auxil' });
    try {
      await client.connect();
      const db = client.db(options.databaseName ?? databaseNameOf(url) ?? 'auxil');
      await migrateSchema(db, options.migration);
      await ensureIndexes(db);
      return new MongoStore(client, db, options.transactions ?? (await supportsTransactions(db)));
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** Whether this store's changes run as transactions (else under per-project write locks). */
  get usesTransactions(): boolean {
    return this.ctx.transactions;
  }

  async findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    // The one query without a tenant: the token is how a request learns its tenant.
    const doc = await this.c.tokens.findOne({ tokenHash });
    return doc ? toToken(doc) : undefined;
  }

  forTenant(tenantId: string): TenantStore {
    return {
      tenantId,
      tokens: new MongoTokens(this.c, tenantId),
      projects: new MongoProjects(this.ctx, tenantId),
      files: new MongoFiles(this.ctx, tenantId),
      analyses: new MongoAnalyses(this.ctx, tenantId),
      suppressions: new MongoSuppressions(this.ctx, tenantId),
    };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
