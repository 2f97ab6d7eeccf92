import type { AnyBulkWriteOperation, ClientSession, Collection, Document } from 'mongodb';
import type { FileWrite } from '../store.js';
import {
  chunks,
  now,
  toBinary,
  upsertRacing,
  type FileChangeDoc,
  type FileDoc,
  type FileRecordDoc,
  type InSession,
  type MongoContext,
} from './mongo-collections.js';
import { ProjectLock } from './mongo-project-lock.js';

/** What a file looked like before a change. */
export interface PreviousFile {
  readonly hash: string;
  readonly updatedAt: string;
}

/** What one change did. */
export interface ChangeOutcome {
  /** The project's revision afterwards. */
  readonly revision: number;
  /** The paths whose hash the change set or removed. */
  readonly changed: ReadonlySet<string>;
  /** The files the change touched, as they were before it. */
  readonly previous: ReadonlyMap<string, PreviousFile>;
  /** The timestamp the change gave the files it wrote. */
  readonly updatedAt: string;
}

/** The operations one change consists of, per collection. */
interface Plan {
  readonly changed: Set<string>;
  readonly files: AnyBulkWriteOperation<FileDoc>[];
  readonly records: AnyBulkWriteOperation<FileRecordDoc>[];
  readonly log: AnyBulkWriteOperation<FileChangeDoc>[];
}

async function bulkWrite<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  options: InSession,
): Promise<void> {
  for (const chunk of chunks(operations)) await collection.bulkWrite(chunk, { ordered: true, ...options });
}

/**
 * Every write that changes a project's files or deletes the project. Where the deployment runs
 * transactions, a change is one transaction: all of it or none, and concurrent writers of a project
 * serialise on its document (a write conflict makes the driver retry the later one). Elsewhere a
 * change cannot be atomic; writers then take turns under the project's write lock and write in an
 * order that never lets a reader see a revision whose changes are missing:
 *
 *  1. `writing` marks the revision begun; 2. the change entries are written under it (invisible:
 *  readers see the log only up to the published revision); 3. the files, then the records;
 *  4. publishing sets the revision and frees the lock in one update.
 *
 * A change that fails midway leaves part of its files written. Its entries then describe what was
 * meant, not what is, so they are repaired (set to each path's actual hash) and published, by the
 * failing writer at once or, if it died, by the project's next writer.
 */
export class ProjectWrites {
  constructor(
    private readonly ctx: MongoContext,
    private readonly tenantId: string,
  ) {}

  /** Writes and removes files as one change; undefined when the tenant has no such project. */
  change(projectId: string, writes: readonly FileWrite[], removes: readonly string[]): Promise<ChangeOutcome | undefined> {
    // Two writers creating the same new path's record at once: the loser retries, and finds it.
    return upsertRacing(() =>
      this.ctx.transactions
        ? this.ctx.client.withSession((session) =>
            session.withTransaction(() => this.changeInTransaction(session, projectId, writes, removes)),
          )
        : this.changeUnderLock(projectId, writes, removes),
    );
  }

  /** Deletes the project and everything of it; false when the tenant has no such project. */
  async removeProject(projectId: string): Promise<boolean> {
    const { c } = this.ctx;
    const scope = { tenantId: this.tenantId, projectId };
    const removeAll = async (options: InSession): Promise<boolean> => {
      if ((await c.projects.deleteOne({ tenantId: this.tenantId, id: projectId }, options)).deletedCount === 0) return false;
      // Without a transaction the project goes first: from then on it is neither found nor written
      // to, and a process that dies here leaves only unreachable documents behind.
      await c.files.deleteMany(scope, options);
      await c.fileRecords.deleteMany(scope, options);
      await c.fileChanges.deleteMany(scope, options);
      await c.analyses.deleteMany(scope, options);
      await c.analysisParts.deleteMany(scope, options);
      await c.analysisPartChunks.deleteMany(scope, options);
      await c.suppressions.deleteMany(scope, options);
      return true;
    };
    if (this.ctx.transactions) {
      return this.ctx.client.withSession((session) => session.withTransaction(() => removeAll({ session })));
    }
    // Under the lock, so no writer is midway through a change of the project while it goes.
    const lock = await ProjectLock.acquire(c.projects, this.tenantId, projectId);
    if (!lock) return false;
    lock.abandon();
    try {
      return await removeAll({});
    } catch (error) {
      // The project may still be there (its deletion failed): do not leave it locked for a lease.
      await lock.release().catch(() => undefined);
      throw error;
    }
  }

  private async changeInTransaction(
    session: ClientSession,
    projectId: string,
    writes: readonly FileWrite[],
    removes: readonly string[],
  ): Promise<ChangeOutcome | undefined> {
    const { c } = this.ctx;
    const project = await c.projects.findOne({ tenantId: this.tenantId, id: projectId }, { session, projection: { revision: 1 } });
    if (!project) return undefined;
    const revision = project.revision ?? 0;
    const updatedAt = now();
    const previous = await this.previous(projectId, [...writes.map((file) => file.path), ...removes], { session });
    const plan = this.plan(projectId, writes, removes, previous, revision + 1, updatedAt);
    await this.execute(plan, { session });
    if (plan.changed.size === 0) return { revision, changed: plan.changed, previous, updatedAt };
    await c.projects.updateOne({ tenantId: this.tenantId, id: projectId }, { $set: { revision: revision + 1 } }, { session });
    return { revision: revision + 1, changed: plan.changed, previous, updatedAt };
  }

  private async changeUnderLock(
    projectId: string,
    writes: readonly FileWrite[],
    removes: readonly string[],
  ): Promise<ChangeOutcome | undefined> {
    const lock = await ProjectLock.acquire(this.ctx.c.projects, this.tenantId, projectId);
    if (!lock) return undefined;
    const next = lock.revision + 1;
    let begun = lock.pending !== undefined;
    try {
      if (lock.pending !== undefined) await this.repair(projectId, lock.pending, next);
      const updatedAt = now();
      const previous = await this.previous(projectId, [...writes.map((file) => file.path), ...removes], {});
      const plan = this.plan(projectId, writes, removes, previous, next, updatedAt);
      if (plan.changed.size > 0 && !begun) {
        await lock.begin(next);
        begun = true;
      }
      await this.execute(plan, {});
      if (!begun) {
        await lock.release();
        return { revision: lock.revision, changed: plan.changed, previous, updatedAt };
      }
      await lock.publish(next);
      return { revision: next, changed: plan.changed, previous, updatedAt };
    } catch (error) {
      await this.recover(lock, projectId, begun ? next : undefined);
      throw error;
    }
  }

  /** After a failed change: repairs and publishes what it began, or at least frees the lock. */
  private async recover(lock: ProjectLock, projectId: string, begun: number | undefined): Promise<void> {
    try {
      if (begun === undefined) return await lock.release();
      await this.repair(projectId, begun, begun);
      await lock.publish(begun);
    } catch {
      // The database is unreachable or the lock lost: the lease frees the lock, and the next
      // writer finds `writing` still set and repairs the entries then.
      await lock.release().catch(() => undefined);
    }
  }

  /** Sets each change entry of an unpublished revision to its path's actual hash, under revision `to`. */
  private async repair(projectId: string, pending: number, to: number): Promise<void> {
    const { c } = this.ctx;
    const scope = { tenantId: this.tenantId, projectId };
    const entries = await c.fileChanges.find({ ...scope, revision: pending }, { projection: { path: 1 } }).toArray();
    const actual = await this.previous(
      projectId,
      entries.map((entry) => entry.path),
      {},
    );
    const fixes: AnyBulkWriteOperation<FileChangeDoc>[] = entries.map((entry) => ({
      replaceOne: {
        filter: { ...scope, path: entry.path },
        replacement: { ...scope, path: entry.path, hash: actual.get(entry.path)?.hash ?? null, revision: to },
        upsert: true,
      },
    }));
    await bulkWrite(c.fileChanges, fixes, {});
  }

  /** The files at these paths now, by path. */
  private async previous(projectId: string, paths: readonly string[], options: InSession): Promise<Map<string, PreviousFile>> {
    const found = new Map<string, PreviousFile>();
    for (const chunk of chunks([...new Set(paths)])) {
      const docs = this.ctx.c.files.find(
        { tenantId: this.tenantId, projectId, path: { $in: chunk } },
        { projection: { path: 1, hash: 1, updatedAt: 1 }, ...options },
      );
      for await (const doc of docs) found.set(doc.path, { hash: doc.hash, updatedAt: doc.updatedAt });
    }
    return found;
  }

  /**
   * The writes a change needs. A write of the hash a path already has changes nothing (its record,
   * if given, is still stored: it fits that content). Documents holding binary data are only ever
   * written whole (replaceOne), never patched.
   */
  private plan(
    projectId: string,
    writes: readonly FileWrite[],
    removes: readonly string[],
    previous: ReadonlyMap<string, PreviousFile>,
    revision: number,
    updatedAt: string,
  ): Plan {
    const scope = { tenantId: this.tenantId, projectId };
    const plan: Plan = { changed: new Set(), files: [], records: [], log: [] };
    const logged = (path: string, hash: string | null): AnyBulkWriteOperation<FileChangeDoc> => ({
      replaceOne: { filter: { ...scope, path }, replacement: { ...scope, path, hash, revision }, upsert: true },
    });
    const dropRecord: (path: string) => AnyBulkWriteOperation<FileRecordDoc> = (path) => ({ deleteOne: { filter: { ...scope, path } } });
    for (const file of writes) {
      const record: AnyBulkWriteOperation<FileRecordDoc> | undefined = file.record && {
        replaceOne: {
          filter: { ...scope, path: file.path },
          replacement: { ...scope, path: file.path, hash: file.hash, key: file.record.key, bytes: toBinary(file.record.bytes) },
          upsert: true,
        },
      };
      if (previous.get(file.path)?.hash === file.hash) {
        if (record) plan.records.push(record);
        continue;
      }
      const doc: FileDoc = {
        ...scope,
        path: file.path,
        hash: file.hash,
        content: file.content,
        size: Buffer.byteLength(file.content, 'utf8'),
        updatedAt,
      };
      plan.files.push({ replaceOne: { filter: { ...scope, path: file.path }, replacement: doc, upsert: true } });
      plan.records.push(record ?? dropRecord(file.path));
      plan.log.push(logged(file.path, file.hash));
      plan.changed.add(file.path);
    }
    for (const path of new Set(removes)) {
      if (!previous.has(path)) continue;
      plan.files.push({ deleteOne: { filter: { ...scope, path } } });
      plan.records.push(dropRecord(path));
      plan.log.push(logged(path, null));
      plan.changed.add(path);
    }
    return plan;
  }

  /** Change entries first (readers ignore them until the revision is published), then files, then records. */
  private async execute(plan: Plan, options: InSession): Promise<void> {
    await bulkWrite(this.ctx.c.fileChanges, plan.log, options);
    await bulkWrite(this.ctx.c.files, plan.files, options);
    await bulkWrite(this.ctx.c.fileRecords, plan.records, options);
  }
}
