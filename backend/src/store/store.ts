/**
 * The storage interfaces the core owns. Adapters (SQLite now, MongoDB later) implement them and
 * pass the shared contract suite in backend/test/store-contract.ts. No driver type crosses these
 * interfaces: everything in and out is a plain object.
 */

/** An organisation using Auxil; every other record belongs to exactly one. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** An API token as stored: only the hash of the secret is ever kept. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly tenantId: string;
  /** What the token is for, as its creator named it (e.g. "local", "ci"). */
  readonly name: string;
  /** SHA-256 (hex) of the token's secret. */
  readonly tokenHash: string;
  readonly createdAt: string;
}

/** A codebase indexed by Auxil, owned by one tenant. */
export interface Project {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** One file's content as last uploaded. */
export interface StoredFile {
  /** Project-relative path with '/' separators. */
  readonly path: string;
  /** SHA-256 (hex) of the UTF-8 content. */
  readonly hash: string;
  readonly content: string;
  readonly updatedAt: string;
}

/** The root handle. Tenant data is only reachable through `forTenant`. */
export interface Store {
  /** Tenants themselves: created by administrators, listed by nobody else. */
  readonly tenants: TenantDirectory;
  /**
   * Finds a token by the hash of its secret, whatever its tenant: this is how a request learns
   * which tenant it belongs to, so it is the one lookup that is not tenant-scoped.
   */
  findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /** A handle whose every query is confined to one tenant's records. */
  forTenant(tenantId: string): TenantStore;
  /** Releases connections and file handles; the store is unusable afterwards. */
  close(): Promise<void>;
}

export interface TenantDirectory {
  /** Creates the tenant if no tenant with this id exists; returns it either way. */
  ensure(id: string, name: string): Promise<Tenant>;
  /** The tenant with this id, if any. */
  get(id: string): Promise<Tenant | undefined>;
}

/** Everything one tenant owns. */
export interface TenantStore {
  readonly tenantId: string;
  readonly tokens: TokenRepository;
  readonly projects: ProjectRepository;
  readonly files: FileRepository;
}

export interface TokenRepository {
  /** Stores a new token (its hash, never the secret). */
  create(token: { name: string; tokenHash: string }): Promise<ApiTokenRecord>;
  /** Every token of the tenant, oldest first. */
  list(): Promise<ApiTokenRecord[]>;
  /** Deletes a token; returns whether it existed. */
  revoke(id: string): Promise<boolean>;
}

export interface ProjectRepository {
  /** The project with this name, created if it does not exist yet. */
  ensure(name: string): Promise<Project>;
  /** The project with this name, if the tenant has one. */
  findByName(name: string): Promise<Project | undefined>;
}

export interface FileRepository {
  /** Stores a file's content, replacing the previous version at the same path. */
  put(projectId: string, file: { path: string; hash: string; content: string }): Promise<StoredFile>;
  /** The file at `path`, if the project has it. */
  get(projectId: string, path: string): Promise<StoredFile | undefined>;
  /** Every file of the project, ordered by path. */
  list(projectId: string): Promise<StoredFile[]>;
  /** Deletes a file; returns whether it existed. */
  remove(projectId: string, path: string): Promise<boolean>;
}
