import { AuxilError } from '../../errors.js';
import type { SuppressionRecord, SuppressionRepository } from '../store.js';
import { now, settle, type Statements } from './sqlite-database.js';

interface SuppressionRow {
  class_id: string;
  created_at: string;
  created_by: string;
}

const toSuppression = (row: SuppressionRow): SuppressionRecord => ({
  classId: row.class_id,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

/** Suppressed clone classes, one row per project and class; the project's deletion cascades. */
export class SqliteSuppressions implements SuppressionRepository {
  constructor(
    private readonly sql: Statements,
    private readonly tenantId: string,
  ) {}

  add(projectId: string, classId: string, createdBy: string): Promise<SuppressionRecord> {
    return settle(() =>
      this.sql.write(() => {
        const project = this.sql.get('SELECT 1 FROM projects WHERE tenant_id = ? AND id = ?').get(this.tenantId, projectId);
        if (!project) throw new AuxilError('not_found', `project ${projectId} does not exist`);
        this.sql
          .get(
            `INSERT INTO suppressions (tenant_id, project_id, class_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (tenant_id, project_id, class_id) DO NOTHING`,
          )
          .run(this.tenantId, projectId, classId, now(), createdBy);
        return toSuppression(
          this.sql
            .get('SELECT class_id, created_at, created_by FROM suppressions WHERE tenant_id = ? AND project_id = ? AND class_id = ?')
            .get(this.tenantId, projectId, classId) as SuppressionRow,
        );
      }),
    );
  }

  remove(projectId: string, classId: string): Promise<boolean> {
    return settle(
      () =>
        this.sql
          .get('DELETE FROM suppressions WHERE tenant_id = ? AND project_id = ? AND class_id = ?')
          .run(this.tenantId, projectId, classId).changes > 0,
    );
  }

  list(projectId: string): Promise<SuppressionRecord[]> {
    return settle(() => {
      const rows = this.sql
        .get(
          'SELECT class_id, created_at, created_by FROM suppressions WHERE tenant_id = ? AND project_id = ? ORDER BY created_at, class_id',
        )
        .all(this.tenantId, projectId) as SuppressionRow[];
      return rows.map(toSuppression);
    });
  }
}
