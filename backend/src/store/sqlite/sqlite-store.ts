import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
import { migrations } from './migrations.js';

type Db = Database.Database;

/**
 * Prepares each SQL text once per database and reuses the statement: preparing is the costly part
 * of a small query, and the set of queries is fixed.
 */
class Statements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly db: Db) {}

  get(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

interface TokenRow {
  id: string;
  tenant_id: string;
  name: string;
  token_hash: string;
  created_at: string;
}
interface FileRow {
  path: string;
  hash: string;
  content: string;
  updated_at: string;
}
interface NamedRow {
  id: string;
  name: string;
  created_at: string;
}

const now = (): string => new Date().toISOString();

const toToken = (row: TokenRow): ApiTokenRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
});
const toFile = (row: FileRow): StoredFile => ({
  path: row.path,
  hash: row.hash,
  content: row.content,
  updatedAt: row.updated_at,
});
const toNamed = (row: NamedRow): Tenant & Project => ({ id: row.id, name: row.name, createdAt: row.created_at });

/** Applies the migrations this database has not seen yet. */
function migrate(db: Db): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > migrations.length) {
    throw new Error(
      `the database at ${db.name} has schema version ${applied}, newer than this Auxil (${migrations.length}); upgrade Auxil`,
    );
  }
  migrations.slice(applied).forEach((sql, offset) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${applied + offset + 1}`);
    })();
  });
}

class SqliteTokens implements TokenRepository {
  constructor(
    private readonly sql: Statements,
    private readonly tenantId: string,
  ) {}

  create(token: { name: string; tokenHash: string }): Promise<ApiTokenRecord> {
    const row: TokenRow = {
      id: randomUUID(),
      tenant_id: this.tenantId,
      name: token.name,
      token_hash: token.tokenHash,
      created_at: now(),
    };
    this.sql
      .get('INSERT INTO api_tokens (id, tenant_id, name, token_hash, created_at) VALUES (@id, @tenant_id, @name, @token_hash, @created_at)')
      .run(row);
    return Promise.resolve(toToken(row));
  }

  list(): Promise<ApiTokenRecord[]> {
    // Tokens created in the same millisecond share a timestamp; rowid keeps them in creation order.
    const rows = this.sql.get('SELECT * FROM api_tokens WHERE tenant_id = ? ORDER BY created_at, rowid').all(this.tenantId) as TokenRow[];
    return Promise.resolve(rows.map(toToken));
  }

  revoke(id: string): Promise<boolean> {
    const result = this.sql.get('DELETE FROM api_tokens WHERE tenant_id = ? AND id = ?').run(this.tenantId, id);
    return Promise.resolve(result.changes > 0);
  }
}

class SqliteProjects implements ProjectRepository {
  constructor(
    private readonly sql: Statements,
    private readonly tenantId: string,
  ) {}

  ensure(name: string): Promise<Project> {
    this.sql
      .get('INSERT INTO projects (tenant_id, id, name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING')
      .run(this.tenantId, randomUUID(), name, now());
    return this.findByName(name) as Promise<Project>;
  }

  findByName(name: string): Promise<Project | undefined> {
    const row = this.sql.get('SELECT id, name, created_at FROM projects WHERE tenant_id = ? AND name = ?').get(this.tenantId, name) as
      NamedRow | undefined;
    return Promise.resolve(row && toNamed(row));
  }
}

class SqliteFiles implements FileRepository {
  constructor(
    private readonly sql: Statements,
    private readonly tenantId: string,
  ) {}

  put(projectId: string, file: { path: string; hash: string; content: string }): Promise<StoredFile> {
    const stored: StoredFile = { ...file, updatedAt: now() };
    this.sql
      .get(
        `INSERT INTO files (tenant_id, project_id, path, hash, content, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, project_id, path) DO UPDATE SET hash = excluded.hash, content = excluded.content, updated_at = excluded.updated_at`,
      )
      .run(this.tenantId, projectId, stored.path, stored.hash, stored.content, stored.updatedAt);
    return Promise.resolve(stored);
  }

  get(projectId: string, path: string): Promise<StoredFile | undefined> {
    const row = this.sql
      .get('SELECT path, hash, content, updated_at FROM files WHERE tenant_id = ? AND project_id = ? AND path = ?')
      .get(this.tenantId, projectId, path) as FileRow | undefined;
    return Promise.resolve(row && toFile(row));
  }

  list(projectId: string): Promise<StoredFile[]> {
    const rows = this.sql
      .get('SELECT path, hash, content, updated_at FROM files WHERE tenant_id = ? AND project_id = ? ORDER BY path')
      .all(this.tenantId, projectId) as FileRow[];
    return Promise.resolve(rows.map(toFile));
  }

  remove(projectId: string, path: string): Promise<boolean> {
    const result = this.sql
      .get('DELETE FROM files WHERE tenant_id = ? AND project_id = ? AND path = ?')
      .run(this.tenantId, projectId, path);
    return Promise.resolve(result.changes > 0);
  }
}

/**
 * The embedded store: one SQLite file in WAL mode, safe for several processes on one machine
 * (`busy_timeout` waits out a concurrent writer instead of failing).
 */
export class SqliteStore implements Store {
  readonly tenants: TenantDirectory;
  private readonly db: Db;
  private readonly sql: Statements;

  private constructor(db: Db) {
    this.db = db;
    const sql = (this.sql = new Statements(db));
    this.tenants = {
      ensure: (id, name) => {
        sql.get('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING').run(id, name, now());
        return this.tenants.get(id) as Promise<Tenant>;
      },
      get: (id) => {
        const row = sql.get('SELECT id, name, created_at FROM tenants WHERE id = ?').get(id) as NamedRow | undefined;
        return Promise.resolve(row && toNamed(row));
      },
    };
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(file: string): SqliteStore {
    // The folder holds source code and token hashes: only its owner may enter it.
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(db);
  }

  findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = this.sql.get('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as TokenRow | undefined;
    return Promise.resolve(row && toToken(row));
  }

  forTenant(tenantId: string): TenantStore {
    return {
      tenantId,
      tokens: new SqliteTokens(this.sql, tenantId),
      projects: new SqliteProjects(this.sql, tenantId),
      files: new SqliteFiles(this.sql, tenantId),
    };
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
