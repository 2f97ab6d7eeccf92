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

/**
 * What a token may do: `read` asks questions of the index (search, clones, findings, analyses);
 * `write` changes what a project holds (projects, files). Tokens made before scopes existed have both.
 */
export type TokenScope = 'read' | 'write';

/** Every scope, in a fixed order: what a token gets unless its creator narrows it. */
export const ALL_SCOPES: readonly TokenScope[] = ['read', 'write'];

/** An API token as stored: only the hash of the secret is ever kept. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly tenantId: string;
  /** What the token is for, as its creator named it (e.g. "local", "ci"). */
  readonly name: string;
  /** SHA-256 (hex) of the token's secret. */
  readonly tokenHash: string;
  /** What the token may do, in ALL_SCOPES order. */
  readonly scopes: readonly TokenScope[];
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

/** A file as a sync manifest lists it: no content. */
export interface ManifestEntry {
  readonly path: string;
  /** SHA-256 (hex) of the UTF-8 content. */
  readonly hash: string;
  /** Content length in bytes (UTF-8). */
  readonly size: number;
}

/**
 * The engine's prepared form of a file (tokens, fingerprints, units, symbols), so a process can
 * rebuild a project's index without lexing again. Valid only for the same content and the same
 * `key` (engine version and options); anything else is ignored and the file is prepared anew.
 */
export interface IndexRecord {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** One file to store: its content, and its prepared record when the writer has it. */
export interface FileWrite {
  readonly path: string;
  readonly hash: string;
  readonly content: string;
  readonly record?: IndexRecord | undefined;
}

/** A change to a project's files at a revision: a new hash, or null when the file was removed. */
export interface FileChange {
  readonly path: string;
  readonly hash: string | null;
  readonly revision: number;
}

/** What an index needs of one file to load it: its record when one fits `key`, else its content. */
export interface IndexInput {
  readonly path: string;
  readonly hash: string;
  readonly record?: Uint8Array | undefined;
  readonly content?: string | undefined;
}

export type AnalysisStatus = 'queued' | 'running' | 'done' | 'failed';

/** A batch analysis of a project, as the coordinator and the shard jobs record it. */
export interface AnalysisRecord {
  readonly id: string;
  readonly projectId: string;
  readonly status: AnalysisStatus;
  readonly createdAt: string;
  readonly startedAt?: string | undefined;
  readonly finishedAt?: string | undefined;
  /** The project revision the analysis covers. */
  readonly revision: number;
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly shardsTotal: number;
  readonly shardsDone: number;
  /** Milliseconds per phase, once known. */
  readonly timings: Readonly<Record<string, number>>;
  /** The result's summary (counts, duplication), once done; plain JSON. */
  readonly summary?: Readonly<Record<string, unknown>> | undefined;
  /** Why it failed, in words a person can act on. */
  readonly error?: string | undefined;
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
  readonly analyses: AnalysisRepository;
  readonly suppressions: SuppressionRepository;
}

export interface TokenRepository {
  /** Stores a new token (its hash, never the secret), with every scope unless `scopes` narrows it. */
  create(token: { name: string; tokenHash: string; scopes?: readonly TokenScope[] }): Promise<ApiTokenRecord>;
  /** Every token of the tenant, oldest first. */
  list(): Promise<ApiTokenRecord[]>;
  /** Deletes a token; returns whether it existed. */
  revoke(id: string): Promise<boolean>;
}

export interface ProjectRepository {
  /** The project with this name, created if it does not exist yet. */
  ensure(name: string): Promise<Project>;
  /** Creates a project; fails with AuxilError 'conflict' when the tenant already has one of that name. */
  create(name: string): Promise<Project>;
  /** The project with this name, if the tenant has one. */
  findByName(name: string): Promise<Project | undefined>;
  /** The project with this id, if the tenant has one. */
  get(id: string): Promise<Project | undefined>;
  /** Every project of the tenant, by name. */
  list(): Promise<Project[]>;
  /** Deletes a project with its files, records, change log and analyses; returns whether it existed. */
  remove(id: string): Promise<boolean>;
}

/**
 * A project's files. Every change bumps the project's revision (a counter starting at 0) and is
 * recorded in its change log under the new revision, so a process holding an index at revision r
 * catches up with `changesSince(r)` instead of reloading — how two processes serving one project
 * never answer from a stale index (read-your-writes across processes).
 */
export interface FileRepository {
  /** Stores a file's content, replacing the previous version at the same path. */
  put(projectId: string, file: FileWrite): Promise<StoredFile>;
  /** The file at `path`, if the project has it. */
  get(projectId: string, path: string): Promise<StoredFile | undefined>;
  /** Every file of the project, ordered by path. */
  list(projectId: string): Promise<StoredFile[]>;
  /** Deletes a file; returns whether it existed. */
  remove(projectId: string, path: string): Promise<boolean>;
  /**
   * Writes and removes many files as one change: all of it is stored, or (on an error) none of
   * it. Writes of a path to the hash it already has change nothing. Returns the project's
   * revision afterwards (unchanged when nothing changed).
   */
  apply(projectId: string, change: { writes: readonly FileWrite[]; removes: readonly string[] }): Promise<number>;
  /** Number of files of the project (without reading them). */
  count(projectId: string): Promise<number>;
  /** Every file's path, hash and size, ordered by path: what a sync manifest is compared with. */
  manifest(projectId: string): Promise<ManifestEntry[]>;
  /** Of these content hashes, the ones no file of the tenant has (the contents a client must upload). */
  missingContents(hashes: readonly string[]): Promise<string[]>;
  /** Content by hash from any file of the tenant, if one has it. */
  content(hash: string): Promise<string | undefined>;
  /** The project's current revision (0 before its first change). */
  revision(projectId: string): Promise<number>;
  /** The latest change of every path changed after `revision`, ordered by revision, then path. */
  changesSince(projectId: string, revision: number): Promise<FileChange[]>;
  /**
   * One page of what loading an index needs, ordered by path, after `afterPath` (exclusive):
   * each file's record when its key is `recordKey`, else its content.
   */
  indexInputs(projectId: string, recordKey: string, afterPath: string | undefined, limit: number): Promise<IndexInput[]>;
  /** Stores a prepared record for a file, if it still has this hash; returns whether it did. */
  putRecord(projectId: string, path: string, hash: string, record: IndexRecord): Promise<boolean>;
}

export interface AnalysisRepository {
  create(projectId: string, init: { revision: number; filesTotal: number; shardsTotal: number }): Promise<AnalysisRecord>;
  get(id: string): Promise<AnalysisRecord | undefined>;
  /** The project's analyses, newest first. */
  list(projectId: string, limit: number): Promise<AnalysisRecord[]>;
  /**
   * Changes status, timings, summary or error; returns the record afterwards (undefined if unknown).
   * Timings merge by phase: a patch's phases replace those of the same name, the others stay.
   */
  update(
    id: string,
    patch: Partial<Pick<AnalysisRecord, 'status' | 'startedAt' | 'finishedAt' | 'timings' | 'summary' | 'error'>>,
  ): Promise<AnalysisRecord | undefined>;
  /**
   * Marks shard `shard` done with its file count, once: a shard redone after a worker died is not
   * counted twice. Returns the record afterwards and whether this call was the one that counted.
   */
  completeShard(id: string, shard: number, files: number): Promise<{ record: AnalysisRecord; counted: boolean } | undefined>;

  /*
   * The final matching of a large analysis in distributed mode is cut into `parts` that any worker
   * may claim, match and store; the final job claims parts too, waits for the others' and takes
   * over a claim that was not renewed within its lease (its worker died).
   */

  /**
   * Claims the lowest part in 0…parts-1 that is not done and not held (claimed or renewed, by any
   * owner, less than `leaseMs` ago); returns it, or undefined when none is left or the analysis is
   * unknown or finished.
   */
  claimPart(id: string, parts: number, owner: string, leaseMs: number): Promise<number | undefined>;
  /** Renews `owner`'s claim of a part; false when the claim was taken over or the part is done. */
  renewPart(id: string, part: number, owner: string): Promise<boolean>;
  /**
   * Stores a claimed part's result, once: the first result stored wins (every owner computes the
   * same pairs from the same records, which `digest` names). False when the part was done already
   * or was never claimed.
   */
  completePart(id: string, part: number, owner: string, result: MatchPartResult): Promise<boolean>;
  /** The parts done so far, ascending. */
  doneParts(id: string): Promise<number[]>;
  /** A done part's result; undefined when it is not done. */
  partResult(id: string, part: number): Promise<MatchPartResult | undefined>;
  /** Deletes every part of the analysis, results included (the final job calls it when it ends). */
  dropParts(id: string): Promise<void>;
}

/** One part of an analysis's final matching: its packed pairs, and a digest of the records matched. */
export interface MatchPartResult {
  readonly digest: string;
  readonly pairs: Uint8Array;
}

/** A clone class hidden for everyone working on a project, until someone shows it again. */
export interface SuppressionRecord {
  readonly classId: string;
  readonly createdAt: string;
  /** The id of the API token that suppressed it, so a team can tell who did. */
  readonly createdBy: string;
}

export interface SuppressionRepository {
  /**
   * Suppresses a clone class in a project; a class already suppressed keeps its first record.
   * Fails with AuxilError 'not_found' when the tenant has no such project.
   */
  add(projectId: string, classId: string, createdBy: string): Promise<SuppressionRecord>;
  /** Shows a class again; returns whether it was suppressed. */
  remove(projectId: string, classId: string): Promise<boolean>;
  /** The project's suppressed classes, oldest first. */
  list(projectId: string): Promise<SuppressionRecord[]>;
}
