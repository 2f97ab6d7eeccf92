/**
 * The SQLite schema, as an append-only list of migrations. `PRAGMA user_version` records how many
 * have run; a newer process applies the rest at start, each in its own transaction. Never edit a
 * published migration: add another.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE INDEX api_tokens_by_tenant ON api_tokens(tenant_id, created_at);
  CREATE TABLE projects (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
  );
  CREATE TABLE files (
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    content TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, project_id, path),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE CASCADE
  );
  `,
  // 2: revisions and the change log, sizes and prepared records, analyses.
  // Files stored before revisions existed become revision 1 of their project, each with a change
  // entry, so "every file has a change at or below the project's revision" holds from the start and
  // a process that knew the project at revision 0 (empty) catches up with changesSince(0).
  `
  ALTER TABLE projects ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE files ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE files ADD COLUMN record_key TEXT;
  ALTER TABLE files ADD COLUMN record BLOB;
  UPDATE files SET size = length(CAST(content AS BLOB));
  CREATE INDEX files_by_hash ON files(tenant_id, hash);

  CREATE TABLE file_changes (
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    path TEXT NOT NULL,
    hash TEXT,
    revision INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, project_id, path),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE CASCADE
  );
  CREATE INDEX file_changes_by_revision ON file_changes(tenant_id, project_id, revision, path);
  UPDATE projects SET revision = 1
    WHERE EXISTS (SELECT 1 FROM files WHERE files.tenant_id = projects.tenant_id AND files.project_id = projects.id);
  INSERT INTO file_changes (tenant_id, project_id, path, hash, revision) SELECT tenant_id, project_id, path, hash, 1 FROM files;

  CREATE TABLE analyses (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    revision INTEGER NOT NULL,
    files_total INTEGER NOT NULL,
    files_done INTEGER NOT NULL DEFAULT 0,
    shards_total INTEGER NOT NULL,
    shards_done INTEGER NOT NULL DEFAULT 0,
    timings TEXT NOT NULL DEFAULT '{}',
    summary TEXT,
    error TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE CASCADE
  );
  CREATE INDEX analyses_by_project ON analyses(tenant_id, project_id, created_at);
  CREATE TABLE analysis_shards (
    tenant_id TEXT NOT NULL,
    analysis_id TEXT NOT NULL,
    shard INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, analysis_id, shard),
    FOREIGN KEY (tenant_id, analysis_id) REFERENCES analyses(tenant_id, id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  `,
  // 2: token scopes; tokens made before them keep full access.
  `
  ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read write';
  `,
  // 3: clone classes suppressed per project (hidden for the whole team).
  `
  CREATE TABLE suppressions (
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    class_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, project_id, class_id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  `,
  // 4: the files table rebuilt with its small columns first and the file's text last. SQLite reads
  // a row's columns in order, and a column stored after a large text follows that text's overflow
  // pages: the manifest (path, hash, size) and the prepared records read no source text now.
  `
  CREATE TABLE files_v4 (
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    record_key TEXT,
    record BLOB,
    content TEXT NOT NULL,
    PRIMARY KEY (tenant_id, project_id, path),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects(tenant_id, id) ON DELETE CASCADE
  );
  INSERT INTO files_v4 (tenant_id, project_id, path, hash, size, updated_at, record_key, record, content)
    SELECT tenant_id, project_id, path, hash, size, updated_at, record_key, record, content FROM files;
  DROP TABLE files;
  ALTER TABLE files_v4 RENAME TO files;
  CREATE INDEX files_by_hash ON files(tenant_id, hash);
  `,
  // 5: parts of a large analysis's final matching, claimed by workers, with their packed pairs.
  `
  CREATE TABLE analysis_parts (
    tenant_id TEXT NOT NULL,
    analysis_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    owner TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    digest TEXT,
    pairs BLOB,
    PRIMARY KEY (tenant_id, analysis_id, part),
    FOREIGN KEY (tenant_id, analysis_id) REFERENCES analyses(tenant_id, id) ON DELETE CASCADE
  );
  `,
];
