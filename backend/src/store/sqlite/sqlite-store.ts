import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
import { migrations } from './migrations.js';
import { SqliteAnalyses } from './sqlite-analyses.js';
import { now, settle, Statements, type Db } from './sqlite-database.js';
import { SqliteFiles } from './sqlite-files.js';
import { SqliteSuppressions } from './sqlite-suppressions.js';

interface TokenRow {
  id: string;
  tenant_id: string;
  name: string;
  token_hash: string;
  /** Space-separated, e.g. "read write". */
  scopes: string;
  created_at: string;
}
interface NamedRow {
  id: string;
  name: string;
  created_at: string;
}

const toToken = (row: TokenRow): ApiTokenRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  tokenHash: row.token_hash,
  scopes: storedScopes(row.scopes),
  createdAt: row.created_at,
});
const toNamed = (row: NamedRow): Tenant & Project => ({ id: row.id, name: row.name, createdAt: row.created_at });

/** Whether SQLite refused a write for this constraint kind (its extended result code names it). */
const refusedFor = (error: unknown, code: 'SQLITE_CONSTRAINT_UNIQUE' | 'SQLITE_CONSTRAINT_FOREIGNKEY'): boolean =>
  error instanceof Database.SqliteError && error.code === code;

/**
 * Runs an insert of a tenant's record; a foreign key refused means the tenant does not exist, told
 * as the same `not_found` the MongoDB adapter gives.
 */
function insertForTenant(tenantId: string, insert: () => void): void {
  try {
    insert();
  } catch (error) {
    if (refusedFor(error, 'SQLITE_CONSTRAINT_FOREIGNKEY')) throw new AuxilError('not_found', `tenant "${tenantId}" does not exist`);
    throw error;
  }
}

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

  create(token: { name: string; tokenHash: string; scopes?: readonly TokenScope[] }): Promise<ApiTokenRecord> {
    return settle(() => {
      const row: TokenRow = {
        id: randomUUID(),
        tenant_id: this.tenantId,
        name: token.name,
        token_hash: token.tokenHash,
        scopes: checkScopes(token.scopes).join(' '),
        created_at: now(),
      };
      insertForTenant(this.tenantId, () =>
        this.sql
          .get(
            'INSERT INTO api_tokens (id, tenant_id, name, token_hash, scopes, created_at) VALUES (@id, @tenant_id, @name, @token_hash, @scopes, @created_at)',
          )
          .run(row),
      );
      return toToken(row);
    });
  }

  list(): Promise<ApiTokenRecord[]> {
    return settle(() => {
      // Tokens created in the same millisecond share a timestamp; rowid keeps them in creation order.
      const rows = this.sql.get('SELECT * FROM api_tokens WHERE tenant_id = ? ORDER BY created_at, rowid').all(this.tenantId) as TokenRow[];
      return rows.map(toToken);
    });
  }

  revoke(id: string): Promise<boolean> {
    return settle(() => this.sql.get('DELETE FROM api_tokens WHERE tenant_id = ? AND id = ?').run(this.tenantId, id).changes > 0);
  }
}

class SqliteProjects implements ProjectRepository {
  constructor(
    private readonly sql: Statements,
    private readonly tenantId: string,
  ) {}

  ensure(name: string): Promise<Project> {
    return settle(() => {
      insertForTenant(this.tenantId, () =>
        this.sql
          .get('INSERT INTO projects (tenant_id, id, name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING')
          .run(this.tenantId, randomUUID(), name, now()),
      );
      return this.byName(name) as Project;
    });
  }

  create(name: string): Promise<Project> {
    return settle(() => {
      const project: Project = { id: randomUUID(), name, createdAt: now() };
      try {
        insertForTenant(this.tenantId, () =>
          this.sql
            .get('INSERT INTO projects (tenant_id, id, name, created_at) VALUES (?, ?, ?, ?)')
            .run(this.tenantId, project.id, project.name, project.createdAt),
        );
      } catch (error) {
        if (refusedFor(error, 'SQLITE_CONSTRAINT_UNIQUE')) throw new AuxilError('conflict', `a project named "${name}" already exists`);
        throw error;
      }
      return project;
    });
  }

  findByName(name: string): Promise<Project | undefined> {
    return settle(() => this.byName(name));
  }

  get(id: string): Promise<Project | undefined> {
    return settle(() => {
      const row = this.sql.get('SELECT id, name, created_at FROM projects WHERE tenant_id = ? AND id = ?').get(this.tenantId, id) as
        NamedRow | undefined;
      return row && toNamed(row);
    });
  }

  list(): Promise<Project[]> {
    return settle(() => {
      const rows = this.sql
        .get('SELECT id, name, created_at FROM projects WHERE tenant_id = ? ORDER BY name')
        .all(this.tenantId) as NamedRow[];
      return rows.map(toNamed);
    });
  }

  /** The foreign keys cascade: files, change log, analyses (with their shards) and suppressions go in the same statement. */
  remove(id: string): Promise<boolean> {
    return settle(() => this.sql.get('DELETE FROM projects WHERE tenant_id = ? AND id = ?').run(this.tenantId, id).changes > 0);
  }

  private byName(name: string): Project | undefined {
    const row = this.sql.get('SELECT id, name, created_at FROM projects WHERE tenant_id = ? AND name = ?').get(this.tenantId, name) as
      NamedRow | undefined;
    return row && toNamed(row);
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
    const tenant = (id: string): Tenant | undefined => {
      const row = sql.get('SELECT id, name, created_at FROM tenants WHERE id = ?').get(id) as NamedRow | undefined;
      return row && toNamed(row);
    };
    this.tenants = {
      ensure: (id, name) =>
        settle(() => {
          sql.get('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING').run(id, name, now());
          return tenant(id) as Tenant;
        }),
      get: (id) => settle(() => tenant(id)),
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
    return settle(() => {
      const row = this.sql.get('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as TokenRow | undefined;
      return row && toToken(row);
    });
  }

  forTenant(tenantId: string): TenantStore {
    return {
      tenantId,
      tokens: new SqliteTokens(this.sql, tenantId),
      projects: new SqliteProjects(this.sql, tenantId),
      files: new SqliteFiles(this.sql, tenantId),
      analyses: new SqliteAnalyses(this.sql, tenantId),
      suppressions: new SqliteSuppressions(this.sql, tenantId),
    };
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
