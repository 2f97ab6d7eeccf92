import { AuxilError } from '../../errors.js';
import type { SuppressionRecord, SuppressionRepository } from '../store.js';
import { now, upsertRacing, upserted, type MongoContext, type SuppressionDoc } from './mongo-collections.js';

const toSuppression = (doc: SuppressionDoc): SuppressionRecord => ({
  classId: doc.classId,
  createdAt: doc.createdAt,
  createdBy: doc.createdBy,
});

/** Suppressed clone classes, one document per project and class (a unique index keeps it so). */
export class MongoSuppressions implements SuppressionRepository {
  constructor(
    private readonly ctx: MongoContext,
    private readonly tenantId: string,
  ) {}

  async add(projectId: string, classId: string, createdBy: string): Promise<SuppressionRecord> {
    if (!(await this.ctx.c.projects.findOne({ tenantId: this.tenantId, id: projectId }, { projection: { _id: 1 } }))) {
      throw new AuxilError('not_found', `project ${projectId} does not exist`);
    }
    const doc = await upsertRacing(() =>
      this.ctx.c.suppressions.findOneAndUpdate(
        { tenantId: this.tenantId, projectId, classId },
        { $setOnInsert: { createdAt: now(), createdBy } },
        { upsert: true, returnDocument: 'after' },
      ),
    );
    return toSuppression(upserted(doc));
  }

  async remove(projectId: string, classId: string): Promise<boolean> {
    return (await this.ctx.c.suppressions.deleteOne({ tenantId: this.tenantId, projectId, classId })).deletedCount > 0;
  }

  async list(projectId: string): Promise<SuppressionRecord[]> {
    const docs = await this.ctx.c.suppressions.find({ tenantId: this.tenantId, projectId }).sort({ createdAt: 1, classId: 1 }).toArray();
    return docs.map(toSuppression);
  }
}
