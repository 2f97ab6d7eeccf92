import { randomUUID } from 'node:crypto';
import { AuxilError } from '../../errors.js';
import type { AnalysisRecord, AnalysisRepository } from '../store.js';
import { checkAnalysisPatch, checkCount, checkLimit, checkShard } from '../store-checks.js';
import { now, type AnalysisDoc, type MongoContext } from './mongo-collections.js';

type AnalysisPatch = Parameters<AnalysisRepository['update']>[1];

/** A document as the interface returns it: optional fields are left out when unset. */
function toAnalysis(doc: AnalysisDoc): AnalysisRecord {
  return {
    id: doc.id,
    projectId: doc.projectId,
    status: doc.status,
    createdAt: doc.createdAt,
    ...(doc.startedAt != null && { startedAt: doc.startedAt }),
    ...(doc.finishedAt != null && { finishedAt: doc.finishedAt }),
    revision: doc.revision,
    filesTotal: doc.filesTotal,
    filesDone: doc.filesDone,
    shardsTotal: doc.shardsTotal,
    shardsDone: doc.shardsDone,
    timings: { ...doc.timings },
    ...(doc.summary != null && { summary: doc.summary }),
    ...(doc.error != null && { error: doc.error }),
  };
}

/**
 * Batch analyses, one document each. Every update is a single-document update, which MongoDB
 * applies atomically: `completeShard` adds the shard to `doneShards` and counts it in the same
 * update, matched only while the shard is not there yet, so a redone shard is counted once.
 */
export class MongoAnalyses implements AnalysisRepository {
  constructor(
    private readonly ctx: MongoContext,
    private readonly tenantId: string,
  ) {}

  async create(projectId: string, init: { revision: number; filesTotal: number; shardsTotal: number }): Promise<AnalysisRecord> {
    checkCount('the revision', init.revision);
    checkCount('the file count', init.filesTotal);
    checkCount('the shard count', init.shardsTotal);
    if (!(await this.ctx.c.projects.findOne({ tenantId: this.tenantId, id: projectId }, { projection: { _id: 1 } }))) {
      throw new AuxilError('not_found', `project ${projectId} does not exist`);
    }
    const doc: AnalysisDoc = {
      tenantId: this.tenantId,
      id: randomUUID(),
      projectId,
      status: 'queued',
      createdAt: now(),
      revision: init.revision,
      filesTotal: init.filesTotal,
      filesDone: 0,
      shardsTotal: init.shardsTotal,
      shardsDone: 0,
      doneShards: [],
      timings: {},
    };
    // insertOne adds `_id` to the object it is given: hand it a copy.
    await this.ctx.c.analyses.insertOne({ ...doc });
    return toAnalysis(doc);
  }

  async get(id: string): Promise<AnalysisRecord | undefined> {
    const doc = await this.ctx.c.analyses.findOne({ tenantId: this.tenantId, id });
    return doc ? toAnalysis(doc) : undefined;
  }

  async list(projectId: string, limit: number): Promise<AnalysisRecord[]> {
    checkLimit(limit);
    // limit(0) would mean "no limit" to MongoDB.
    if (limit === 0) return [];
    // ObjectIds from one process increase, so `_id` keeps analyses of the same millisecond in order.
    const docs = await this.ctx.c.analyses
      .find({ tenantId: this.tenantId, projectId })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .toArray();
    return docs.map(toAnalysis);
  }

  /** Timings are merged, each phase set on its own: the patch's phases replace those of the same name, the others are kept. */
  async update(id: string, patch: AnalysisPatch): Promise<AnalysisRecord | undefined> {
    checkAnalysisPatch(patch);
    const set: Record<string, unknown> = {};
    for (const field of ['status', 'startedAt', 'finishedAt', 'error'] as const) {
      if (patch[field] !== undefined) set[field] = patch[field];
    }
    // Stored as the JSON it is declared to be: what JSON would not keep (undefined, functions) is dropped alike in both adapters.
    if (patch.summary !== undefined) set['summary'] = JSON.parse(JSON.stringify(patch.summary)) as Record<string, unknown>;
    for (const [phase, ms] of Object.entries(patch.timings ?? {})) set[`timings.${phase}`] = ms;
    const filter = { tenantId: this.tenantId, id };
    const doc =
      Object.keys(set).length === 0
        ? await this.ctx.c.analyses.findOne(filter)
        : await this.ctx.c.analyses.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' });
    return doc ? toAnalysis(doc) : undefined;
  }

  async completeShard(id: string, shard: number, files: number): Promise<{ record: AnalysisRecord; counted: boolean } | undefined> {
    const analyses = this.ctx.c.analyses;
    const before = await analyses.findOne({ tenantId: this.tenantId, id });
    if (!before) return undefined;
    checkShard(toAnalysis(before), shard, files);
    const counted = await analyses.findOneAndUpdate(
      { tenantId: this.tenantId, id, doneShards: { $ne: shard } },
      { $push: { doneShards: shard }, $inc: { shardsDone: 1, filesDone: files } },
      { returnDocument: 'after' },
    );
    if (counted) return { record: toAnalysis(counted), counted: true };
    // Another call counted it (or the analysis was deleted meanwhile).
    const after = await analyses.findOne({ tenantId: this.tenantId, id });
    return after ? { record: toAnalysis(after), counted: false } : undefined;
  }
}
