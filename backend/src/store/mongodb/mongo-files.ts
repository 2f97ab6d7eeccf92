import { AuxilError } from '../../errors.js';
import type { FileChange, FileRepository, FileWrite, IndexInput, IndexRecord, ManifestEntry, StoredFile } from '../store.js';
import { checkChange, checkLimit } from '../store-checks.js';
import { chunks, fromBinary, toBinary, upsertRacing, type FileDoc, type MongoContext } from './mongo-collections.js';
import { ProjectWrites } from './mongo-project-writes.js';

const toFile = (doc: FileDoc): StoredFile => ({ path: doc.path, hash: doc.hash, content: doc.content, updatedAt: doc.updatedAt });
const FILE_FIELDS = { _id: 0, path: 1, hash: 1, content: 1, updatedAt: 1 } as const;

/**
 * A project's files, their change log (`fileChanges`, one entry per path) and their prepared records
 * (`fileRecords`, apart from the files so that neither listing files nor reading content loads them,
 * and so a file and its record do not share one document's 16 MB). Changes go through
 * `ProjectWrites`; everything here is a read, except `putRecord`, which changes no revision.
 */
export class MongoFiles implements FileRepository {
  private readonly writes: ProjectWrites;

  constructor(
    private readonly ctx: MongoContext,
    private readonly tenantId: string,
  ) {
    this.writes = new ProjectWrites(ctx, tenantId);
  }

  async put(projectId: string, file: FileWrite): Promise<StoredFile> {
    const outcome = await this.writes.change(projectId, [file], []);
    if (!outcome) throw new AuxilError('not_found', `project ${projectId} does not exist`);
    const updatedAt = outcome.changed.has(file.path)
      ? outcome.updatedAt
      : (outcome.previous.get(file.path)?.updatedAt ?? outcome.updatedAt);
    return { path: file.path, hash: file.hash, content: file.content, updatedAt };
  }

  async get(projectId: string, path: string): Promise<StoredFile | undefined> {
    const doc = await this.ctx.c.files.findOne({ tenantId: this.tenantId, projectId, path }, { projection: FILE_FIELDS });
    return doc ? toFile(doc) : undefined;
  }

  async list(projectId: string): Promise<StoredFile[]> {
    // MongoDB's default (simple) collation compares strings by their UTF-8 bytes, as SQLite does.
    const docs = await this.ctx.c.files
      .find({ tenantId: this.tenantId, projectId }, { projection: FILE_FIELDS })
      .sort({ path: 1 })
      .toArray();
    return docs.map(toFile);
  }

  async remove(projectId: string, path: string): Promise<boolean> {
    return (await this.writes.change(projectId, [], [path]))?.changed.has(path) ?? false;
  }

  async apply(projectId: string, change: { writes: readonly FileWrite[]; removes: readonly string[] }): Promise<number> {
    checkChange(change);
    const outcome = await this.writes.change(projectId, change.writes, change.removes);
    if (!outcome) throw new AuxilError('not_found', `project ${projectId} does not exist`);
    return outcome.revision;
  }

  count(projectId: string): Promise<number> {
    return this.ctx.c.files.countDocuments({ tenantId: this.tenantId, projectId });
  }

  async manifest(projectId: string): Promise<ManifestEntry[]> {
    const docs = await this.ctx.c.files
      .find({ tenantId: this.tenantId, projectId }, { projection: { _id: 0, path: 1, hash: 1, size: 1 } })
      .sort({ path: 1 })
      .toArray();
    return docs.map((doc) => ({ path: doc.path, hash: doc.hash, size: doc.size }));
  }

  async missingContents(hashes: readonly string[]): Promise<string[]> {
    const unique = [...new Set(hashes)];
    const present = new Set<string>();
    for (const chunk of chunks(unique)) {
      for (const hash of await this.ctx.c.files.distinct('hash', { tenantId: this.tenantId, hash: { $in: chunk } })) present.add(hash);
    }
    return unique.filter((hash) => !present.has(hash));
  }

  async content(hash: string): Promise<string | undefined> {
    return (await this.ctx.c.files.findOne({ tenantId: this.tenantId, hash }, { projection: { _id: 0, content: 1 } }))?.content;
  }

  async revision(projectId: string): Promise<number> {
    return (await this.ctx.c.projects.findOne({ tenantId: this.tenantId, id: projectId }, { projection: { revision: 1 } }))?.revision ?? 0;
  }

  /**
   * Only up to the published revision: without transactions, a writer's entries are stored before
   * it publishes them, and a reader must not advance to a revision whose changes are still being written.
   */
  async changesSince(projectId: string, revision: number): Promise<FileChange[]> {
    const published = await this.revision(projectId);
    if (published <= revision) return [];
    const docs = await this.ctx.c.fileChanges
      .find(
        { tenantId: this.tenantId, projectId, revision: { $gt: revision, $lte: published } },
        { projection: { _id: 0, path: 1, hash: 1, revision: 1 } },
      )
      .sort({ revision: 1, path: 1 })
      .toArray();
    return docs.map((doc) => ({ path: doc.path, hash: doc.hash, revision: doc.revision }));
  }

  /**
   * A page of paths and hashes, then the records of that page that fit (same key, same hash), then
   * the content of the files without one: no file's content is loaded when its record serves.
   */
  async indexInputs(projectId: string, recordKey: string, afterPath: string | undefined, limit: number): Promise<IndexInput[]> {
    checkLimit(limit);
    const { c } = this.ctx;
    const scope = { tenantId: this.tenantId, projectId };
    for (let after = afterPath; limit > 0;) {
      const page = await c.files
        .find({ ...scope, ...(after !== undefined && { path: { $gt: after } }) }, { projection: { _id: 0, path: 1, hash: 1 } })
        .sort({ path: 1 })
        .limit(limit)
        .toArray();
      if (page.length === 0) return [];
      const paths = page.map((file) => file.path);
      const hashes = new Map(page.map((file) => [file.path, file.hash]));
      const records = new Map<string, Uint8Array>();
      for (const record of await c.fileRecords.find({ ...scope, path: { $in: paths }, key: recordKey }).toArray()) {
        if (hashes.get(record.path) === record.hash) records.set(record.path, fromBinary(record.bytes));
      }
      const without = paths.filter((path) => !records.has(path));
      const contents = new Map<string, { hash: string; content: string }>();
      if (without.length > 0) {
        const docs = c.files.find({ ...scope, path: { $in: without } }, { projection: { _id: 0, path: 1, hash: 1, content: 1 } });
        for await (const doc of docs) contents.set(doc.path, { hash: doc.hash, content: doc.content });
      }
      const inputs = page.flatMap((file): IndexInput[] => {
        const record = records.get(file.path);
        if (record) return [{ path: file.path, hash: file.hash, record }];
        // Read after the page: the hash that goes with this content is the one read with it.
        const current = contents.get(file.path);
        return current ? [{ path: file.path, hash: current.hash, content: current.content }] : [];
      });
      // Every file of the page removed meanwhile: an empty page would read as the end, so go on.
      if (inputs.length > 0 || page.length < limit) return inputs;
      after = page[page.length - 1]?.path;
    }
    return [];
  }

  async putRecord(projectId: string, path: string, hash: string, record: IndexRecord): Promise<boolean> {
    const scope = { tenantId: this.tenantId, projectId };
    if (!(await this.ctx.c.files.findOne({ ...scope, path, hash }, { projection: { _id: 1 } }))) return false;
    // A change of the file from here on makes this record stale; readers compare its hash and ignore it.
    await upsertRacing(() =>
      this.ctx.c.fileRecords.replaceOne(
        { ...scope, path },
        { ...scope, path, hash, key: record.key, bytes: toBinary(record.bytes) },
        { upsert: true },
      ),
    );
    return true;
  }
}
