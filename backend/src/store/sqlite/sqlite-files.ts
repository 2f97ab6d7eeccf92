import { AuxilError } from '../../errors.js';
import type { FileChange, FileRepository, FileWrite, IndexInput, IndexRecord, ManifestEntry, StoredFile } from '../store.js';
import { checkChange, checkLimit } from '../store-checks.js';
import { fromBlob, now, settle, toBlob, type Statements } from './sqlite-database.js';

interface FileRow {
  path: string;
  hash: string;
  content: string;
  updated_at: string;
}
interface InputRow {
  path: string;
  hash: string;
  record: Buffer | null;
  content: string | null;
}

const FILE_COLUMNS = 'path, hash, content, updated_at';

const toFile = (row: FileRow): StoredFile => ({ path: row.path, hash: row.hash, content: row.content, updatedAt: row.updated_at });
const toInput = (row: InputRow): IndexInput =>
  row.record !== null
    ? { path: row.path, hash: row.hash, record: fromBlob(row.record) }
    : { path: row.path, hash: row.hash, content: row.content ?? '' };

/** What one change did: the revision afterwards and the paths whose hash it changed (or removed). */
interface ChangeOutcome {
  readonly revision: number;
  readonly changed: ReadonlySet<string>;
}

/**
 * A project's files, their change log and their prepared records. Every change runs in one write
 * transaction that reads the project's revision, writes the files and their change entries, and
 * bumps the revision once, so a reader never sees a revision without its changes, nor half a change.
 */
export class SqliteFiles implements FileRepository {
  constructor(
    private readonly sql: Statements,
    private readonly tenantId: string,
  ) {}

  put(projectId: string, file: FileWrite): Promise<StoredFile> {
    return settle(() =>
      this.sql.write(() => {
        this.change(projectId, [file], []);
        return this.read(projectId, file.path) as StoredFile;
      }),
    );
  }

  get(projectId: string, path: string): Promise<StoredFile | undefined> {
    return settle(() => this.read(projectId, path));
  }

  list(projectId: string): Promise<StoredFile[]> {
    return settle(() => {
      const rows = this.sql
        .get(`SELECT ${FILE_COLUMNS} FROM files WHERE tenant_id = ? AND project_id = ? ORDER BY path`)
        .all(this.tenantId, projectId) as FileRow[];
      return rows.map(toFile);
    });
  }

  remove(projectId: string, path: string): Promise<boolean> {
    return settle(() => this.sql.write(() => this.change(projectId, [], [path], { ifExists: true })?.changed.has(path) ?? false));
  }

  apply(projectId: string, change: { writes: readonly FileWrite[]; removes: readonly string[] }): Promise<number> {
    return settle(() => {
      checkChange(change);
      return this.sql.write(() => (this.change(projectId, change.writes, change.removes) as ChangeOutcome).revision);
    });
  }

  count(projectId: string): Promise<number> {
    return settle(
      () =>
        (
          this.sql.get('SELECT count(*) AS n FROM files WHERE tenant_id = ? AND project_id = ?').get(this.tenantId, projectId) as {
            n: number;
          }
        ).n,
    );
  }

  manifest(projectId: string): Promise<ManifestEntry[]> {
    return settle(
      () =>
        this.sql
          .get('SELECT path, hash, size FROM files WHERE tenant_id = ? AND project_id = ? ORDER BY path')
          .all(this.tenantId, projectId) as ManifestEntry[],
    );
  }

  missingContents(hashes: readonly string[]): Promise<string[]> {
    return settle(() => {
      // json_each keeps the input's order (its `key` is the array index), so the answer is a
      // subset of the input in input order, whatever its size, from one statement.
      const unique = JSON.stringify([...new Set(hashes)]);
      const rows = this.sql
        .get(
          `SELECT value AS hash FROM json_each(?) AS wanted
           WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.tenant_id = ? AND files.hash = wanted.value) ORDER BY wanted.key`,
        )
        .all(unique, this.tenantId) as { hash: string }[];
      return rows.map((row) => row.hash);
    });
  }

  content(hash: string): Promise<string | undefined> {
    return settle(() => {
      const row = this.sql.get('SELECT content FROM files WHERE tenant_id = ? AND hash = ? LIMIT 1').get(this.tenantId, hash) as
        { content: string } | undefined;
      return row?.content;
    });
  }

  revision(projectId: string): Promise<number> {
    return settle(() => this.currentRevision(projectId) ?? 0);
  }

  changesSince(projectId: string, revision: number): Promise<FileChange[]> {
    return settle(
      () =>
        this.sql
          .get(
            'SELECT path, hash, revision FROM file_changes WHERE tenant_id = ? AND project_id = ? AND revision > ? ORDER BY revision, path',
          )
          .all(this.tenantId, projectId, revision) as FileChange[],
    );
  }

  indexInputs(projectId: string, recordKey: string, afterPath: string | undefined, limit: number): Promise<IndexInput[]> {
    return settle(() => {
      checkLimit(limit);
      if (limit === 0) return [];
      // A file's record is stored only for its current hash (a change drops it), so a matching key is all it takes.
      const select = `SELECT path, hash,
          CASE WHEN record_key = @key THEN record END AS record,
          CASE WHEN record_key IS @key THEN NULL ELSE content END AS content
        FROM files WHERE tenant_id = @tenant AND project_id = @project`;
      const params = { key: recordKey, tenant: this.tenantId, project: projectId, limit };
      const rows =
        afterPath === undefined
          ? this.sql.get(`${select} ORDER BY path LIMIT @limit`).all(params)
          : this.sql.get(`${select} AND path > @after ORDER BY path LIMIT @limit`).all({ ...params, after: afterPath });
      return (rows as InputRow[]).map(toInput);
    });
  }

  putRecord(projectId: string, path: string, hash: string, record: IndexRecord): Promise<boolean> {
    return settle(() => {
      const result = this.sql
        .get('UPDATE files SET record_key = ?, record = ? WHERE tenant_id = ? AND project_id = ? AND path = ? AND hash = ?')
        .run(record.key, toBlob(record.bytes), this.tenantId, projectId, path, hash);
      return result.changes > 0;
    });
  }

  private read(projectId: string, path: string): StoredFile | undefined {
    const row = this.sql
      .get(`SELECT ${FILE_COLUMNS} FROM files WHERE tenant_id = ? AND project_id = ? AND path = ?`)
      .get(this.tenantId, projectId, path) as FileRow | undefined;
    return row && toFile(row);
  }

  private currentRevision(projectId: string): number | undefined {
    const row = this.sql.get('SELECT revision FROM projects WHERE tenant_id = ? AND id = ?').get(this.tenantId, projectId) as
      { revision: number } | undefined;
    return row?.revision;
  }

  /**
   * Writes and removes files as one change, inside the caller's transaction. A write of the hash a
   * path already has changes nothing (its record, if given, is still stored: it fits that content).
   * An unknown project is refused, or with `ifExists` reported as undefined.
   */
  private change(
    projectId: string,
    writes: readonly FileWrite[],
    removes: readonly string[],
    options: { ifExists?: boolean } = {},
  ): ChangeOutcome | undefined {
    const current = this.currentRevision(projectId);
    if (current === undefined) {
      if (options.ifExists) return undefined;
      throw new AuxilError('not_found', `project ${projectId} does not exist`);
    }
    const next = current + 1;
    const changed = new Set<string>();
    const updatedAt = now();
    // The upsert changes a row only when the hash differs: `changes` tells a new content from the same one.
    const upsert = this.sql.get(
      `INSERT INTO files (tenant_id, project_id, path, hash, content, size, updated_at, record_key, record)
       VALUES (@tenant, @project, @path, @hash, @content, @size, @updatedAt, @recordKey, @record)
       ON CONFLICT (tenant_id, project_id, path) DO UPDATE SET hash = excluded.hash, content = excluded.content, size = excluded.size,
         updated_at = excluded.updated_at, record_key = excluded.record_key, record = excluded.record
       WHERE files.hash <> excluded.hash`,
    );
    const keepRecord = this.sql.get('UPDATE files SET record_key = ?, record = ? WHERE tenant_id = ? AND project_id = ? AND path = ?');
    const remove = this.sql.get('DELETE FROM files WHERE tenant_id = ? AND project_id = ? AND path = ?');
    const log = this.sql.get(
      `INSERT INTO file_changes (tenant_id, project_id, path, hash, revision) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, project_id, path) DO UPDATE SET hash = excluded.hash, revision = excluded.revision`,
    );
    for (const file of writes) {
      const record = file.record ? { recordKey: file.record.key, record: toBlob(file.record.bytes) } : { recordKey: null, record: null };
      const size = Buffer.byteLength(file.content, 'utf8');
      const row = { tenant: this.tenantId, project: projectId, path: file.path, hash: file.hash, content: file.content, size, updatedAt };
      if (upsert.run({ ...row, ...record }).changes === 0) {
        if (file.record) keepRecord.run(record.recordKey, record.record, this.tenantId, projectId, file.path);
        continue;
      }
      log.run(this.tenantId, projectId, file.path, file.hash, next);
      changed.add(file.path);
    }
    for (const path of new Set(removes)) {
      if (remove.run(this.tenantId, projectId, path).changes === 0) continue;
      log.run(this.tenantId, projectId, path, null, next);
      changed.add(path);
    }
    if (changed.size === 0) return { revision: current, changed };
    this.sql.get('UPDATE projects SET revision = ? WHERE tenant_id = ? AND id = ?').run(next, this.tenantId, projectId);
    return { revision: next, changed };
  }
}
