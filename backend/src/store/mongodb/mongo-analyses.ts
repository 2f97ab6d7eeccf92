import { randomUUID } from 'node:crypto';
import { AuxilError } from '../../errors.js';
import type { AnalysisRecord, AnalysisRepository, MatchPartResult } from '../store.js';
import { checkAnalysisPatch, checkCount, checkLimit, checkPart, checkPartClaim, checkShard } from '../store-checks.js';
import { fromBinary, isDuplicateKey, now, toBinary, type AnalysisDoc, type MongoContext } from './mongo-collections.js';

/** Bytes per chunk of a part's result: well under a document's 16 MB. */
const PART_CHUNK_BYTES = 8 * 1024 * 1024;

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

  /**
   * Each attempt is one atomic single-document update of a part found free: matched only while the
   * part is still free, or inserted by an upsert that the unique index refuses if another process
   * inserted it first. A refused attempt moves on to the next part.
   */
  async claimPart(id: string, parts: number, owner: string, leaseMs: number): Promise<number | undefined> {
    checkPartClaim(parts, owner, leaseMs);
    const analysis = await this.ctx.c.analyses.findOne({ tenantId: this.tenantId, id }, { projection: { projectId: 1, status: 1 } });
    if (!analysis || analysis.status === 'done' || analysis.status === 'failed') return undefined;
    const taken = await this.ctx.c.analysisParts
      .find({ tenantId: this.tenantId, analysisId: id }, { projection: { part: 1, claimedAt: 1, done: 1 } })
      .toArray();
    const byPart = new Map(taken.map((doc) => [doc.part, doc]));
    for (let part = 0; part < parts; part++) {
      const at = Date.now();
      const doc = byPart.get(part);
      if (doc && (doc.done || doc.claimedAt > at - leaseMs)) continue;
      try {
        const claimed = await this.ctx.c.analysisParts.findOneAndUpdate(
          {
            tenantId: this.tenantId,
            analysisId: id,
            part,
            done: false,
            claimedAt: { $lte: at - leaseMs },
          },
          {
            $set: { owner, claimedAt: at },
            $setOnInsert: { projectId: analysis.projectId },
          },
          { upsert: true, returnDocument: 'after' },
        );
        if (claimed) return part;
      } catch (error) {
        // Another process holds or finished the part: the upsert's insert met its document.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return undefined;
  }

  async renewPart(id: string, part: number, owner: string): Promise<boolean> {
    checkPart(part, owner);
    const renewed = await this.ctx.c.analysisParts.updateOne(
      { tenantId: this.tenantId, analysisId: id, part, owner, done: false },
      { $set: { claimedAt: Date.now() } },
    );
    return renewed.matchedCount === 1;
  }

  /** The chunks go first, under the owner's name; the part is marked done (once) after them. */
  async completePart(id: string, part: number, owner: string, result: MatchPartResult): Promise<boolean> {
    checkPart(part, owner);
    const scope = { tenantId: this.tenantId, analysisId: id, part };
    const claim = await this.ctx.c.analysisParts.findOne({ ...scope, done: false }, { projection: { projectId: 1 } });
    if (!claim) return false;
    // A failed earlier attempt of the same owner may have left chunks: they are replaced.
    await this.ctx.c.analysisPartChunks.deleteMany({ ...scope, owner });
    let seq = 0;
    for (let start = 0; start < result.pairs.byteLength || seq === 0; start += PART_CHUNK_BYTES) {
      const data = toBinary(result.pairs.subarray(start, start + PART_CHUNK_BYTES));
      await this.ctx.c.analysisPartChunks.insertOne({ ...scope, projectId: claim.projectId, owner, seq: seq++, data });
    }
    const done = await this.ctx.c.analysisParts.updateOne(
      { ...scope, done: false },
      { $set: { done: true, owner, digest: result.digest, chunks: seq } },
    );
    if (done.matchedCount === 1) return true;
    await this.ctx.c.analysisPartChunks.deleteMany({ ...scope, owner });
    return false;
  }

  async doneParts(id: string): Promise<number[]> {
    const docs = await this.ctx.c.analysisParts
      .find({ tenantId: this.tenantId, analysisId: id, done: true }, { projection: { part: 1 } })
      .toArray();
    return docs.map((doc) => doc.part).sort((a, b) => a - b);
  }

  async partResult(id: string, part: number): Promise<MatchPartResult | undefined> {
    checkPart(part);
    const scope = { tenantId: this.tenantId, analysisId: id, part };
    const doc = await this.ctx.c.analysisParts.findOne({ ...scope, done: true });
    if (!doc || doc.digest === undefined) return undefined;
    // One chunk per read: a reply of several could pass the 16 MB a server sends in one batch.
    const pieces: Uint8Array[] = [];
    for (let seq = 0; seq < (doc.chunks ?? 0); seq++) {
      const chunk = await this.ctx.c.analysisPartChunks.findOne({ ...scope, owner: doc.owner, seq });
      if (!chunk) return undefined;
      pieces.push(fromBinary(chunk.data));
    }
    const pairs = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.byteLength, 0));
    let offset = 0;
    for (const piece of pieces) {
      pairs.set(piece, offset);
      offset += piece.byteLength;
    }
    return { digest: doc.digest, pairs };
  }

  async dropParts(id: string): Promise<void> {
    await this.ctx.c.analysisParts.deleteMany({ tenantId: this.tenantId, analysisId: id });
    await this.ctx.c.analysisPartChunks.deleteMany({ tenantId: this.tenantId, analysisId: id });
  }
}
