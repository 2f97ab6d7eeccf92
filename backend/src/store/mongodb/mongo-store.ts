import { randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError, type Collection, type Db, type WithId } from 'mongodb';
import { AuxilError } from '../../errors.js';
import type {
  ApiTokenRecord,
  FileRepository,
  Project,
  ProjectRepository,
  Store,
  StoredFile,
  Tenant,
  TenantDirectory,
  TenantStore,
  TokenRepository,
} from '../store.js';
import { collectionNames, ensureIndexes, migrateSchema, type MigrateOptions } from './migrations.js';

/*
 * Documents as stored. Every one carries its tenant in `tenantId` (for a tenant, its own id), and
 * timestamps are the same ISO strings the interface returns, so they round-trip unchanged. `_id`
 * is left to the driver (an ObjectId) and never leaves this file.
 */
interface TenantDoc {
  tenantId: string;
  name: string;
  createdAt: string;
}
interface TokenDoc {
  tenantId: string;
  id: string;
  name: string;
  tokenHash: string;
  createdAt: string;
}
interface ProjectDoc {
  tenantId: string;
  id: string;
  name: string;
  createdAt: string;
}
interface FileDoc {
  tenantId: string;
  projectId: string;
  path: string;
  hash: string;
  content: string;
  updatedAt: string;
}

interface Collections {
  readonly tenants: Collection<TenantDoc>;
  readonly tokens: Collection<TokenDoc>;
  readonly projects: Collection<ProjectDoc>;
  readonly files: Collection<FileDoc>;
}

const now = (): string => new Date().toISOString();

// Each mapper copies the interface's fields one by one, so `_id` and `tenantId` stay inside.
const toTenant = (doc: TenantDoc): Tenant => ({ id: doc.tenantId, name: doc.name, createdAt: doc.createdAt });
const toToken = (doc: TokenDoc): ApiTokenRecord => ({
  id: doc.id,
  tenantId: doc.tenantId,
  name: doc.name,
  tokenHash: doc.tokenHash,
  createdAt: doc.createdAt,
});
const toProject = (doc: ProjectDoc): Project => ({ id: doc.id, name: doc.name, createdAt: doc.createdAt });
const toFile = (doc: FileDoc): StoredFile => ({ path: doc.path, hash: doc.hash, content: doc.content, updatedAt: doc.updatedAt });

/**
 * Runs an upsert, once more if it lost a race: two processes upserting the same key can both miss
 * the document and both insert; the unique index refuses the second insert, and its retry then
 * finds the winner's document.
 */
async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) return upsert();
    throw error;
  }
}

/** An upsert that returns the document after the update always has one. */
function upserted<T>(doc: WithId<T> | null): WithId<T> {
  if (!doc) throw new AuxilError('internal', 'MongoDB returned no document for an upsert');
  return doc;
}

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

  async create(token: { name: string; tokenHash: string }): Promise<ApiTokenRecord> {
    await requireTenant(this.c, this.tenantId);
    const doc: TokenDoc = { tenantId: this.tenantId, id: randomUUID(), name: token.name, tokenHash: token.tokenHash, createdAt: now() };
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
  constructor(
    private readonly c: Collections,
    private readonly tenantId: string,
  ) {}

  async ensure(name: string): Promise<Project> {
    await requireTenant(this.c, this.tenantId);
    const doc = await upsertRacing(() =>
      this.c.projects.findOneAndUpdate(
        { tenantId: this.tenantId, name },
        { $setOnInsert: { id: randomUUID(), createdAt: now() } },
        { upsert: true, returnDocument: 'after' },
      ),
    );
    return toProject(upserted(doc));
  }

  async findByName(name: string): Promise<Project | undefined> {
    const doc = await this.c.projects.findOne({ tenantId: this.tenantId, name });
    return doc ? toProject(doc) : undefined;
  }
}

class MongoFiles implements FileRepository {
  constructor(
    private readonly c: Collections,
    private readonly tenantId: string,
  ) {}

  async put(projectId: string, file: { path: string; hash: string; content: string }): Promise<StoredFile> {
    // Only into a project of this tenant: another tenant's project id is refused, as in SQLite.
    if (!(await this.c.projects.findOne({ tenantId: this.tenantId, id: projectId }, { projection: { _id: 1 } }))) {
      throw new AuxilError('not_found', `project ${projectId} does not exist`);
    }
    const stored: StoredFile = { path: file.path, hash: file.hash, content: file.content, updatedAt: now() };
    await upsertRacing(() =>
      this.c.files.updateOne(
        { tenantId: this.tenantId, projectId, path: file.path },
        { $set: { hash: stored.hash, content: stored.content, updatedAt: stored.updatedAt } },
        { upsert: true },
      ),
    );
    return stored;
  }

  async get(projectId: string, path: string): Promise<StoredFile | undefined> {
    const doc = await this.c.files.findOne({ tenantId: this.tenantId, projectId, path });
    return doc ? toFile(doc) : undefined;
  }

  async list(projectId: string): Promise<StoredFile[]> {
    // MongoDB's default (simple) collation compares strings by their UTF-8 bytes, as SQLite does.
    const docs = await this.c.files.find({ tenantId: this.tenantId, projectId }).sort({ path: 1 }).toArray();
    return docs.map(toFile);
  }

  async remove(projectId: string, path: string): Promise<boolean> {
    return (await this.c.files.deleteOne({ tenantId: this.tenantId, projectId, path })).deletedCount > 0;
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
}

/**
 * The distributed store: one MongoDB database shared by every API and worker process. Safe for
 * any number of processes: `ensure` and `put` are single upserts guarded by unique indexes.
 */
export class MongoStore implements Store {
  readonly tenants: TenantDirectory;
  private readonly c: Collections;

  private constructor(
    private readonly client: MongoClient,
    db: Db,
  ) {
    const c: Collections = (this.c = {
      tenants: db.collection<TenantDoc>(collectionNames.tenants),
      tokens: db.collection<TokenDoc>(collectionNames.tokens),
      projects: db.collection<ProjectDoc>(collectionNames.projects),
      files: db.collection<FileDoc>(collectionNames.files),
    });
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
      return new MongoStore(client, db);
    } catch (error) {
      await client.close();
      throw error;
    }
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
      projects: new MongoProjects(this.c, tenantId),
      files: new MongoFiles(this.c, tenantId),
    };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
