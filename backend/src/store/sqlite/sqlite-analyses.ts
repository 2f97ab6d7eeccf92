import { randomUUID } from 'node:crypto';
import { AuxilError } from '../../errors.js';
import type { AnalysisRecord, AnalysisRepository, AnalysisStatus, MatchPartResult } from '../store.js';
import { checkAnalysisPatch, checkCount, checkLimit, checkPart, checkPartClaim, checkShard } from '../store-checks.js';
import { fromBlob, now, settle, toBlob, type Statements } from './sqlite-database.js';

interface AnalysisRow {
  id: string;
  project_id: string;
  status: AnalysisStatus;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  revision: number;
  files_total: number;
  files_done: number;
  shards_total: number;
  shards_done: number;
  timings: string;
  summary: string | null;
  error: string | null;
}

type AnalysisPatch = Parameters<AnalysisRepository['update']>[1];

/** A row as the interface returns it: optional fields are left out when unset, never null. */
function toAnalysis(row: AnalysisRow): AnalysisRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    status: row.status,
    createdAt: row.created_at,
    ...(row.started_at !== null && { startedAt: row.started_at }),
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    revision: row.revision,
    filesTotal: row.files_total,
    filesDone: row.files_done,
    shardsTotal: row.shards_total,
    shardsDone: row.shards_done,
    timings: JSON.parse(row.timings) as Record<string, number>,
    ...(row.summary !== null && { summary: JSON.parse(row.summary) as Record<string, unknown> }),
    ...(row.error !== null && { error: row.error }),
  };
}

interface PartRow {
  part: number;
  claimed_at: number;
  done: number;
}

/**
 * Batch analyses and the shards done of each. `completeShard` inserts the shard's row and counts it
 * in one transaction, so a shard redone by another worker (or process) is counted once.
 */
export class SqliteAnalyses implements AnalysisRepository {
  constructor(
    private readonly sql: Statements,
    private readonly tenantId: string,
  ) {}

  create(projectId: string, init: { revision: number; filesTotal: number; shardsTotal: number }): Promise<AnalysisRecord> {
    return settle(() => {
      checkCount('the revision', init.revision);
      checkCount('the file count', init.filesTotal);
      checkCount('the shard count', init.shardsTotal);
      return this.sql.write(() => {
        if (!this.sql.get('SELECT 1 FROM projects WHERE tenant_id = ? AND id = ?').get(this.tenantId, projectId)) {
          throw new AuxilError('not_found', `project ${projectId} does not exist`);
        }
        const id = randomUUID();
        this.sql
          .get(
            `INSERT INTO analyses (tenant_id, id, project_id, status, created_at, revision, files_total, shards_total)
             VALUES (?, ?, ?, 'queued', ?, ?, ?, ?)`,
          )
          .run(this.tenantId, id, projectId, now(), init.revision, init.filesTotal, init.shardsTotal);
        return this.read(id) as AnalysisRecord;
      });
    });
  }

  get(id: string): Promise<AnalysisRecord | undefined> {
    return settle(() => this.read(id));
  }

  list(projectId: string, limit: number): Promise<AnalysisRecord[]> {
    return settle(() => {
      checkLimit(limit);
      if (limit === 0) return [];
      // Analyses created in the same millisecond share a timestamp; rowid keeps the later one first.
      const rows = this.sql
        .get('SELECT * FROM analyses WHERE tenant_id = ? AND project_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
        .all(this.tenantId, projectId, limit) as AnalysisRow[];
      return rows.map(toAnalysis);
    });
  }

  /** Timings are merged: the patch's phases replace those of the same name, the others are kept. */
  update(id: string, patch: AnalysisPatch): Promise<AnalysisRecord | undefined> {
    return settle(() => {
      checkAnalysisPatch(patch);
      return this.sql.write(() => {
        const record = this.read(id);
        if (!record) return undefined;
        const summary = patch.summary ?? record.summary;
        this.sql
          .get(
            `UPDATE analyses SET status = ?, started_at = ?, finished_at = ?, timings = ?, summary = ?, error = ?
             WHERE tenant_id = ? AND id = ?`,
          )
          .run(
            patch.status ?? record.status,
            patch.startedAt ?? record.startedAt ?? null,
            patch.finishedAt ?? record.finishedAt ?? null,
            JSON.stringify({ ...record.timings, ...patch.timings }),
            summary === undefined ? null : JSON.stringify(summary),
            patch.error ?? record.error ?? null,
            this.tenantId,
            id,
          );
        return this.read(id);
      });
    });
  }

  completeShard(id: string, shard: number, files: number): Promise<{ record: AnalysisRecord; counted: boolean } | undefined> {
    return settle(() =>
      this.sql.write(() => {
        const before = this.read(id);
        if (!before) return undefined;
        checkShard(before, shard, files);
        const inserted = this.sql
          .get('INSERT INTO analysis_shards (tenant_id, analysis_id, shard) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
          .run(this.tenantId, id, shard);
        if (inserted.changes === 0) return { record: before, counted: false };
        this.sql
          .get('UPDATE analyses SET shards_done = shards_done + 1, files_done = files_done + ? WHERE tenant_id = ? AND id = ?')
          .run(files, this.tenantId, id);
        return { record: this.read(id) as AnalysisRecord, counted: true };
      }),
    );
  }

  /** In one write transaction: reads the parts, picks the lowest free one and writes the claim. */
  claimPart(id: string, parts: number, owner: string, leaseMs: number): Promise<number | undefined> {
    return settle(() => {
      checkPartClaim(parts, owner, leaseMs);
      return this.sql.write(() => {
        const record = this.read(id);
        if (!record || record.status === 'done' || record.status === 'failed') return undefined;
        const rows = this.sql
          .get('SELECT part, claimed_at, done FROM analysis_parts WHERE tenant_id = ? AND analysis_id = ?')
          .all(this.tenantId, id) as PartRow[];
        const byPart = new Map(rows.map((row) => [row.part, row]));
        const at = Date.now();
        for (let part = 0; part < parts; part++) {
          const row = byPart.get(part);
          if (row && (row.done === 1 || row.claimed_at > at - leaseMs)) continue;
          this.sql
            .get(
              `INSERT INTO analysis_parts (tenant_id, analysis_id, part, owner, claimed_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (tenant_id, analysis_id, part) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at`,
            )
            .run(this.tenantId, id, part, owner, at);
          return part;
        }
        return undefined;
      });
    });
  }

  renewPart(id: string, part: number, owner: string): Promise<boolean> {
    return settle(() => {
      checkPart(part, owner);
      const renewed = this.sql
        .get('UPDATE analysis_parts SET claimed_at = ? WHERE tenant_id = ? AND analysis_id = ? AND part = ? AND owner = ? AND done = 0')
        .run(Date.now(), this.tenantId, id, part, owner);
      return renewed.changes === 1;
    });
  }

  /** Any owner's claim may complete a part not done yet: the results are the same, the first one stays. */
  completePart(id: string, part: number, owner: string, result: MatchPartResult): Promise<boolean> {
    return settle(() => {
      checkPart(part, owner);
      const completed = this.sql
        .get(
          `UPDATE analysis_parts SET done = 1, owner = ?, digest = ?, pairs = ?
           WHERE tenant_id = ? AND analysis_id = ? AND part = ? AND done = 0`,
        )
        .run(owner, result.digest, toBlob(result.pairs), this.tenantId, id, part);
      return completed.changes === 1;
    });
  }

  doneParts(id: string): Promise<number[]> {
    return settle(() =>
      (
        this.sql
          .get('SELECT part FROM analysis_parts WHERE tenant_id = ? AND analysis_id = ? AND done = 1 ORDER BY part')
          .all(this.tenantId, id) as { part: number }[]
      ).map((row) => row.part),
    );
  }

  partResult(id: string, part: number): Promise<MatchPartResult | undefined> {
    return settle(() => {
      checkPart(part);
      const row = this.sql
        .get('SELECT digest, pairs FROM analysis_parts WHERE tenant_id = ? AND analysis_id = ? AND part = ? AND done = 1')
        .get(this.tenantId, id, part) as { digest: string; pairs: Buffer } | undefined;
      return row && { digest: row.digest, pairs: fromBlob(row.pairs) };
    });
  }

  dropParts(id: string): Promise<void> {
    return settle(() => {
      this.sql.get('DELETE FROM analysis_parts WHERE tenant_id = ? AND analysis_id = ?').run(this.tenantId, id);
    });
  }

  private read(id: string): AnalysisRecord | undefined {
    const row = this.sql.get('SELECT * FROM analyses WHERE tenant_id = ? AND id = ?').get(this.tenantId, id) as AnalysisRow | undefined;
    return row && toAnalysis(row);
  }
}
